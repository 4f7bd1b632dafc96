// The Colorizer's colour passes on CUDA: frames uploaded through page-locked memory on a copy stream,
// converted to L* and the network's input by one kernel, composed back from L* and a*b* by another,
// downloaded on the copy stream. The kernels run on the stream LibTorch runs the network on (the
// device's default stream), so they order with the network without host synchronisation; the copy
// stream is ordered against it with events.
#pragma once

#include <torch/types.h>

#include <vector>

#include "color/cuda_memory.hpp"
#include "color/device_frame.hpp"
#include "color/frame_view.hpp"
#include "engine/colour_passes.hpp"

namespace colorize::engine {

class GpuColour final : public ColourPasses {
 public:
  explicit GpuColour(const torch::Device& device) : device_(device) {}
  torch::Device device() const override { return device_; }
  bool reads_cuda_frames() const override { return true; }
  // Uploads the frames (those already in CUDA memory are read in place); one kernel writes L* and its
  // resize. The time added is the enqueueing: the kernels run on while the network is enqueued.
  void to_lightness(const std::vector<color::FrameView>& in, const torch::Tensor& l_full,
                    const torch::Tensor& l_small, StageTimes& times) override;
  // `out` in host or CUDA memory.
  void compose(const torch::Tensor& L, const torch::Tensor& ab, const color::MutableFrameView& out) override;

 private:
  torch::Device device_;
  color::cuda::Stream copies_;
  color::cuda::Event compute_done_;
  std::vector<color::cuda::DeviceFrame> inputs_;  // one per frame of a batch, reused
  color::cuda::DeviceFrame output_;
};

}  // namespace colorize::engine
