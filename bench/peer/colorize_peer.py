#!/usr/bin/python3
"""The peer: the seed's Python pix2pix colorization pipeline applied to a video, as its users write it.

Frames read with OpenCV, scikit-image's rgb2lab, L resized (area) so its short side is the render size,
padded (reflect) to a multiple of 2^levels as pix2pix's unet_256 needs, the same U-Net with the same
weights (read from a colorize model file with numpy), ab cropped, upsampled (bilinear) to full size,
lab2rgb, frames written with OpenCV's VideoWriter. Only Debian's python3-torch, python3-skimage,
python3-opencv and python3-numpy; nothing is downloaded.

Usage: colorize_peer.py --model M.safetensors -i IN -o OUT [--render-size 256] [--device cpu|cuda]
       [--threads N] [--fourcc FFV1]
"""
import argparse
import math
import sys
import time

import cv2
import numpy as np
import torch
from skimage import color

from unet import UnetGenerator, read_model

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("-i", dest="input", required=True)
    parser.add_argument("-o", dest="output", required=True)
    parser.add_argument("--render-size", type=int, default=256)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--fourcc", default="FFV1")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)

    meta, state = read_model(args.model)
    levels, ngf = int(meta["levels"]), int(meta["ngf"])
    net = UnetGenerator(int(meta["input_channels"]), int(meta["output_channels"]), levels, ngf)
    net.load_state_dict(state, strict=True)
    net.eval().to(device)
    in_scale, in_offset = float(meta["input_scale"]), float(meta["input_offset"])
    out_scale = float(meta["output_scale"])
    multiple = 2 ** levels

    capture = cv2.VideoCapture(args.input)
    if not capture.isOpened():
        sys.exit(f"colorize_peer: cannot open {args.input}")
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    writer = None
    frames, start = 0, time.monotonic()
    with torch.no_grad():
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            h, w = bgr.shape[:2]
            if writer is None:
                writer = cv2.VideoWriter(args.output, cv2.VideoWriter_fourcc(*args.fourcc), fps, (w, h))
                if not writer.isOpened():
                    sys.exit(f"colorize_peer: cannot write {args.output}")
            lab = color.rgb2lab(bgr[:, :, ::-1])
            L = lab[:, :, 0].astype(np.float32)
            scale = args.render_size / min(w, h)
            sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
            small = cv2.resize(L, (sw, sh), interpolation=cv2.INTER_AREA)
            pw, ph = math.ceil(sw / multiple) * multiple, math.ceil(sh / multiple) * multiple
            padded = np.pad(small, ((0, ph - sh), (0, pw - sw)), mode="reflect")
            x = torch.from_numpy(padded / in_scale + in_offset).float()[None, None].to(device)
            ab = net(x)[0, :, :sh, :sw].float().cpu().numpy() * out_scale
            ab = cv2.resize(ab.transpose(1, 2, 0), (w, h), interpolation=cv2.INTER_LINEAR)
            rgb = color.lab2rgb(np.dstack([lab[:, :, 0], ab]))
            writer.write(np.clip(rgb[:, :, ::-1] * 255.0 + 0.5, 0, 255).astype(np.uint8))
            frames += 1
    if writer is not None:
        writer.release()
    elapsed = time.monotonic() - start
    print(f"colorize_peer: {frames} frames in {elapsed:.2f} s", file=sys.stderr)
    if frames == 0:
        sys.exit("colorize_peer: no frames decoded")


if __name__ == "__main__":
    main()
