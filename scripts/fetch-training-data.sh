#!/usr/bin/env bash
# Assembles the default training set from Debian 12 packages, without installing them: each package is
# fetched with `apt-get download` and unpacked with `dpkg -x` under DATA/.packages, and the chosen
# colour photographs and videos are copied to DATA/train/<package>/. DATA/manifest.csv records every
# file's origin and licence. Idempotent: packages already unpacked are not fetched again.
#
#   scripts/fetch-training-data.sh [DATA] [--photos DIR | --no-photos]   (DATA defaults to ./data, which git ignores)
#
# DATA/sources.list, the data list for colorize-train --data-list and colorize-eval --data-list, names
# each category of the set and where it is: "debian train" (these packages' files), and "faces",
# "scenes", "objects" from the shared photograph set (../shared/photos from the project's root, or
# --photos DIR; its own manifest.csv gives each photograph's source and licence). Those photographs are
# not copied (their licences forbid redistributing them): the list points at them. --no-photos leaves
# them out.
#
# Needs Debian's python3 with numpy, PIL, skimage and PyQt5: scripts/setup-debian.sh --training.
#
# Left out on purpose: drawings and renders among the wallpapers, black-and-white photographs (they
# teach that the world is gray), calibration charts and synthetic images in opencv-doc, its corrupted
# Megamind_bugy.avi, and python3-imageio's cockatoo.mp4, which samples/ uses for evaluation and so must
# stay unseen; gcompris-qt-data's drawings, maps and sprites (scripts/gcompris_photos.py picks its
# photographs). stellarium-data's landscape panoramas have transparent skies (the planetarium draws the
# sky behind them): only their band of fully opaque rows below the horizon is kept (scripts/opaque_band.py),
# so no invented sky is trained on. The rendered landscapes (planets, ocean) and the snow panoramas of
# "hurricane" (near-gray below the horizon: mean Lab chroma 2 to 5) are left out.
set -euo pipefail

die() { echo "fetch-training-data: $*" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
data=data photos="$root/../shared/photos" photos_given=0
positional=0
while [ $# -gt 0 ]; do
  case $1 in
    --photos) [ $# -ge 2 ] || die "--photos needs a folder"; photos=$2 photos_given=1; shift 2 ;;
    --no-photos) photos=; shift ;;
    -*) die "unknown option '$1' (the options are --photos DIR and --no-photos)" ;;
    *) [ $positional -eq 0 ] || die "one DATA folder only"; data=$1 positional=1; shift ;;
  esac
done
if [ -n "$photos" ]; then
  for category in faces scenes objects; do
    [ -d "$photos/$category" ] && continue
    if [ $photos_given -eq 1 ]; then die "--photos $photos has no $category/ folder"; fi
    die "the shared photographs are not at $photos (no $category/ folder): give --photos DIR, or --no-photos for the Debian photographs alone"
  done
  [ -f "$photos/manifest.csv" ] || die "$photos has no manifest.csv (each photograph's source and licence)"
fi
packages_dir="$data/.packages"
train_dir="$data/train"
mkdir -p "$packages_dir" "$train_dir"
command -v apt-get >/dev/null || { echo "fetch-training-data: needs apt-get (Debian 12)" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "fetch-training-data: needs dpkg-deb" >&2; exit 1; }

# package|licence|paths inside the package (relative to its root), space separated. A folder stands
# for the largest image in it (the wallpapers ship one image and symlinks for the other sizes).
selection=(
  "mate-backgrounds|GPL-2+|usr/share/backgrounds/mate/nature/*.jpg"
  "plasma-workspace-wallpapers|GPL-2+ (per-wallpaper metadata.desktop names the author)|usr/share/wallpapers/BytheWater/contents/images usr/share/wallpapers/Kite/contents/images usr/share/wallpapers/OneStandsOut/contents/images usr/share/wallpapers/Path/contents/images usr/share/wallpapers/summer_1am/contents/images"
  "lxqt-themes|LGPL-2.1+|usr/share/lxqt/wallpapers/Butterfly-Kenneth-Wimer.jpg usr/share/lxqt/wallpapers/Valendas.png usr/share/lxqt/wallpapers/after-the-rain.jpg usr/share/lxqt/wallpapers/appleflower.png usr/share/lxqt/wallpapers/butterfly.png usr/share/lxqt/wallpapers/cloud.png usr/share/lxqt/wallpapers/drop.png usr/share/lxqt/wallpapers/flowers.png"
  "kphotoalbum|GPL-2+|usr/share/kphotoalbum/demo/[a-pr-z]*.jpg"  # all but qt-logo.jpg
  "opencv-doc|see /usr/share/doc/opencv-doc/copyright (Apache-2.0 / BSD-3-Clause)|usr/share/doc/opencv-doc/examples/data/HappyFish.jpg usr/share/doc/opencv-doc/examples/data/aero1.jpg usr/share/doc/opencv-doc/examples/data/aero3.jpg usr/share/doc/opencv-doc/examples/data/apple.jpg usr/share/doc/opencv-doc/examples/data/baboon.jpg usr/share/doc/opencv-doc/examples/data/building.jpg usr/share/doc/opencv-doc/examples/data/butterfly.jpg usr/share/doc/opencv-doc/examples/data/fruits.jpg usr/share/doc/opencv-doc/examples/data/home.jpg usr/share/doc/opencv-doc/examples/data/messi5.jpg usr/share/doc/opencv-doc/examples/data/orange.jpg usr/share/doc/opencv-doc/examples/data/squirrel_cls.jpg usr/share/doc/opencv-doc/examples/data/stuff.jpg usr/share/doc/opencv-doc/examples/data/smarties.png usr/share/doc/opencv-doc/examples/data/leuvenA.jpg usr/share/doc/opencv-doc/examples/data/leuvenB.jpg usr/share/doc/opencv-doc/examples/data/aloeL.jpg usr/share/doc/opencv-doc/examples/data/graf1.png usr/share/doc/opencv-doc/examples/data/rubberwhale1.png usr/share/doc/opencv-doc/examples/data/ela_original.jpg usr/share/doc/opencv-doc/examples/data/licenseplate_motion.jpg usr/share/doc/opencv-doc/examples/data/vtest.avi usr/share/doc/opencv-doc/examples/data/tree.avi"
)

# fetch PACKAGE [MEMBER...]: downloads PACKAGE and unpacks it under $packages_dir/PACKAGE, only the given
# members (./usr/... paths) when there are any; skipped when done before with every member there (a
# member added to the selection since fetches the package again).
fetch() {
  local package=$1 unpacked="$packages_dir/$1" deb member missing=0
  shift
  for member; do [ -e "$unpacked/$member" ] || missing=1; done
  [ -f "$unpacked/.complete" ] && [ $missing -eq 0 ] && return 0
  echo "fetch-training-data: fetching $package"
  rm -rf "$unpacked" && mkdir -p "$unpacked"
  (cd "$packages_dir" && apt-get download -q "$package" >/dev/null) ||
    { echo "fetch-training-data: apt-get download $package failed (run apt-get update?)" >&2; exit 1; }
  deb=$(ls "$packages_dir/${package}"_*.deb | head -n 1)
  if [ $# -eq 0 ]; then
    dpkg-deb -x "$deb" "$unpacked"
  else
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpacked" "$@"
  fi
  dpkg-deb -f "$deb" Version > "$unpacked/.version"
  rm -f "$deb"
  touch "$unpacked/.complete"
}

manifest="$data/manifest.csv"
echo "file,package,version,licence,origin" > "$manifest.tmp"
for entry in "${selection[@]}"; do
  IFS='|' read -r package licence paths <<<"$entry"
  unpacked="$packages_dir/$package"
  fetch "$package"
  version=$(cat "$unpacked/.version")
  mkdir -p "$train_dir/$package"
  for pattern in $paths; do
    for file in "$unpacked"/$pattern; do
      name=$(basename "$file")
      if [ -d "$file" ]; then
        name="$(basename "$(dirname "$(dirname "$file")")").${file##*.}"
        file=$(find "$file" -maxdepth 1 -type f -printf '%s %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)
        name="${name%.*}.${file##*.}"
      fi
      [ -f "$file" ] || { echo "fetch-training-data: $package has no $pattern" >&2; exit 1; }
      cp -p "$file" "$train_dir/$package/$name"
      echo "train/$package/$name,$package,$version,\"$licence\",/${file#"$unpacked"/}" >> "$manifest.tmp"
    done
  done
done
# stellarium-data: 246 MB to download, of which only the landscapes used are unpacked.
stellarium="$packages_dir/stellarium-data"
landscapes=usr/share/stellarium/landscapes
panoramas="garching/garching-gl1 garching/garching-gl2 garching/garching-gl3 garching/garching-gl4
  grossmugl/grossmugl_leeberg_crop11.25_2048 guereins/guereins1 guereins/guereins2 guereins/guereins3
  guereins/guereins4 guereins/guereins5 guereins/guereins6 guereins/guereins7 guereins/guereins8"
python=/usr/bin/python3  # Debian's, with the packages scripts/setup-debian.sh installs
$python -c 'import numpy, PIL' 2>/dev/null ||
  { echo "fetch-training-data: needs $python with numpy and PIL (scripts/setup-debian.sh installs them)" >&2; exit 1; }
members=()
for p in $panoramas; do members+=("./$landscapes/$p.png"); done
fetch stellarium-data "${members[@]}"
version=$(cat "$stellarium/.version")
mkdir -p "$train_dir/stellarium-data"
kept=0
for p in $panoramas; do
  name=$(basename "$p").png
  if rows=$($python "$(dirname "$0")/opaque_band.py" "$stellarium/$landscapes/$p.png" "$train_dir/stellarium-data/$name" 128); then
    echo "train/stellarium-data/$name,stellarium-data,$version,\"GPL-2+\",/$landscapes/$p.png (rows ${rows% *} to ${rows#* }: the opaque band below the horizon)" >> "$manifest.tmp"
    kept=$((kept + 1))
  else
    [ $? -eq 3 ] || { echo "fetch-training-data: could not cut $p" >&2; exit 1; }
    rm -f "$train_dir/stellarium-data/$name"
  fi
done
echo "fetch-training-data: stellarium-data: $kept panoramas with an opaque band of at least 128 rows"

# gcompris-qt-data: 44 MB to download; the photographs sit in Qt resource archives, which Qt's own reader
# (python3-pyqt5, scripts/setup-debian.sh --training) opens; each one's licence is read from the README
# beside it (scripts/gcompris_photos.py).
$python -c 'import PyQt5.QtCore, skimage' 2>/dev/null ||
  { echo "fetch-training-data: needs $python with PyQt5 and skimage (scripts/setup-debian.sh --training)" >&2; exit 1; }
gcompris="$packages_dir/gcompris-qt-data"
rcc=usr/share/gcompris-qt/rcc
members=()
for archive in $($python "$(dirname "$0")/gcompris_photos.py" --archives); do
  members+=("./$rcc/$archive.rcc")
done
fetch gcompris-qt-data "${members[@]}"
version=$(cat "$gcompris/.version")
rm -rf "$train_dir/gcompris-qt-data"
$python "$(dirname "$0")/gcompris_photos.py" "$gcompris/$rcc" "$train_dir/gcompris-qt-data" "$version" > "$data/gcompris.csv" ||
  { echo "fetch-training-data: could not unpack gcompris-qt-data's photographs" >&2; exit 1; }
while IFS=, read -r name rest; do
  echo "train/gcompris-qt-data/$name,gcompris-qt-data,$version,$rest" >> "$manifest.tmp"
done < "$data/gcompris.csv"
rm -f "$data/gcompris.csv"

mv "$manifest.tmp" "$manifest"
echo "fetch-training-data: $(($(wc -l < "$manifest") - 1)) files in $train_dir, listed in $manifest"

# The data list: categories and where they are, paths relative to the list.
{
  echo "# colorize training data: CATEGORY PATH, paths relative to this file (scripts/fetch-training-data.sh)"
  echo "debian train"
  if [ -n "$photos" ]; then
    for category in faces scenes objects; do
      echo "$category $(realpath --relative-to="$data" "$photos/$category")"
    done
  fi
} > "$data/sources.list.tmp"
mv "$data/sources.list.tmp" "$data/sources.list"
if [ -n "$photos" ]; then
  echo "fetch-training-data: $(($(wc -l < "$photos/manifest.csv") - 1)) photographs in $photos (listed in its manifest.csv) named in $data/sources.list"
else
  echo "fetch-training-data: $data/sources.list names the Debian photographs alone (--no-photos)"
fi
