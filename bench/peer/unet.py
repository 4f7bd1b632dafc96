"""pix2pix's U-Net generator (networks.py's UnetGenerator with batch norm), and a reader of colorize model
files (safetensors) into its state_dict: the network of the peer (colorize_peer.py) and of the GPU eager
comparison (bench/gpu/eager_unet.py). Needs only torch (and numpy to read a model file)."""
import json
import struct

import torch
from torch import nn


def read_model(path):
    """A colorize model file (safetensors): its metadata and a state_dict of torch tensors."""
    import numpy as np  # only here: the GPU machine's Python may have torch without numpy

    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    meta = header.pop("__metadata__")
    base = 8 + length
    state = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[base + start:base + end], dtype=dtypes[entry["dtype"]])
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
