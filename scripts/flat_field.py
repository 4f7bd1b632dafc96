#!/usr/bin/env python3
"""What a model paints on a picture with nothing in it: a flat gray frame, colorized, should come out
one smooth colour (a gradient towards the borders is fair: the network sees them). A decoder whose
up-sampling phases differ paints a lattice of specks instead (the earlier default models':
docs/quality.md). For each colorized flat frame this prints the fine a*b* detail, the RMS of a*b* less
its Gaussian blur (sigma 2 pixels at render size) over the frame's interior (Lab units; 0 for a smooth
colour), and its part that repeats with a period of 64 pixels at render size (the RMS of the mean over
each of the 64x64 phases: the lattice), then writes the a*b* of all of them side by side, amplified
(L* 60, a*b* x 4) so that the lattice shows.

    flat_field.py OUT.png RENDER_SCALE COLORIZED.png [COLORIZED.png ...]

RENDER_SCALE: the colorized frame's size over the network's (its short side over --render-size).
"""
import sys

import numpy as np
from scipy import ndimage
from PIL import Image
from skimage import color


def ab_of(path):
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
    return color.rgb2lab(rgb)[..., 1:]


def lattice(ab, period, sigma):
    """(RMS of the fine a*b* detail, RMS of its per-phase means) over the interior."""
    fine = ab - np.stack([ndimage.gaussian_filter(ab[..., c], sigma) for c in range(2)], axis=2)
    inner = fine[period:-period, period:-period]  # the borders differ for every decoder (padding)
    detail = float(np.sqrt((inner ** 2).sum(axis=2).mean()))
    h, w = (inner.shape[0] // period) * period, (inner.shape[1] // period) * period
    phases = inner[:h, :w].reshape(h // period, period, w // period, period, 2).mean(axis=(0, 2))
    return detail, float(np.sqrt((phases ** 2).sum(axis=2).mean()))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, scale, paths = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    period = max(1, int(round(64 * scale)))
    views = []
    for path in paths:
        ab = ab_of(path)
        detail, periodic = lattice(ab, period, 2 * scale)
        print(f"{path}: fine a*b* detail {detail:.2f}, of which a 64-pixel lattice {periodic:.2f}")
        lab = np.concatenate([np.full(ab.shape[:2] + (1,), 60.0), np.clip(ab * 4, -127, 127)], axis=2)
        views.append((np.clip(color.lab2rgb(lab), 0, 1) * 255).astype(np.uint8))
    gap = np.full((views[0].shape[0], 8, 3), 255, np.uint8)
    row = [views[0]]
    for v in views[1:]:
        row += [gap, v]
    Image.fromarray(np.concatenate(row, axis=1)).save(out)


if __name__ == "__main__":
    main()
