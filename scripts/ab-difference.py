#!/usr/bin/python3
"""Mean colour difference between two videos of the same frames: |ab| (Euclidean distance in CIE a*b*)
per pixel, averaged over each frame, then over the film; also the worst frame's. For checking that a film
joined from pieces matches a single run (docs/cluster.md).

usage: scripts/ab-difference.py A B   ->   frames=N mean_ab=X worst_frame_ab=Y (frame K)
"""
import subprocess
import sys

import numpy as np
from skimage.color import rgb2lab


def size_of(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0", path],
                         check=True, capture_output=True, text=True).stdout
    w, h = out.strip().split(",")[:2]
    return int(w), int(h)


def frames(path, width, height):
    p = subprocess.Popen(["ffmpeg", "-v", "error", "-i", path, "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], stdout=subprocess.PIPE)
    n = width * height * 3
    while True:
        data = p.stdout.read(n)
        if len(data) < n:
            break
        yield np.frombuffer(data, np.uint8).reshape(height, width, 3)
    if p.wait() != 0:
        sys.exit(f"ab-difference: ffmpeg could not decode {path}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = sys.argv[1:]
    size = size_of(a)
    if size_of(b) != size:
        sys.exit(f"ab-difference: {a} and {b} differ in size")
    per_frame = []
    for fa, fb in zip(frames(a, *size), frames(b, *size)):
        la, lb = rgb2lab(fa), rgb2lab(fb)
        per_frame.append(float(np.mean(np.hypot(la[..., 1] - lb[..., 1], la[..., 2] - lb[..., 2]))))
    if not per_frame:
        sys.exit("ab-difference: no frames")
    worst = int(np.argmax(per_frame))
    print(f"frames={len(per_frame)} mean_ab={np.mean(per_frame):.4f} "
          f"worst_frame_ab={per_frame[worst]:.4f} (frame {worst})")


if __name__ == "__main__":
    main()
