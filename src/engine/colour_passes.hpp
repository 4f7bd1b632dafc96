// The Colorizer's colour passes: frames to L* (full size and the network's size) before the network,
// L* and a*b* back to frames after it. One implementation per place they run: the CPU (the reference)
// and CUDA (engine/gpu_colour.hpp, where frames stay on the device). make_colour_passes() picks one;
// the CUDA #if lives there and nowhere else.
#pragma once

#include <torch/types.h>

#include <memory>
#include <vector>

#include "color/frame_view.hpp"

namespace colorize::engine {

struct StageTimes;

class ColourPasses {
 public:
  virtual ~ColourPasses() = default;
  // Where the passes keep L* and a*b*: the network's input and the compose are read there.
  virtual torch::Device device() const = 0;
  // Whether frames in CUDA memory (NVDEC's) can be read and written.
  virtual bool reads_cuda_frames() const = 0;
  // Fills l_full (count x 1 x H x W) and l_small (count x 1 x h x w), float tensors on device(), with the
  // frames' L* and L* resized to the network's size: an area mean when shrinking on both axes, else
  // bilinear (torch's adaptive_avg_pool2d and upsample_bilinear2d). Adds its seconds to `times`.
  virtual void to_lightness(const std::vector<color::FrameView>& in, const torch::Tensor& l_full,
                            const torch::Tensor& l_small, StageTimes& times) = 0;
  // Writes `out` (any format) from L (1 x H x W) and ab (2 x h x w, upsampled bilinearly on the fly),
  // contiguous float tensors on device(). Returns when `out` is written.
  virtual void compose(const torch::Tensor& L, const torch::Tensor& ab,
                       const color::MutableFrameView& out) = 0;
};

// The passes for a network on `network_device`: on CUDA the CUDA passes where this build has the
// kernels, else the CPU's.
std::unique_ptr<ColourPasses> make_colour_passes(const torch::Device& network_device);

}  // namespace colorize::engine
