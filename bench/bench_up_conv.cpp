// The U-Net's up-sampling layers on the CPU, one by one: torch's transposed convolution against
// model::UpConv's inference path (one 2x2 convolution over four phases; src/model/up_conv.hpp), on the
// shapes unet_256 has for a 1920x1080 frame at render size 256 (network input 455x256).
// Run:  build/bench/bench_up_conv --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "model/up_conv.hpp"

namespace {

struct LayerShape {
  int in_channels, out_channels, height, width;  // the layer's input
};

// Level 0 is the outermost; level 7 the innermost of an 8-level U-Net (channels as networks.cpp builds).
LayerShape layer(int ngf, int level) {
  int h = 256, w = 455;
  for (int i = 0; i <= level; ++i) {
    h = (h + 1) / 2;  // odd sizes are padded by one before each stride-2 conv
    w = (w + 1) / 2;
  }
  const auto width_at = [&](int l) { return ngf * std::min(1 << l, 8); };
  const int outer = level == 0 ? 2 : width_at(level - 1), inner = width_at(level);
  return {level == 7 ? inner : 2 * inner, outer, h, w};
}

void BM_UpConv(benchmark::State& state) {
  const bool phases = state.range(0) == 1;
  const int ngf = static_cast<int>(state.range(1)), level = static_cast<int>(state.range(2));
  const LayerShape s = layer(ngf, level);
  torch::manual_seed(1);
  colorize::model::UpConv up(s.in_channels, s.out_channels, level == 0);
  const torch::Tensor x = torch::randn({1, s.in_channels, s.height, s.width});
  torch::NoGradGuard no_grad;
  const auto run = [&] {
    return phases ? up->forward(x) : torch::conv_transpose2d(x, up->weight, up->bias, 2, 1);
  };
  run();
  for (auto _ : state) benchmark::DoNotOptimize(run().data_ptr());
  state.SetLabel(std::string(phases ? "phases" : "torch ") + " ngf " + std::to_string(ngf) + " level " +
                 std::to_string(level) + ": " + std::to_string(s.in_channels) + "->" +
                 std::to_string(s.out_channels) + " at " + std::to_string(s.height) + "x" +
                 std::to_string(s.width));
}

// Arguments: path (0 torch, 1 phases), ngf, level. Torch and phases alternate, layer by layer.
BENCHMARK(BM_UpConv)
    ->ArgsProduct({{0, 1}, {16, 64}, {0, 1, 2, 3, 4, 5, 6, 7}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);

}  // namespace

BENCHMARK_MAIN();
