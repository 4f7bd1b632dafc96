// The frames a training run learns from, decoded once in worker threads and held in memory (or, past
// what memory should hold, in a memory-mapped file on disk: training/frame_cache.hpp), and the
// batches drawn from them: random resized crop, horizontal flip, then L and ab normalised as the
// generator expects. Each batch depends only on (seed, step), so a resumed run sees exactly the
// batches an uninterrupted one would.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "training/frame_cache.hpp"
#include "training/frames.hpp"
#include "training/sources.hpp"

namespace colorize::training {

struct LoadReport {
  int sources = 0;
  int gray_skipped = 0;  // sources whose frames carry (almost) no colour
  int failed = 0;        // sources that could not be decoded (named in `problems`)
  long frames = 0;
  std::size_t bytes = 0;
  std::vector<std::string> problems;
};

struct FrameSet {
  std::vector<torch::Tensor> frames;  // uint8 H x W x 3 (read-only views into `cache` when it is set)
  std::vector<std::string> origins;   // the source of each frame
  std::shared_ptr<const FrameCacheFile> cache;
};

struct LoadOptions {
  DecodeOptions decode;
  double min_chroma = 4.0;  // a source whose frames average less chroma than this counts as black-and-white
  int workers = 2;
  std::size_t memory_limit = std::size_t{6} << 30;  // bytes of decoded frames held in memory
  // When set, a folder for a frame cache file: the frames go to disk and the memory limit does not apply.
  std::string cache_folder;
};

// Decodes every source (workers in parallel), in an order that does not depend on the threads. Without a
// cache folder, throws std::runtime_error when the frames would exceed the memory limit, saying how to
// stay within it.
FrameSet load_frames(const std::vector<Source>& sources, const LoadOptions& options, LoadReport& report);

struct Batch {
  torch::Tensor L;   // N x 1 x S x S, L / 50 - 1
  torch::Tensor ab;  // N x 2 x S x S, ab / 110
};

// A training batch: random resized crops (a quarter to all of the frame's area, aspect 3:4 to 4:3)
// resized to `size`, flipped half the time.
Batch training_batch(const FrameSet& set, int batch_size, int size, std::uint64_t seed, std::int64_t step);

// Validation batch: each frame resized (short side `size`, area filter) and centre-cropped, in order.
Batch validation_batch(const FrameSet& set, int size, int max_frames);

// L and ab of a float RGB crop (3 x H x W, values in [0,1]), normalised.
void rgb_to_normalised_lab(const torch::Tensor& rgb, torch::Tensor& L, torch::Tensor& ab);

}  // namespace colorize::training
