// The GPU path's speed on the GPU machine (bench/gpu/run.sh runs it): the colour kernels' throughput in
// GB/s beside the card's own device-to-device copy in the same run, the network alone, and the whole
// engine (host frames in, host frames out: uploads, kernels, network, downloads) in frames/s at 1080p
// and 4K, batch 1 and 8, fp32 and bf16, and training steps (cGAN + L1, ngf/ndf 64, 256x256 crops) in
// images/s, fp32 and bf16 autocast. Plain timing with CUDA events and a steady clock; no benchmark
// library (the GPU machine has none).
//
// Usage: bench_gpu [--ngf 64] [--seconds 2]
#include <ATen/Context.h>
#include <cuda_runtime_api.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "color/cuda_memory.hpp"
#include "color/device_frame.hpp"
#include "color/frame_kernels.hpp"
#include "engine/colorizer.hpp"
#include "model/model_file.hpp"
#include "model/networks.hpp"
#include "training/trainer.hpp"

namespace {

using colorize::color::PixelFormat;
namespace cuda = colorize::color::cuda;
using Clock = std::chrono::steady_clock;

// Milliseconds per call of `run` (which enqueues on the default stream), timed with CUDA events.
template <class Run>
double device_ms(Run&& run, int iterations) {
  run();
  cuda::check(cudaDeviceSynchronize(), "warm-up");
  cudaEvent_t start, stop;
  cuda::check(cudaEventCreate(&start), "cudaEventCreate");
  cuda::check(cudaEventCreate(&stop), "cudaEventCreate");
  cudaEventRecord(start, nullptr);
  for (int i = 0; i < iterations; ++i) run();
  cudaEventRecord(stop, nullptr);
  cuda::check(cudaEventSynchronize(stop), "cudaEventSynchronize");
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return static_cast<double>(ms) / iterations;
}

struct Size {
  const char* name;
  int width, height;
};
const Size kSizes[] = {{"1080p", 1920, 1080}, {"4K", 3840, 2160}};

std::size_t frame_bytes(PixelFormat f, int w, int h) {
  std::size_t n = 0;
  for (int p = 0; p < colorize::color::plane_count(f); ++p)
    n += static_cast<std::size_t>(colorize::color::min_row_bytes(f, p, w)) *
         static_cast<std::size_t>(colorize::color::plane_rows(f, p, h));
  return n;
}

void bench_kernels() {
  // The card's copy bandwidth, the yardstick: 1 GiB device to device, read + write counted.
  cuda::DeviceBuffer a, b;
  const std::size_t copy_bytes = std::size_t{1} << 30;
  a.reserve(copy_bytes);
  b.reserve(copy_bytes);
  const double copy_ms = device_ms(
      [&] { cudaMemcpyAsync(b.data(), a.data(), copy_bytes, cudaMemcpyDeviceToDevice, nullptr); }, 20);
  std::printf("device-to-device copy: %.0f GB/s (read + write)\n", 2.0 * copy_bytes / copy_ms / 1e6);

  for (const Size& s : kSizes) {
    const auto [nw, nh] = colorize::engine::Colorizer::inference_size(s.width, s.height, 256);
    cuda::DeviceBuffer L, net, ab;
    L.reserve(sizeof(float) * s.width * s.height);
    net.reserve(sizeof(float) * nw * nh);
    ab.reserve(2 * sizeof(float) * nw * nh);
    cudaMemset(L.data(), 0, L.size());
    cudaMemset(ab.data(), 0, ab.size());
    const colorize::color::Plane l_plane{static_cast<float*>(L.data()), s.width, s.height, s.width};
    const colorize::color::Plane net_plane{static_cast<float*>(net.data()), nw, nh, nw};
    const colorize::color::ConstPlane a_plane{static_cast<const float*>(ab.data()), nw, nh, nw};
    const colorize::color::ConstPlane b_plane{static_cast<const float*>(ab.data()) + nw * nh, nw, nh, nw};
    for (PixelFormat f : {PixelFormat::Gray8, PixelFormat::I420, PixelFormat::Nv12, PixelFormat::Rgb24}) {
      cuda::DeviceFrame frame;
      frame.reshape(f, s.width, s.height, {});
      cudaMemset(frame.view().data[0], 128, frame_bytes(f, s.width, s.height));
      const double in_ms =
          device_ms([&] { cuda::frame_to_network_input(frame.view(), l_plane, net_plane, nullptr); }, 50);
      const double in_bytes =
          static_cast<double>(frame_bytes(f, s.width, s.height)) + 4.0 * s.width * s.height + 4.0 * nw * nh;
      const double out_ms =
          device_ms([&] { cuda::lab_to_frame(l_plane, a_plane, b_plane, frame.view(), nullptr); }, 50);
      const double out_bytes =
          static_cast<double>(frame_bytes(f, s.width, s.height)) + 4.0 * s.width * s.height + 8.0 * nw * nh;
      std::printf(
          "%-5s %-5s frame -> L + network input: %7.3f ms %6.0f GB/s | L + ab -> frame: %7.3f ms %6.0f "
          "GB/s\n",
          s.name, std::string(colorize::color::to_string(f)).c_str(), in_ms, in_bytes / in_ms / 1e6, out_ms,
          out_bytes / out_ms / 1e6);
    }
  }
}

std::string model_file(int ngf) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("colorize-gpu-bench-ngf" + std::to_string(ngf) + ".safetensors");
  torch::manual_seed(1);
  colorize::model::UnetGenerator g(colorize::model::GeneratorConfig{ngf, 8, 1, 2});
  colorize::model::init_pix2pix_weights(*g);
  colorize::model::save_generator(path.string(), g, colorize::model::ModelInfo{});
  return path.string();
}

// An I420 host frame of a black-and-white source (chroma 128), a ramp in luma.
struct HostFrame {
  std::vector<std::uint8_t> bytes;
  colorize::color::MutableFrameView view;
  HostFrame(int w, int h) : bytes(frame_bytes(PixelFormat::I420, w, h)) {
    const int cw = (w + 1) / 2, ch = (h + 1) / 2;
    view.format = PixelFormat::I420;
    view.width = w;
    view.height = h;
    view.data = {bytes.data(), bytes.data() + w * h, bytes.data() + w * h + cw * ch};
    view.stride = {w, cw, cw};
    for (std::size_t i = 0; i < static_cast<std::size_t>(w) * h; ++i)
      bytes[i] = static_cast<std::uint8_t>(i % 251);
    std::fill(bytes.begin() + w * h, bytes.end(), 128);
  }
};

// One batch through the engine (temporal smoothing off: every frame finishes at once).
void colorize_batch(colorize::engine::Colorizer& c, const std::vector<colorize::color::FrameView>& in,
                    const std::vector<colorize::color::MutableFrameView>& out) {
  std::vector<colorize::engine::TaggedFrame> frames;
  for (const auto& f : in) frames.push_back({f, {}, nullptr});
  c.send(std::move(frames));
  for (const auto& o : out) c.receive(o);
}

void bench_engine(int ngf, double seconds) {
  const std::string model = model_file(ngf);
  for (const Size& s : kSizes)
    for (auto precision : {colorize::engine::Precision::Float32, colorize::engine::Precision::BFloat16})
      for (int batch : {1, 8}) {
        colorize::engine::ColorizerOptions o;
        o.model_path = model;
        o.device = colorize::engine::Device::Cuda;
        o.precision = precision;
        colorize::engine::Colorizer c(o);
        std::vector<HostFrame> in, out;
        for (int i = 0; i < batch; ++i) {
          in.emplace_back(s.width, s.height);
          out.emplace_back(s.width, s.height);
        }
        std::vector<colorize::color::FrameView> in_views;
        std::vector<colorize::color::MutableFrameView> out_views;
        for (int i = 0; i < batch; ++i) {
          in_views.push_back(in[static_cast<std::size_t>(i)].view);
          out_views.push_back(out[static_cast<std::size_t>(i)].view);
        }
        for (int i = 0; i < 3; ++i) colorize_batch(c, in_views, out_views);  // cuDNN autotuning, allocations
        long frames = 0;
        const auto start = Clock::now();
        double elapsed = 0;
        while (elapsed < seconds) {
          colorize_batch(c, in_views, out_views);
          frames += batch;
          elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        }
        // The network alone, on a device tensor of the same shape, for the share around it.
        const auto [nw, nh] = colorize::engine::Colorizer::inference_size(s.width, s.height, 256);
        const bool bf16 = precision == colorize::engine::Precision::BFloat16;
        colorize::model::LoadedGenerator g = colorize::model::load_generator(model, torch::kCUDA);
        g.net->to(bf16 ? torch::kBFloat16 : torch::kFloat32);
        for (auto& p : g.net->parameters())
          if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
        const torch::Tensor x = torch::randn({batch, 1, nh, nw}, torch::TensorOptions().device(torch::kCUDA))
                                    .to(bf16 ? torch::kBFloat16 : torch::kFloat32)
                                    .contiguous(torch::MemoryFormat::ChannelsLast);
        torch::NoGradGuard no_grad;
        const double net_ms = device_ms([&] { g.net->forward(x); }, 20);
        const double frame_ms = 1000.0 * elapsed / static_cast<double>(frames);
        std::printf(
            "engine %-5s I420 ngf %d %-4s batch %d: %8.1f frames/s (%.3f ms/frame; network alone %.3f "
            "ms/frame, "
            "%.0f%% of it)\n",
            s.name, ngf, bf16 ? "bf16" : "fp32", batch, 1000.0 / frame_ms, frame_ms, net_ms / batch,
            100.0 * net_ms / batch / frame_ms);
      }
}

// Training throughput: Trainer::step on synthetic batches already on the device (the data pipeline's
// own speed is measured on the CPU, docs/performance.md), fp32 against bf16 autocast.
void bench_training(double seconds) {
  for (const bool bf16 : {false, true}) {
    colorize::training::TrainOptions o;
    o.generator = {64, 8, 1, 2};
    o.ndf = 64;
    o.batch = 16;
    o.size = 256;
    o.device = torch::Device(torch::kCUDA);
    o.bf16 = bf16;
    colorize::training::Trainer trainer(o);
    torch::manual_seed(2);
    const colorize::training::Batch batch{torch::rand({o.batch, 1, o.size, o.size}) * 2 - 1,
                                          (torch::rand({o.batch, 2, o.size, o.size}) - 0.5) * 0.6};
    colorize::training::StepLosses losses;
    for (int i = 0; i < 3; ++i) losses = trainer.step(batch);
    torch::cuda::synchronize();
    long steps = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    while (elapsed < seconds) {
      losses = trainer.step(batch);  // reads the losses back: each step ends synchronised
      ++steps;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    std::printf(
        "training ngf/ndf 64, batch %d, %dx%d, %s: %.1f images/s (%.1f ms/step; last losses D %.3f, G_L1 "
        "%.4f)\n",
        o.batch, o.size, o.size, bf16 ? "bf16 autocast" : "fp32",
        static_cast<double>(steps * o.batch) / elapsed, 1000.0 * elapsed / static_cast<double>(steps),
        losses.d, losses.g_l1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int ngf = 64;
  double seconds = 2.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--ngf")
      ngf = std::atoi(argv[i + 1]);
    else if (flag == "--seconds")
      seconds = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "bench_gpu: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  std::string why;
  if (!cuda::device_available(&why) || !torch::cuda::is_available()) {
    std::fprintf(stderr, "bench_gpu: no CUDA device (%s)\n",
                 why.empty() ? "LibTorch sees none" : why.c_str());
    return 1;
  }
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, 0);
  std::printf("GPU: %s, LibTorch %s\n", prop.name, TORCH_VERSION);
  try {
    bench_kernels();
    bench_engine(ngf, seconds);
    bench_training(seconds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gpu: %s\n", e.what());
    return 1;
  }
  return 0;
}
