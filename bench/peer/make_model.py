#!/usr/bin/python3
"""Writes a pix2pix-initialised U-Net generator of any width as a colorize model file, from Python.

The benchmark's models for widths the project does not ship (speed does not depend on the weights),
and a check of docs/model-files.md's export recipe: the file is built from a torch state_dict the way
that page describes, and colorize must load it.

Usage: make_model.py --ngf 64 [--levels 8] [--seed 1] -o OUT.safetensors
"""
import argparse
import json
import os
import struct

import torch

from unet import UnetGenerator


def write_model(path, state, meta):
    header, blobs, offset = {"__metadata__": meta}, [], 0
    for name, t in state.items():
        t = t.detach().contiguous()
        t = t.float() if t.is_floating_point() else t.long()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": "F32" if t.is_floating_point() else "I64", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ngf", type=int, required=True)
    parser.add_argument("--levels", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", dest="output", required=True)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    net = UnetGenerator(1, 2, args.levels, args.ngf)
    for m in net.modules():  # pix2pix's init_weights('normal', 0.02)
        if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
            torch.nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
        elif isinstance(m, torch.nn.BatchNorm2d):
            torch.nn.init.normal_(m.weight, 1.0, 0.02)
            torch.nn.init.zeros_(m.bias)
    meta = {"format": "colorize-generator", "format_version": "1", "architecture": "unet", "norm": "batch",
            "ngf": str(args.ngf), "levels": str(args.levels), "input_channels": "1", "output_channels": "2",
            "input_scale": "50", "input_offset": "-1", "output_scale": "110",
            "trained_on": f"nothing: pix2pix initialisation, seed {args.seed} (benchmark model)"}
    write_model(args.output, net.state_dict(), meta)


if __name__ == "__main__":
    main()
