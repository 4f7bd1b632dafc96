// Decoding a training source into RGB frames held in memory, downscaled: every image, and frames of a
// video sampled at a chosen rate with near-identical consecutive frames skipped.
#pragma once

#include <torch/types.h>

#include <vector>

#include "training/sources.hpp"

namespace colorize::training {

struct DecodeOptions {
  int short_side = 512;     // frames larger than this are shrunk (area filter) so their short side fits
  double video_fps = 1.0;   // frames kept per second of video
  double min_change = 3.0;  // mean absolute difference (8-bit RGB) below which a video frame repeats the last
  int max_video_frames = 0;  // per video; 0: no limit
};

// uint8 tensors of shape H x W x 3 (RGB). Throws media::MediaError when the source cannot be decoded.
std::vector<torch::Tensor> decode_source(const Source& source, const DecodeOptions& options);

}  // namespace colorize::training
