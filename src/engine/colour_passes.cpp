// The colour passes on the CPU (the reference the CUDA passes are checked against), and the choice.
#include <torch/torch.h>

#include <chrono>

#include "color/area_shrink.hpp"
#include "color/frame_lab.hpp"
#include "engine/colorizer.hpp"
#include "engine/colour_passes.hpp"
#include "engine/tensor_planes.hpp"
#ifdef COLORIZE_HAVE_CUDA
#include "engine/gpu_colour.hpp"
#endif

namespace colorize::engine {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class CpuColour final : public ColourPasses {
 public:
  torch::Device device() const override { return torch::kCPU; }
  bool reads_cuda_frames() const override { return false; }

  void to_lightness(const std::vector<color::FrameView>& in, const torch::Tensor& l_full,
                    const torch::Tensor& l_small, StageTimes& times) override {
    auto t0 = Clock::now();
    const auto count = static_cast<int64_t>(in.size());
    for (int64_t i = 0; i < count; ++i)
      color::frame_to_lightness(in[static_cast<std::size_t>(i)], plane_of(l_full[i], 0));
    times.lightness += seconds_since(t0);
    t0 = Clock::now();
    const int64_t h = l_full.size(2), w = l_full.size(3), sh = l_small.size(2), sw = l_small.size(3);
    if (sw <= w && sh <= h) {  // the area filter when shrinking: torch's adaptive_avg_pool2d, in src/color
      for (int64_t i = 0; i < count; ++i) color::area_shrink(plane_of(l_full[i], 0), plane_of(l_small[i], 0));
    } else {
      torch::Tensor into = l_small;  // a handle on the same storage: the _out form takes it by reference
      torch::upsample_bilinear2d_out(into, l_full, {sh, sw}, false);
    }
    times.resize += seconds_since(t0);
  }

  void compose(const torch::Tensor& L, const torch::Tensor& ab, const color::MutableFrameView& out) override {
    color::lab_to_frame(plane_of(L, 0), plane_of(ab, 0), plane_of(ab, 1), out);
  }
};

}  // namespace

std::unique_ptr<ColourPasses> make_colour_passes(const torch::Device& network_device) {
#ifdef COLORIZE_HAVE_CUDA
  if (network_device.is_cuda()) return std::make_unique<GpuColour>(network_device);
#endif
  (void)network_device;
  return std::make_unique<CpuColour>();
}

}  // namespace colorize::engine
