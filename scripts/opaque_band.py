#!/usr/bin/env python3
"""Cuts the largest band of fully opaque rows out of an image with an alpha channel and writes it
without alpha. Used for stellarium-data's landscape panoramas, whose skies are transparent: the band
below the horizon is a plain photograph, the rest has no colour of its own to learn from.

    scripts/opaque_band.py IN.png OUT.png MIN_ROWS

Prints "first last" (the band's rows, inclusive); exits 3 without writing when the band is shorter
than MIN_ROWS.
"""
import sys

import numpy as np
from PIL import Image


def main() -> int:
    source, target, min_rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    image = Image.open(source).convert("RGBA")
    opaque = (np.asarray(image)[..., 3] == 255).all(axis=1)
    best_first, best_length, first = 0, 0, None
    for row, is_opaque in enumerate(list(opaque) + [False]):
        if is_opaque and first is None:
            first = row
        elif not is_opaque and first is not None:
            if row - first > best_length:
                best_first, best_length = first, row - first
            first = None
    if best_length < min_rows:
        return 3
    band = image.crop((0, best_first, image.width, best_first + best_length)).convert("RGB")
    band.save(target)
    print(best_first, best_first + best_length - 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
