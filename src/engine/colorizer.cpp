#include "engine/colorizer.hpp"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <string>
#include <thread>

#include "engine/colour_passes.hpp"
#include "engine/settings.hpp"
#include "engine/temporal/smoother.hpp"
#include "engine/tensor_planes.hpp"
#include "model/model_file.hpp"

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

// A frame between the network and the compose: its full-resolution L* (1 x H x W), its a*b*
// (2 x h x w, the network's size) and the caller's tag.
struct HeldFrame {
  torch::Tensor L, ab;
  FrameTag tag;
};

}  // namespace

struct Colorizer::State {
  ColorizerOptions options;
  model::LoadedGenerator model;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  std::unique_ptr<ColourPasses> passes;  // where the network runs: the CPU's, or CUDA's
  std::unique_ptr<Smoother> smoother;    // the temporal mode's
  StageTimes times;
  // Reused from call to call; reallocated only when the frame size or batch changes.
  torch::Tensor l_full;            // N x 1 x H x W, L* of the input; reused once no frame holds it
  torch::Tensor l_small;           // N x 1 x h x w, L* at the network's size
  std::deque<HeldFrame> waiting;   // sent, not yet finished by the smoother
  std::deque<HeldFrame> finished;  // ready for receive()

  void run_group(TaggedFrame* in, int count);
  // Frames in CUDA memory (NVDEC's) are read and written in place by the CUDA colour passes only.
  void require_readable(color::Memory memory, const char* what) const {
    if (memory == color::Memory::Cuda && !passes->reads_cuda_frames())
      throw std::invalid_argument(
          std::string(what) +
          ": a frame in CUDA memory needs the engine on CUDA (device cuda, in a build "
          "with the CUDA colour kernels)");
  }
  void apply_guide(const ColourGuide& guide, const torch::Tensor& ab) const;
  void smooth(HeldFrame frame, torch::Tensor l_net);
  void finish_ready();
  void use_mode(TemporalSmoothing mode);
  void check_precision_runs();
};

Colorizer::Colorizer(const ColorizerOptions& options) : state_(std::make_unique<State>()) {
  ColorizerOptions checked = options;
  for (const auto& setting : settings())
    if (setting.kind != Setting::Kind::Text) setting.set_number(checked, setting.get_number(options));
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
  s.model = model::load_generator(find_model(options.model_path), s.device);
  s.model.net->to(s.dtype);
  if (s.device.is_cuda()) {
    // cuDNN picks the fastest algorithm per input shape (a frame size stays for a whole stream), and
    // channels-last weights let bf16/fp16 convolutions run on tensor cores without layout transposes.
    at::globalContext().setBenchmarkCuDNN(true);
    for (auto& p : s.model.net->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
  }
  if (s.dtype != torch::kFloat32) s.check_precision_runs();
  s.passes = make_colour_passes(s.device);
  s.use_mode(options.temporal);
}

// Not every LibTorch runs every precision on every device (Debian's 1.13 lacks bfloat16 padding and has a
// broken bfloat16 transposed convolution on the CPU, which the network now works around): one forward
// pass at the render size turns what remains elsewhere into a clear error at the start instead of a
// backtrace on the first frame.
void Colorizer::State::check_precision_runs() {
  try {
    torch::NoGradGuard no_grad;
    const auto [w, h] = inference_size(options.render_size, options.render_size, options.render_size);
    model.net->forward(torch::zeros({1, 1, h, w}, torch::TensorOptions().dtype(dtype).device(device)));
  } catch (const c10::Error& e) {
    std::string why = e.what_without_backtrace();
    why = why.substr(0, why.find('\n'));
    throw std::invalid_argument("precision " + setting("precision").get(options) + " fails on " +
                                (device.is_cuda() ? std::string("CUDA") : std::string("the CPU")) +
                                " with this LibTorch (" + why + "); use fp32");
  }
}

void Colorizer::State::use_mode(TemporalSmoothing mode) {
  smoother = make_smoother(mode, options.lookahead);
  options.temporal = mode;
  waiting.clear();
  finished.clear();
}

Colorizer::~Colorizer() = default;

std::pair<int, int> Colorizer::inference_size(int width, int height, int render_size) {
  // The network pads odd sizes per level itself (down to one pixel), so only the aspect ratio decides
  // the long side.
  const double scale = std::min(static_cast<double>(render_size) / std::min(width, height),
                                static_cast<double>(kMaxAspect) * render_size / std::max(width, height));
  const auto side = [&](int n) { return std::max(1, static_cast<int>(std::lround(n * scale))); };
  return {side(width), side(height)};
}

void Colorizer::send(const color::FrameView& frame, FrameTag tag) {
  std::vector<TaggedFrame> frames;
  frames.push_back({frame, std::move(tag), nullptr});
  send(std::move(frames));
}

void Colorizer::send(std::vector<TaggedFrame> in) {
  for (const auto& f : in) state_->require_readable(f.frame.memory, "send");
  // Consecutive frames of one size share a batch.
  std::size_t start = 0;
  while (start < in.size()) {
    const color::FrameView& first = in[start].frame;
    std::size_t end = start + 1;
    while (end < in.size() && in[end].frame.width == first.width && in[end].frame.height == first.height)
      ++end;
    state_->run_group(&in[start], static_cast<int>(end - start));
    start = end;
  }
}

void Colorizer::State::run_group(TaggedFrame* in, int count) {
  torch::NoGradGuard no_grad;
  const int w = in[0].frame.width, h = in[0].frame.height;
  const auto [sw, sh] = inference_size(w, h, options.render_size);
  // The colour passes keep their planes where they run: on CUDA the frames stay on the device.
  const torch::Device colour_device = passes->device();
  const auto ensure = [&](torch::Tensor& t, std::vector<int64_t> shape) {
    // Frames still held (not yet received) keep views of the old buffer: it must not be overwritten.
    if (!t.defined() || t.sizes().vec() != shape || t.storage().use_count() > 1 ||
        t.device() != colour_device)
      t = torch::empty(shape, torch::TensorOptions().dtype(torch::kFloat32).device(colour_device));
  };
  ensure(l_full, {count, 1, h, w});
  ensure(l_small, {count, 1, sh, sw});
  std::vector<color::FrameView> views;
  for (int i = 0; i < count; ++i) views.push_back(in[i].frame);
  passes->to_lightness(views, l_full, l_small, times);

  auto t0 = Clock::now();
  torch::Tensor x = (l_small / model.info.input_scale + model.info.input_offset).to(device, dtype);
  if (device.is_cuda()) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  times.resize += seconds_since(t0);

  t0 = Clock::now();
  torch::Tensor ab_small =
      model.net->forward(x).to(colour_device, torch::kFloat32).mul_(model.info.output_scale).contiguous();
  times.network += seconds_since(t0);

  for (int i = 0; i < count; ++i)
    if (in[i].guide) apply_guide(*in[i].guide, ab_small[i]);

  t0 = Clock::now();
  for (int i = 0; i < count; ++i)
    smooth({l_full[i], ab_small[i], std::move(in[i].tag)}, l_small[i]);  // in order
  times.temporal += seconds_since(t0);
}

// ab (2 x h x w) moves towards the guide's colour by its weight, pixel by pixel, where ab is.
void Colorizer::State::apply_guide(const ColourGuide& guide, const torch::Tensor& ab) const {
  const int h = static_cast<int>(ab.size(1)), w = static_cast<int>(ab.size(2));
  const auto n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
  if (guide.width != w || guide.height != h || guide.a.size() != n || guide.b.size() != n ||
      guide.weight.size() != n)
    throw std::invalid_argument("send: a colour guide of " + std::to_string(guide.width) + "x" +
                                std::to_string(guide.height) + " for a frame the network sees at " +
                                std::to_string(w) + "x" + std::to_string(h));
  const auto plane = [&](const std::vector<float>& v) {
    return torch::from_blob(const_cast<float*>(v.data()), {h, w}, torch::kFloat32);  // read only
  };
  const torch::Tensor target = torch::stack({plane(guide.a), plane(guide.b)}).to(ab.device());
  const torch::Tensor weight = plane(guide.weight).to(ab.device());
  ab.add_(weight * (target - ab));
}

// One frame after the network, in stream order, to the smoother; then every frame it has finished.
void Colorizer::State::smooth(HeldFrame frame, torch::Tensor l_net) {
  // The smoothers work on the CPU: on the GPU path the network-sized L* and a*b* come down (small),
  // and the smoothed a*b* go back up for the compose.
  if (smoother->reads_planes() && frame.ab.is_cuda()) {
    frame.ab = frame.ab.cpu();
    l_net = l_net.cpu();
  }
  if (smoother->push(plane_of(l_net, 0), plane_of(frame.ab, 0), plane_of(frame.ab, 1))) ++times.scene_cuts;
  waiting.push_back(std::move(frame));
  finish_ready();
}

void Colorizer::State::finish_ready() {
  while (!waiting.empty() && smoother->ready()) {
    HeldFrame& f = waiting.front();
    smoother->pop(plane_of(f.ab, 0), plane_of(f.ab, 1));
    finished.push_back(std::move(f));
    waiting.pop_front();
  }
}

std::optional<FrameTag> Colorizer::receive(const std::function<color::MutableFrameView(FrameTag&)>& target) {
  State& s = *state_;
  if (s.finished.empty()) return std::nullopt;
  HeldFrame& f = s.finished.front();
  const color::MutableFrameView out = target(f.tag);
  s.require_readable(out.memory, "receive");
  const int w = static_cast<int>(f.L.size(2)), h = static_cast<int>(f.L.size(1));
  if (out.width != w || out.height != h)
    throw std::invalid_argument("receive: the next frame is " + std::to_string(w) + "x" + std::to_string(h) +
                                " but its output is " + std::to_string(out.width) + "x" +
                                std::to_string(out.height));
  // a* b* are upsampled to full size inside the compose pass, row by row, never stored at full size.
  const auto t0 = Clock::now();
  s.passes->compose(f.L, f.ab.to(s.passes->device()), out);
  s.times.compose += seconds_since(t0);
  ++s.times.frames;
  FrameTag tag = std::move(f.tag);
  s.finished.pop_front();
  return tag;
}

std::optional<FrameTag> Colorizer::receive(const color::MutableFrameView& out) {
  return receive([&](FrameTag&) { return out; });
}

void Colorizer::flush() {
  State& s = *state_;
  const auto t0 = Clock::now();
  s.smoother->drain();
  s.finish_ready();
  s.times.temporal += seconds_since(t0);
}

int Colorizer::frames_held() const {
  return static_cast<int>(state_->waiting.size() + state_->finished.size());
}

void Colorizer::reset_temporal() { state_->use_mode(state_->options.temporal); }

void Colorizer::set_temporal(TemporalSmoothing mode) {
  State& s = *state_;
  if (mode == s.options.temporal) return;
  auto next = make_smoother(mode, s.options.lookahead);  // refused (no OpenCV) before anything changes
  flush();  // the frames held finish in the old mode: none is left waiting, the finished stay
  s.smoother = std::move(next);
  s.options.temporal = mode;
}

int Colorizer::latency_frames() const { return state_->smoother->latency(); }

int Colorizer::frames_finished() const { return static_cast<int>(state_->finished.size()); }

const model::ModelInfo& Colorizer::model_info() const { return state_->model.info; }
const ColorizerOptions& Colorizer::options() const { return state_->options; }
bool Colorizer::on_cuda() const { return state_->device.is_cuda(); }
bool Colorizer::reads_cuda_frames() const { return state_->passes->reads_cuda_frames(); }
const StageTimes& Colorizer::stage_times() const { return state_->times; }
void Colorizer::reset_stage_times() { state_->times = {}; }

}  // namespace colorize::engine
