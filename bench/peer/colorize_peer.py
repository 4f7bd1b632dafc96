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
import json
import math
import struct
import sys
import time

import cv2
import numpy as np
import torch
from skimage import color
from torch import nn

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_model(path):
    """A colorize model file (safetensors): its metadata and a state_dict of torch tensors."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    meta = header.pop("__metadata__")
    base = 8 + length
    state = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[base + start:base + end], dtype=DTYPES[entry["dtype"]])
        array = array.reshape(entry["shape"]).copy()
        state[name] = torch.from_numpy(array.astype(np.float32) if entry["dtype"] == "F16" else array)
    return meta, state


class UnetBlock(nn.Module):
    """pix2pix's UnetSkipConnectionBlock (batch norm): down, the inner block, up, and the skip."""

    def __init__(self, outer, inner, input_nc=None, submodule=None, outermost=False, innermost=False,
                 dropout=False):
        super().__init__()
        self.outermost = outermost
        input_nc = outer if input_nc is None else input_nc
        down = nn.Conv2d(input_nc, inner, 4, 2, 1, bias=False)
        leaky, relu = nn.LeakyReLU(0.2, True), nn.ReLU(True)
        if outermost:
            layers = [down, submodule, relu, nn.ConvTranspose2d(inner * 2, outer, 4, 2, 1), nn.Tanh()]
        elif innermost:
            layers = [leaky, down, relu, nn.ConvTranspose2d(inner, outer, 4, 2, 1, bias=False),
                      nn.BatchNorm2d(outer)]
        else:
            layers = [leaky, down, nn.BatchNorm2d(inner), submodule, relu,
                      nn.ConvTranspose2d(inner * 2, outer, 4, 2, 1, bias=False), nn.BatchNorm2d(outer)]
            if dropout:
                layers.append(nn.Dropout(0.5))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        if self.outermost:
            return self.model(x)
        # As in networks.py: the in-place LeakyReLU at the start of model also rewrites x.
        return torch.cat([x, self.model(x)], 1)


class UnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, levels, ngf):
        super().__init__()
        block = UnetBlock(ngf * 8, ngf * 8, innermost=True)
        for _ in range(levels - 5):
            block = UnetBlock(ngf * 8, ngf * 8, submodule=block, dropout=True)
        block = UnetBlock(ngf * 4, ngf * 8, submodule=block)
        block = UnetBlock(ngf * 2, ngf * 4, submodule=block)
        block = UnetBlock(ngf, ngf * 2, submodule=block)
        self.model = UnetBlock(output_nc, ngf, input_nc, submodule=block, outermost=True)

    def forward(self, x):
        return self.model(x)


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
