#!/usr/bin/env python3
"""scripts/opaque_band.py on small made-up panoramas: it keeps the longest run of fully opaque rows,
exactly, drops the alpha channel, and refuses (exit 3, nothing written) a band below the minimum.

    tests/scripts/opaque_band_test.py scripts/opaque_band.py
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image


def run(script, source, target, min_rows):
    return subprocess.run([sys.executable, script, source, target, str(min_rows)], capture_output=True, text=True)


def main() -> int:
    script = sys.argv[1]
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, size=(12, 7, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    pixels[0:2, :, 3] = 0  # sky
    pixels[4, 3, 3] = 128  # a tree top reaching into row 4: rows 2-3 are a short opaque run
    pixels[11, 0, 3] = 254  # the last row is not fully opaque either: the band is rows 5-10
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "panorama.png")
        target = os.path.join(work, "band.png")
        Image.fromarray(pixels, "RGBA").save(source)

        done = run(script, source, target, 6)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["5", "10"], done.stdout
        band = Image.open(target)
        assert band.mode == "RGB" and band.size == (7, 6), (band.mode, band.size)
        assert (np.asarray(band) == pixels[5:11, :, :3]).all(), "the band's pixels changed"

        os.remove(target)
        refused = run(script, source, target, 7)
        assert refused.returncode == 3, (refused.returncode, refused.stderr)
        assert not os.path.exists(target), "a refused band was written"
    print("opaque_band: band rows 5-10 cut exactly; a band below the minimum refused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
