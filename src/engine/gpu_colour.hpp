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

namespace colorize::engine {

class GpuColour {
 public:
  // Uploads `count` frames of one size (frames already in CUDA memory are read in place) and fills
  // l_full (count x 1 x H x W) and l_small (count x 1 x h x w), float tensors on the CUDA device, with
  // L* and L* resized as the CPU path does.
  void to_lightness(const color::FrameView* in, int count, const torch::Tensor& l_full,
                    const torch::Tensor& l_small);

  // Writes `out` (host or CUDA memory, any format) from L (1 x H x W) and ab (2 x h x w), contiguous
  // float tensors on the CUDA device. Returns when `out` is written.
  void compose(const torch::Tensor& L, const torch::Tensor& ab, const color::MutableFrameView& out);

 private:
  color::cuda::Stream copies_;
  color::cuda::Event compute_done_;
  std::vector<color::cuda::DeviceFrame> inputs_;  // one per frame of a batch, reused
  color::cuda::DeviceFrame output_;
};

}  // namespace colorize::engine
