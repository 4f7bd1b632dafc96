#include "engine/colorizer.hpp"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "color/frame_lab.hpp"
#ifdef COLORIZE_HAVE_TEMPORAL
#include "engine/temporal_stabilizer.hpp"
#endif

namespace colorize::engine {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

torch::Device pick_device(Device d) {
  const bool cuda = torch::cuda::is_available();
  if (d == Device::Cuda && !cuda)
    throw std::invalid_argument("device cuda requested, but LibTorch sees no CUDA device");
  return (d == Device::Cuda || (d == Device::Auto && cuda)) ? torch::Device(torch::kCUDA)
                                                            : torch::Device(torch::kCPU);
}

torch::ScalarType scalar_type(Precision p) {
  return p == Precision::BFloat16  ? torch::kBFloat16
         : p == Precision::Float16 ? torch::kFloat16
                                   : torch::kFloat32;
}

// A (height x width) float plane of a contiguous N x C x H x W CPU tensor.
color::Plane plane_of(torch::Tensor& t, int64_t n, int64_t c) {
  const int h = static_cast<int>(t.size(2)), w = static_cast<int>(t.size(3));
  return {t[n][c].data_ptr<float>(), w, h, w};
}

void require_temporal(TemporalSmoothing mode) {
  if (mode != TemporalSmoothing::Off && !temporal_smoothing_available())
    throw std::invalid_argument(
        "temporal smoothing needs OpenCV's video module, and this build has none "
        "(install libopencv-video-dev and rebuild, or turn temporal smoothing off)");
}

}  // namespace

bool temporal_smoothing_available() {
#ifdef COLORIZE_HAVE_TEMPORAL
  return true;
#else
  return false;
#endif
}

struct Colorizer::State {
  ColorizerOptions options;
  model::LoadedGenerator model;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  StageTimes times;
  // Reused from call to call; reallocated only when the frame size or batch changes.
  torch::Tensor l_full;   // N x 1 x H x W, L* of the input, CPU
  torch::Tensor l_small;  // N x 1 x h x w, network input
#ifdef COLORIZE_HAVE_TEMPORAL
  TemporalStabilizer stabilizer;
#endif

  void run_group(const color::FrameView* in, const color::MutableFrameView* out, int count);
};

Colorizer::Colorizer(const ColorizerOptions& options) : state_(std::make_unique<State>()) {
  if (options.render_size < 16 || options.render_size > 4096)
    throw std::invalid_argument("render size must be between 16 and 4096, got " +
                                std::to_string(options.render_size));
  if (options.threads < 0) throw std::invalid_argument("threads must be 0 (all cores) or more");
  State& s = *state_;
  s.options = options;
  s.device = pick_device(options.device);
  s.dtype = scalar_type(options.precision);
  if (s.device.is_cpu() && s.dtype == torch::kFloat16)
    throw std::invalid_argument("precision fp16 needs CUDA; on the CPU use fp32 or bf16");
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  s.model = model::load_generator(options.model_path, s.device);
  s.model.net->to(s.dtype);
  s.model.net->set_dropout(options.dropout);
  require_temporal(options.temporal);
}

Colorizer::~Colorizer() = default;

std::pair<int, int> Colorizer::inference_size(int width, int height, int render_size) {
  // The network pads odd sizes per level itself, so only the aspect ratio decides the long side.
  const double scale = static_cast<double>(render_size) / std::min(width, height);
  const auto side = [&](int n) { return std::max(1, static_cast<int>(std::lround(n * scale))); };
  return {side(width), side(height)};
}

void Colorizer::colorize(const color::FrameView& in, const color::MutableFrameView& out) {
  colorize(std::vector<color::FrameView>{in}, std::vector<color::MutableFrameView>{out});
}

void Colorizer::colorize(const std::vector<color::FrameView>& in,
                         const std::vector<color::MutableFrameView>& out) {
  if (in.size() != out.size())
    throw std::invalid_argument("colorize: " + std::to_string(in.size()) + " input frames but " +
                                std::to_string(out.size()) + " outputs");
  for (std::size_t i = 0; i < in.size(); ++i)
    if (in[i].width != out[i].width || in[i].height != out[i].height)
      throw std::invalid_argument("colorize: frame " + std::to_string(i) + " is " +
                                  std::to_string(in[i].width) + "x" + std::to_string(in[i].height) +
                                  " but its output is " + std::to_string(out[i].width) + "x" +
                                  std::to_string(out[i].height));
  // Consecutive frames of one size share a batch.
  std::size_t start = 0;
  while (start < in.size()) {
    std::size_t end = start + 1;
    while (end < in.size() && in[end].width == in[start].width && in[end].height == in[start].height) ++end;
    state_->run_group(&in[start], &out[start], static_cast<int>(end - start));
    start = end;
  }
}

void Colorizer::State::run_group(const color::FrameView* in, const color::MutableFrameView* out, int count) {
  torch::NoGradGuard no_grad;
  const int w = in[0].width, h = in[0].height;
  const auto [sw, sh] = inference_size(w, h, options.render_size);
  const auto ensure = [](torch::Tensor& t, std::vector<int64_t> shape) {
    if (!t.defined() || t.sizes().vec() != shape) t = torch::empty(shape, torch::kFloat32);
  };
  ensure(l_full, {count, 1, h, w});
  ensure(l_small, {count, 1, sh, sw});

  auto t0 = Clock::now();
  for (int i = 0; i < count; ++i) color::frame_to_lightness(in[i], plane_of(l_full, i, 0));
  times.lightness += seconds_since(t0);

  t0 = Clock::now();
  if (sw <= w && sh <= h)
    torch::adaptive_avg_pool2d_out(l_small, l_full, {sh, sw});  // area filter when shrinking
  else
    torch::upsample_bilinear2d_out(l_small, l_full, {sh, sw}, false);
  torch::Tensor x = (l_small / model.info.input_scale + model.info.input_offset).to(device, dtype);
  times.resize += seconds_since(t0);

  t0 = Clock::now();
  torch::Tensor ab_small =
      model.net->forward(x).to(torch::kCPU, torch::kFloat32).mul_(model.info.output_scale).contiguous();
  times.network += seconds_since(t0);

#ifdef COLORIZE_HAVE_TEMPORAL
  if (options.temporal == TemporalSmoothing::Live) {
    t0 = Clock::now();
    for (int i = 0; i < count; ++i) {  // in order: each frame carries colour to the next
      stabilizer.apply(plane_of(l_small, i, 0), plane_of(ab_small, i, 0), plane_of(ab_small, i, 1));
      if (stabilizer.last_was_cut()) ++times.scene_cuts;
    }
    times.temporal += seconds_since(t0);
  }
#endif

  // a* b* are upsampled to full size inside the compose pass, row by row, never stored at full size.
  t0 = Clock::now();
  for (int i = 0; i < count; ++i)
    color::lab_to_frame(plane_of(l_full, i, 0), plane_of(ab_small, i, 0), plane_of(ab_small, i, 1), out[i]);
  times.compose += seconds_since(t0);
  times.frames += count;
}

void Colorizer::reset_temporal() {
#ifdef COLORIZE_HAVE_TEMPORAL
  state_->stabilizer.reset();
#endif
}

void Colorizer::set_temporal(TemporalSmoothing mode) {
  require_temporal(mode);
  if (mode != state_->options.temporal) reset_temporal();
  state_->options.temporal = mode;
}

const model::ModelInfo& Colorizer::model_info() const { return state_->model.info; }
bool Colorizer::on_cuda() const { return state_->device.is_cuda(); }
const StageTimes& Colorizer::stage_times() const { return state_->times; }
void Colorizer::reset_stage_times() { state_->times = {}; }

}  // namespace colorize::engine
