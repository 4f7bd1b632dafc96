// Colorizer frames/s on the CPU and where the time goes, for 640x480 and 1920x1080 I420 video frames
// at render size 256, with generators of ngf 16, 32 and 64 (random weights: speed does not depend on
// them). Run:  build/bench/bench_colorizer --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <filesystem>
#include <vector>

#include "engine/colorizer.hpp"
#include "model/model_file.hpp"

namespace {

using colorize::color::PixelFormat;

std::string model_file(int ngf) {
  const auto path =
      std::filesystem::temp_directory_path() / ("colorize-bench-ngf" + std::to_string(ngf) + ".safetensors");
  if (!std::filesystem::exists(path)) {
    torch::manual_seed(1);
    colorize::model::UnetGenerator g(colorize::model::GeneratorConfig{ngf, 8, 1, 2});
    colorize::model::init_pix2pix_weights(*g);
    colorize::model::save_generator(path.string(), g, colorize::model::ModelInfo{});
  }
  return path.string();
}

struct I420Frame {
  std::vector<std::uint8_t> bytes;
  colorize::color::MutableFrameView view;
  I420Frame(int w, int h) : bytes(static_cast<std::size_t>(w) * h * 3 / 2 + w + h + 2) {
    view.format = PixelFormat::I420;
    view.width = w;
    view.height = h;
    const int cw = (w + 1) / 2, ch = (h + 1) / 2;
    view.data = {bytes.data(), bytes.data() + w * h, bytes.data() + w * h + cw * ch};
    view.stride = {w, cw, cw};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>((i * 7) % 251);
    std::fill(bytes.begin() + w * h, bytes.end(), 128);  // a black-and-white source
  }
};

void BM_Colorize(benchmark::State& state) {
  const int ngf = static_cast<int>(state.range(0));
  const int w = static_cast<int>(state.range(1)), h = static_cast<int>(state.range(2));
  colorize::engine::ColorizerOptions options;
  options.model_path = model_file(ngf);
  options.device = colorize::engine::Device::Cpu;
  const auto mode = static_cast<colorize::engine::TemporalSmoothing>(state.range(3));
  options.temporal = mode;
  colorize::engine::Colorizer colorizer(options);
  I420Frame in(w, h), out(w, h);
  // Frame by frame through send() and receive(), the way the CLI drives it: file-mode smoothing returns
  // each frame `lookahead` frames late, so the warm-up fills its look-ahead first.
  const auto step = [&] {
    colorizer.send({in.view});
    colorizer.receive(out.view);
  };
  for (int i = 0; i <= colorizer.latency_frames(); ++i) step();
  colorizer.reset_stage_times();
  for (auto _ : state) step();
  const auto& t = colorizer.stage_times();
  const double total = t.lightness + t.resize + t.network + t.compose + t.temporal;
  state.counters["fps"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["network%"] = 100.0 * t.network / total;
  const auto [iw, ih] = colorize::engine::Colorizer::inference_size(w, h, options.render_size);
  state.counters["net_GFLOP/s"] = colorize::model::generator_flops(colorizer.model_info().generator, ih, iw) *
                                  static_cast<double>(t.frames) / t.network / 1e9;
  state.counters["lightness%"] = 100.0 * t.lightness / total;
  state.counters["resize%"] = 100.0 * t.resize / total;
  state.counters["compose%"] = 100.0 * t.compose / total;
  state.counters["temporal_ms"] = 1e3 * t.temporal / static_cast<double>(t.frames);
  const char* names[] = {"", ", temporal smoothing live", ", temporal smoothing file"};
  state.SetLabel("ngf " + std::to_string(ngf) + ", " + std::to_string(w) + "x" + std::to_string(h) + " I420" +
                 names[state.range(3)]);
}

// Arguments: ngf, width, height, temporal smoothing (0 off, 1 live, 2 file).
BENCHMARK(BM_Colorize)
    ->ArgsProduct({{16, 32, 64}, {640}, {480}, {0}})
    ->Args({16, 1920, 1080, 0})
    ->Args({32, 1920, 1080, 0})
    ->Args({64, 1920, 1080, 0})
    ->Args({16, 640, 480, 1})
    ->Args({64, 640, 480, 1})
    ->Args({16, 1920, 1080, 1})
    ->Args({64, 1920, 1080, 1})
    ->Args({16, 640, 480, 2})
    ->Args({64, 640, 480, 2})
    ->Args({16, 1920, 1080, 2})
    ->Args({64, 1920, 1080, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
