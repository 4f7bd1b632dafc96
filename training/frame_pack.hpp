// A frame pack: decoded training frames in one file, for the trainer where FFmpeg is not (the GPU
// machine, whose frames travel as JPEG files and are decoded there by bench/gpu/unpack_frames.py).
//
//   "CLZFRAMES1\n", then per frame: u8 side (0 training, 1 validation), u16 category length, the
//   category's bytes, u32 height, u32 width, height x width x 3 bytes of RGB; little-endian, to the end.
#pragma once

#include <string>

#include "training/batches.hpp"

namespace colorize::training {

struct FramePack {
  FrameSet train, validation;  // origins: each frame's category
  int gray_skipped = 0;        // frames with (almost) no colour, left out as colorize-train leaves them out
};

// Throws std::runtime_error for a missing, foreign or truncated file.
FramePack read_frame_pack(const std::string& path, double min_chroma = 4.0);

}  // namespace colorize::training
