// Lab conversion throughput on a 1080p frame: the colour work the engine does around the network.
//   build/bench/bench_color --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "color/area_shrink.hpp"
#include "color/frame_lab.hpp"

namespace {

using colorize::color::PixelFormat;

constexpr int kW = 1920, kH = 1080;

struct OwnedFrame {
  std::vector<std::uint8_t> planes[3];
  colorize::color::MutableFrameView view;

  explicit OwnedFrame(PixelFormat format) {
    view.format = format;
    view.width = kW;
    view.height = kH;
    std::mt19937 rng(7);
    for (int p = 0; p < colorize::color::plane_count(format); ++p) {
      view.stride[p] = colorize::color::min_row_bytes(format, p, kW);
      planes[p].resize(static_cast<std::size_t>(view.stride[p]) * colorize::color::plane_rows(format, p, kH));
      for (auto& b : planes[p]) b = static_cast<std::uint8_t>(rng());
      view.data[p] = planes[p].data();
    }
  }
};

struct LabPlanes {
  std::vector<float> L = std::vector<float>(kW * kH), a = L, b = L;
  colorize::color::Plane pl() { return {L.data(), kW, kH, kW}; }
  colorize::color::Plane pa() { return {a.data(), kW, kH, kW}; }
  colorize::color::Plane pb() { return {b.data(), kW, kH, kW}; }
};

void report(benchmark::State& state) {
  state.counters["MPix/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * kW * kH / 1e6,
                                                benchmark::Counter::kIsRate);
}

void BM_FrameToLightness(benchmark::State& state) {
  OwnedFrame frame(static_cast<PixelFormat>(state.range(0)));
  LabPlanes lab;
  for (auto _ : state) colorize::color::frame_to_lightness(frame.view, lab.pl());
  report(state);
  state.SetLabel(std::string(colorize::color::to_string(frame.view.format)));
}

void BM_FrameToLab(benchmark::State& state) {
  OwnedFrame frame(static_cast<PixelFormat>(state.range(0)));
  LabPlanes lab;
  for (auto _ : state) colorize::color::frame_to_lab(frame.view, lab.pl(), lab.pa(), lab.pb());
  report(state);
  state.SetLabel(std::string(colorize::color::to_string(frame.view.format)));
}

void BM_LabToFrame(benchmark::State& state) {
  OwnedFrame source(PixelFormat::Rgb24);
  LabPlanes lab;
  colorize::color::frame_to_lab(source.view, lab.pl(), lab.pa(), lab.pb());
  OwnedFrame frame(static_cast<PixelFormat>(state.range(0)));
  for (auto _ : state) colorize::color::lab_to_frame(lab.pl(), lab.pa(), lab.pb(), frame.view);
  report(state);
  state.SetLabel(std::string(colorize::color::to_string(frame.view.format)));
}

// The engine's two passes around the network at 1080p with a 455x256 network: L* shrunk to the
// network's size, and the compose from the network's a*b* (upsampled inside the pass).
constexpr int kNetW = 455, kNetH = 256;

void BM_AreaShrink(benchmark::State& state) {
  LabPlanes lab;
  std::vector<float> small(kNetW * kNetH);
  for (auto _ : state) colorize::color::area_shrink(lab.pl(), {small.data(), kNetW, kNetH, kNetW});
  report(state);
}

void BM_ComposeFromNetworkSize(benchmark::State& state) {
  OwnedFrame source(PixelFormat::Rgb24);
  LabPlanes lab;
  colorize::color::frame_to_lab(source.view, lab.pl(), lab.pa(), lab.pb());
  std::vector<float> a(kNetW * kNetH), b(kNetW * kNetH);
  colorize::color::area_shrink(lab.pa(), {a.data(), kNetW, kNetH, kNetW});
  colorize::color::area_shrink(lab.pb(), {b.data(), kNetW, kNetH, kNetW});
  OwnedFrame frame(static_cast<PixelFormat>(state.range(0)));
  for (auto _ : state)
    colorize::color::lab_to_frame(lab.pl(), {a.data(), kNetW, kNetH, kNetW}, {b.data(), kNetW, kNetH, kNetW},
                                  frame.view);
  report(state);
  state.SetLabel(std::string(colorize::color::to_string(frame.view.format)));
}

void formats(benchmark::internal::Benchmark* b) {
  for (PixelFormat f : {PixelFormat::Gray8, PixelFormat::Rgb24, PixelFormat::I420, PixelFormat::Nv12})
    b->Arg(static_cast<int>(f));
}

BENCHMARK(BM_FrameToLightness)->Apply(formats)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FrameToLab)->Apply(formats)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LabToFrame)->Apply(formats)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AreaShrink)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ComposeFromNetworkSize)->Apply(formats)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
