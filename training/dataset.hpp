// The frames a training run learns from, decoded once in worker threads and held in memory (or, past
// what memory should hold, in a memory-mapped file on disk: training/frame_cache.hpp). The batches
// drawn from them: training/batches.hpp.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "training/batches.hpp"
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

}  // namespace colorize::training
