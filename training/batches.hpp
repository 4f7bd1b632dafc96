// The batches a training run draws from its frames: random resized crop, horizontal flip, then L and
// ab normalised as the generator expects. Each batch depends only on (seed, step), so a resumed run sees
// exactly the batches an uninterrupted one would. Nothing here decodes media (training/dataset.hpp
// loads the frames), so the trainer builds where FFmpeg is missing (the GPU machine).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "training/frame_cache.hpp"

namespace colorize::training {

struct FrameSet {
  std::vector<torch::Tensor> frames;  // uint8 H x W x 3 (read-only views into `cache` when it is set)
  std::vector<std::string> origins;   // the source of each frame
  std::shared_ptr<const FrameCacheFile> cache;
};

struct Batch {
  torch::Tensor L;   // N x 1 x S x S, L / 50 - 1
  torch::Tensor ab;  // N x 2 x S x S, ab / 110
};

// A training batch: random resized crops (a quarter to all of the frame's area, aspect 3:4 to 4:3)
// resized to `size`, flipped half the time.
Batch training_batch(const FrameSet& set, int batch_size, int size, std::uint64_t seed, std::int64_t step);

// Rank `rank`'s share of a step's batch of `ranks` x B frames: frames rank x B to (rank + 1) x B - 1.
// Data-parallel ranks each draw the whole step's batch (it depends only on seed and step) and train on
// their share, so that N ranks see exactly the frames one process of batch N x B would.
Batch share_of(const Batch& step_batch, int rank, int ranks);

// Validation batch: at most `max_frames` frames spread evenly over the set, in order, each resized (short
// side `size`, area filter) and centre-cropped.
Batch validation_batch(const FrameSet& set, int size, int max_frames);

// Mean chroma, sqrt(a*^2 + b*^2), over a uint8 H x W x 3 RGB frame: about 0 for black-and-white, 10-30
// for colour photographs.
double mean_chroma(const torch::Tensor& rgb);

// L and ab of a float RGB crop (3 x H x W, values in [0,1]), normalised.
void rgb_to_normalised_lab(const torch::Tensor& rgb, torch::Tensor& L, torch::Tensor& ab);

}  // namespace colorize::training
