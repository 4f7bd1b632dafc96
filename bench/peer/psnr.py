#!/usr/bin/python3
"""PSNR (dB, 8-bit RGB, over all frames) between two videos of the same size, decoded with OpenCV.

Usage: psnr.py A B   -> prints "psnr_db frames"
"""
import math
import sys

import cv2
import numpy as np


def main():
    a, b = cv2.VideoCapture(sys.argv[1]), cv2.VideoCapture(sys.argv[2])
    squared, count, frames = 0.0, 0, 0
    while True:
        ok_a, fa = a.read()
        ok_b, fb = b.read()
        if not ok_a or not ok_b:
            if ok_a != ok_b:
                sys.exit("psnr: the videos have different frame counts")
            break
        if fa.shape != fb.shape:
            sys.exit(f"psnr: frame sizes differ: {fa.shape} vs {fb.shape}")
        d = fa.astype(np.float64) - fb.astype(np.float64)
        squared += float(np.sum(d * d))
        count += d.size
        frames += 1
    if frames == 0:
        sys.exit("psnr: no frames")
    mse = squared / count
    print(f"{(99.0 if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)):.2f} {frames}")


if __name__ == "__main__":
    main()
