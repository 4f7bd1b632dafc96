#!/usr/bin/python3
"""Writes the colour reference tables the tests check src/color against, with scikit-image.

Run with Debian's python3 (python3-skimage, python3-numpy):  /usr/bin/python3 make_lab_reference.py
  lab_reference_rgb2lab.csv: r,g,b (8-bit codes) -> L,a,b    (an 11x11x11 grid of the RGB cube plus
                             1,000 random colours)
  lab_reference_lab2rgb.csv: L,a,b -> r,g,b in [0,1]         (an 11x11x11 grid of L in 0..100 and
                             a, b in -100..100, most of it out of gamut, so clipping is covered)
"""
import os
import warnings

import numpy as np
import skimage
from skimage.color import lab2rgb, rgb2lab

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261129)

grid = np.round(np.linspace(0, 255, 11)).astype(np.uint8)
cube = np.stack(np.meshgrid(grid, grid, grid, indexing="ij"), -1).reshape(-1, 3)
rgb8 = np.concatenate([cube, rng.integers(0, 256, size=(1000, 3), dtype=np.uint8)])
lab = rgb2lab(rgb8.reshape(1, -1, 3).astype(np.float64) / 255.0).reshape(-1, 3)
with open(os.path.join(here, "lab_reference_rgb2lab.csv"), "w") as f:
    f.write(f"# scikit-image {skimage.__version__} rgb2lab, D65 2 degree; r,g,b are 8-bit codes\n")
    f.write("r,g,b,L,a,b\n")
    for (r, g, b), (L, A, B) in zip(rgb8, lab):
        f.write(f"{r},{g},{b},{L:.6f},{A:.6f},{B:.6f}\n")

Ls = np.linspace(0, 100, 11)
ab = np.linspace(-100, 100, 11)
labs = np.stack(np.meshgrid(Ls, ab, ab, indexing="ij"), -1).reshape(-1, 3)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "Z < 0" for the out-of-range corners, clamped as documented
    rgb = lab2rgb(labs.reshape(1, -1, 3)).reshape(-1, 3)
with open(os.path.join(here, "lab_reference_lab2rgb.csv"), "w") as f:
    f.write(f"# scikit-image {skimage.__version__} lab2rgb, D65 2 degree; r,g,b in [0,1], clipped\n")
    f.write("L,a,b,r,g,b\n")
    for (L, A, B), (r, g, b) in zip(labs, rgb):
        f.write(f"{L:.6f},{A:.6f},{B:.6f},{r:.6f},{g:.6f},{b:.6f}\n")
