#!/usr/bin/env python3
"""The same U-Net in eager PyTorch from Python, on CUDA: the comparison for bench_gpu's engine numbers.

Times pix2pix's unet_256 forward pass (bench/peer/unet.py, networks.py's layers) at the network size of
a 16:9 frame at render size 256 as the seed runs it: networks.py's U-Net needs sizes divisible by 256,
so 455x256 is padded to 512x256 (colorize runs 455x256, padding per level). Batch 1 and 8; fp32 and bf16
(weights and input cast, channels-last), cuDNN autotuning on. Prints one line per case: median
milliseconds per batch over the timed runs, and frames/s.

Usage: eager_unet.py [--ngf 64] [--runs 20]
"""
import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peer"))
from unet import UnetGenerator  # noqa: E402


def time_forward(net, x, runs):
    with torch.no_grad():
        for _ in range(3):
            net(x)
        torch.cuda.synchronize()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            net(x)
            torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ngf", type=int, default=64)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("eager_unet: no CUDA device")
    torch.backends.cudnn.benchmark = True
    print(f"eager PyTorch {torch.__version__}, {torch.cuda.get_device_name()}, unet_256 ngf {args.ngf}")
    for dtype in (torch.float32, torch.bfloat16):
        net = UnetGenerator(1, 2, 8, args.ngf).cuda().eval().to(dtype)
        if dtype == torch.bfloat16:
            net = net.to(memory_format=torch.channels_last)
        for batch in (1, 8):
            x = torch.randn(batch, 1, 256, 512, device="cuda", dtype=dtype)
            if dtype == torch.bfloat16:
                x = x.contiguous(memory_format=torch.channels_last)
            ms = time_forward(net, x, args.runs)
            name = "bf16 channels-last" if dtype == torch.bfloat16 else "fp32"
            print(f"eager {name:18s} 512x256 batch {batch}: {ms:8.3f} ms/batch {1000 * batch / ms:9.1f} frames/s")


if __name__ == "__main__":
    main()
