#!/usr/bin/env python3
"""Copies the colour photographs out of gcompris-qt-data's Qt resource archives (.rcc) and prints one
manifest line per photograph kept. The archives are read with Qt's own reader (PyQt5's QResource,
Debian's python3-pyqt5), not a hand-written parser: version 3 archives may be zlib- or zstd-compressed.

    scripts/gcompris_photos.py RCC_DIR OUT_DIR VERSION
    scripts/gcompris_photos.py --archives        (the archive names, for the fetch script)

Which folders: the activities whose pictures are photographs (see SELECTION); their drawings, maps,
the xfishtank fish sprites and categorization's letter and number pictures are left out. Each
photograph's author and licence come from the README beside it in the archive (blocks of "Copyright:",
"Source:", "License:" and "Files:" lines); a photograph without a licence there is not copied. Near-gray
photographs (mean CIE L*a*b* chroma under MIN_CHROMA) are left out: they teach the model a gray world.
Manifest lines: file,package,version,licence,origin (origin: the archive and the path inside it).
"""
import fnmatch
import os
import sys

import numpy as np
from PIL import Image
from skimage.color import rgb2lab

# Qt is imported when the archives are read, so that the README parser can be tested without it.
QDirIterator = QFile = QFileInfo = QIODevice = QResource = None


def import_qt():
    global QDirIterator, QFile, QFileInfo, QIODevice, QResource
    from PyQt5.QtCore import QDirIterator, QFile, QFileInfo, QIODevice, QResource  # noqa: F811

# archive -> folders inside it (relative to :/gcompris/src/activities) and the photographs' names.
SELECTION = {
    "erase": [("erase/resource", "*.webp")],
    "explore_monuments": [("explore_monuments/resource/" + country, "*.webp")
                          for country in ("egypt", "france", "germany", "india", "usa", "wonders")],
    "explore_world_animals": [("explore_world_animals/resource/animals", "*.webp")],
    "explore_farm_animals": [("explore_farm_animals/resource/animals", "*.webp")],
    "explore_world_music": [("explore_world_music/resource/music", "*.webp")],
    "clickgame": [("clickgame/resource", "sea*.webp")],
    # Catalogue photographs, 320 px wide (the trainer's crops enlarge them a little).
    "categorization": [("categorization/resource/images/" + theme, "*.webp")
                       for theme in ("fishes", "monuments", "others", "renewable", "tools")],
}
ROOT = ":/gcompris/src/activities/"
MIN_CHROMA = 6.0


def read(path: str) -> bytes:
    f = QFile(path)
    if not f.open(QIODevice.ReadOnly):
        raise OSError(f"cannot read {path} from the archive")
    return bytes(f.readAll())


def licences(readme: str) -> dict:
    """File name -> "licence, author", from a README of blocks separated by blank lines."""
    out = {}
    for block in readme.replace("\r", "").split("\n\n"):
        licence, author, files, in_files = None, None, [], False
        for line in block.split("\n"):
            key, _, value = line.partition(":")
            key = key.strip().lower()
            if key in ("license", "licence"):
                licence, in_files = value.strip(), False
            elif key == "copyright":
                author, in_files = value.strip(), False
            elif key == "files":
                files += value.split()
                in_files = True
            elif in_files and line.strip() and ":" not in line:
                files += line.split()
        for name in files:
            if licence:
                out[name] = licence + (", " + author if author else "")
    return out


def readme_licences(folder: str) -> dict:
    """Licences from the folder's README and its parent's (explore_monuments keeps one per activity,
    naming files as country/name)."""
    found = {}
    for where, prefix in ((os.path.dirname(folder), os.path.basename(folder) + "/"), (folder, "")):
        path = ROOT + where + "/README"
        if QFileInfo(path).exists():
            for name, licence in licences(read(path).decode("utf-8", "replace")).items():
                if name.startswith(prefix):
                    found[name[len(prefix):]] = licence
    return found


def mean_chroma(path: str) -> float:
    image = Image.open(path).convert("RGB")
    image.thumbnail((256, 256))
    lab = rgb2lab(np.asarray(image) / 255.0)
    return float(np.hypot(lab[..., 1], lab[..., 2]).mean())


def main() -> int:
    if sys.argv[1:] == ["--archives"]:  # the archives to unpack from the package, one per line
        print("\n".join(SELECTION))
        return 0
    if len(sys.argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    rcc_dir, out_dir, version = sys.argv[1], sys.argv[2], sys.argv[3]
    import_qt()
    os.makedirs(out_dir, exist_ok=True)
    kept = gray = unlicensed = 0
    for archive, folders in SELECTION.items():
        rcc = os.path.join(rcc_dir, archive + ".rcc")
        if not QResource.registerResource(rcc):
            print(f"gcompris_photos: cannot open {rcc}", file=sys.stderr)
            return 1
        for folder, pattern in folders:
            known = readme_licences(folder)
            names = []
            it = QDirIterator(ROOT + folder)
            while it.hasNext():
                names.append(os.path.basename(it.next()))
            for name in sorted(n for n in names if fnmatch.fnmatch(n, pattern)):
                if name not in known:
                    unlicensed += 1
                    print(f"gcompris_photos: {folder}/{name}: no licence in its README, left out", file=sys.stderr)
                    continue
                target = os.path.join(out_dir, folder.split("/")[0] + "-" + name)
                with open(target, "wb") as f:
                    f.write(read(ROOT + folder + "/" + name))
                if mean_chroma(target) < MIN_CHROMA:
                    os.remove(target)
                    gray += 1
                    continue
                kept += 1
                credit = known[name].replace('"', "'")
                print(f"{os.path.basename(target)},\"{credit}\","
                      f"/usr/share/gcompris-qt/rcc/{archive}.rcc:{ROOT[1:]}{folder}/{name}")
        QResource.unregisterResource(rcc)
    print(f"gcompris_photos: {kept} photographs kept, {gray} near-gray and {unlicensed} without a licence "
          "left out", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
