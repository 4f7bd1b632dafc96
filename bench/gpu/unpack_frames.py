#!/usr/bin/env python3
"""Decodes a training pack's JPEG files (scripts/device-training-pack.sh wrote them) into one frame pack
for colorize-train-pack (its format: training/frame_pack.hpp). Runs where FFmpeg is not, with Pillow:
the GPU machine's Python has it, and so does Debian's (python3-pil).

    unpack_frames.py PACK_DIR FRAMES.bin
"""
import os
import struct
import sys

from PIL import Image


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pack, target = sys.argv[1], sys.argv[2]
    index = os.path.join(pack, "index.tsv")
    if not os.path.isfile(index):
        sys.exit(f"unpack_frames: {index} is missing: run scripts/device-training-pack.sh first")
    count = 0
    with open(index) as lines, open(target + ".partial", "wb") as out:
        out.write(b"CLZFRAMES1\n")
        for line in lines:
            side, category, name = line.rstrip("\n").split("\t")
            image = Image.open(os.path.join(pack, name)).convert("RGB")
            label = category.encode()
            out.write(struct.pack("<BH", 1 if side == "validation" else 0, len(label)) + label)
            out.write(struct.pack("<II", image.height, image.width) + image.tobytes())
            count += 1
    os.replace(target + ".partial", target)
    print(f"unpack_frames: {count} frames in {target}")


if __name__ == "__main__":
    main()
