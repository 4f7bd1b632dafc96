#include "training/dataset.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace colorize::training {

FrameSet load_frames(const std::vector<Source>& sources, const LoadOptions& o, LoadReport& report) {
  report = {};
  report.sources = static_cast<int>(sources.size());
  std::shared_ptr<FrameCacheFile> cache;
  if (!o.cache_folder.empty()) cache = std::make_shared<FrameCacheFile>(o.cache_folder);
  // Per source: the frames in memory, or where each lies in the cache file (offset, height, width).
  struct Cached {
    std::uint64_t offset;
    int64_t height, width;
  };
  std::vector<std::vector<torch::Tensor>> decoded(sources.size());
  std::vector<std::vector<Cached>> cached(sources.size());
  std::vector<int> status(sources.size(), 0);  // 0 ok, 1 gray, 2 failed
  std::vector<std::string> problems(sources.size());
  std::atomic<std::size_t> next{0}, bytes{0};
  std::atomic<bool> over_limit{false};
  const auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < sources.size() && !over_limit;) {
      try {
        auto frames = decode_source(sources[i], o.decode);
        double chroma = 0;
        for (const auto& f : frames) chroma += mean_chroma(f);
        if (chroma / static_cast<double>(frames.size()) < o.min_chroma) {
          status[i] = 1;
          continue;
        }
        for (const auto& f : frames) bytes += static_cast<std::size_t>(f.numel());
        if (cache) {
          for (const auto& f : frames) {
            const torch::Tensor c = f.contiguous();
            cached[i].push_back(
                {cache->append(c.data_ptr<std::uint8_t>(), static_cast<std::size_t>(c.numel())), c.size(0),
                 c.size(1)});
          }
        } else {
          if (bytes > o.memory_limit) over_limit = true;
          decoded[i] = std::move(frames);
        }
      } catch (const std::exception& e) {
        status[i] = 2;
        problems[i] = e.what();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, o.workers); ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (over_limit)
    throw std::runtime_error("the decoded training frames exceed the memory limit of " +
                             std::to_string(o.memory_limit >> 20) +
                             " MiB; lower --load-size or --video-fps, raise --memory-limit-mb, or keep the "
                             "frames on disk with --frame-cache DIR");
  FrameSet set;
  if (cache) {
    cache->map();
    set.cache = cache;
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (status[i] == 1) ++report.gray_skipped;
    if (status[i] == 2) {
      ++report.failed;
      report.problems.push_back(problems[i]);
    }
    for (auto& f : decoded[i]) {
      set.frames.push_back(std::move(f));
      set.origins.push_back(sources[i].path);
    }
    for (const Cached& c : cached[i]) {
      // A view of the read-only mapping: batches only read frames (crops are copied as they are made).
      auto* data = const_cast<std::uint8_t*>(cache->data() + c.offset);
      set.frames.push_back(torch::from_blob(data, {c.height, c.width, 3}, torch::kUInt8));
      set.origins.push_back(sources[i].path);
    }
  }
  report.frames = static_cast<long>(set.frames.size());
  report.bytes = bytes;
  return set;
}

}  // namespace colorize::training
