#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include "color/frame_lab.hpp"
#ifdef COLORIZE_HAVE_CUDA
#include "color/device_frame.hpp"
#endif
#include "engine/colorizer.hpp"
#include "support/engine_calls.hpp"
#include "support/frame_buffer.hpp"
#include "support/printers.hpp"
#include "support/temp_dir.hpp"
#include "support/test_models.hpp"

namespace colorize::engine {
namespace {

using color::PixelFormat;

// A small random-weight generator (ngf 4, 8 levels) in a model file.
std::string write_model(const test::TempDir& dir) {
  const std::string path = dir.file("random.safetensors");
  test::write_random_generator(path, 11, model::GeneratorConfig{4, 8, 1, 2});
  return path;
}

std::string write_constant_model(const test::TempDir& dir, float a, float b) {
  const std::string path = dir.file("constant.safetensors");
  test::write_constant_generator(path, a, b);
  return path;
}

ColorizerOptions cpu_options(const std::string& model) {
  ColorizerOptions o;
  o.model_path = model;
  o.device = Device::Cpu;
  return o;
}

// A gray test card: smooth gradients plus fine stripes, all 256 levels present.
void fill_gray(test::FrameBuffer& frame, int width, int height) {
  auto v = frame.view();
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      v.row(0, y)[x] =
          static_cast<std::uint8_t>((x * 255 / std::max(1, width - 1) + (y % 7) * 16 + (x % 3) * 5) % 256);
}

TEST(Colorizer, InferenceSizeKeepsAspectWithoutPaddingToPowersOfTwo) {
  EXPECT_EQ(Colorizer::inference_size(640, 480, 256), std::make_pair(341, 256));
  EXPECT_EQ(Colorizer::inference_size(1920, 1080, 256), std::make_pair(455, 256));
  EXPECT_EQ(Colorizer::inference_size(480, 640, 256), std::make_pair(256, 341));
  EXPECT_EQ(Colorizer::inference_size(1, 1, 256), std::make_pair(256, 256));
}

TEST(Colorizer, InferenceSizeBoundsTheLongSideSoMemoryDoesNotGrowWithTheAspectRatio) {
  EXPECT_EQ(Colorizer::inference_size(1024, 256, 256), std::make_pair(1024, 256));  // 4:1 still full
  EXPECT_EQ(Colorizer::inference_size(4097, 3, 256), std::make_pair(1024, 1));
  EXPECT_EQ(Colorizer::inference_size(3, 4097, 256), std::make_pair(1, 1024));
  EXPECT_EQ(Colorizer::inference_size(8192, 1, 256), std::make_pair(1024, 1));
  EXPECT_EQ(Colorizer::inference_size(2000, 100, 128), std::make_pair(512, 26));
}

// A strip the network once ran at 2,097,152x256 (8192x1: more memory than the machine has).
TEST(Colorizer, ExtremeAspectRatiosColorizeInBoundedMemory) {
  test::TempDir dir;
  Colorizer c(cpu_options(write_model(dir)));
  for (const auto& [w, h] : {std::pair{8192, 1}, std::pair{3, 4097}}) {
    test::FrameBuffer in(PixelFormat::Gray8, w, h);
    fill_gray(in, w, h);
    test::FrameBuffer out(PixelFormat::Rgb24, w, h);
    test::colorize_now(c, in.cview(), out.view());
    // Gray in, so the lightness kept means every output pixel is near gray's level.
    const auto v = out.view();
    EXPECT_NEAR(v.row(0, h - 1)[3 * (w - 1)], in.view().row(0, h - 1)[w - 1], 40);
  }
}

struct Size {
  int width, height;
};
void PrintTo(const Size& s, std::ostream* os) { *os << s.width << "x" << s.height; }

class ColorizerSizes : public ::testing::TestWithParam<std::tuple<Size, PixelFormat>> {};

TEST_P(ColorizerSizes, OutputHasTheInputSizeAndStaysInItsRows) {
  const auto [size, format] = GetParam();
  test::TempDir dir;
  Colorizer c(cpu_options(write_model(dir)));
  test::FrameBuffer in(PixelFormat::Gray8, size.width, size.height);
  fill_gray(in, size.width, size.height);
  test::FrameBuffer out(format, size.width, size.height);
  test::colorize_now(c, in.cview(), out.view());
  EXPECT_TRUE(out.guards_intact());
  EXPECT_EQ(c.stage_times().frames, 1);
}

INSTANTIATE_TEST_SUITE_P(
    OddSizes, ColorizerSizes,
    ::testing::Combine(::testing::Values(Size{1, 1}, Size{3, 5}, Size{641, 479}, Size{1921, 1081}),
                       ::testing::Values(PixelFormat::Rgb24, PixelFormat::I420, PixelFormat::Nv12)));

TEST(Colorizer, LuminanceOfTheInputIsKept) {
  test::TempDir dir;
  Colorizer c(cpu_options(write_model(dir)));
  constexpr int kW = 320, kH = 240;
  test::FrameBuffer in(PixelFormat::Gray8, kW, kH);
  fill_gray(in, kW, kH);
  test::FrameBuffer out(PixelFormat::Rgb24, kW, kH);
  test::colorize_now(c, in.cview(), out.view());
  std::vector<float> l_in(kW * kH), l_out(kW * kH);
  color::frame_to_lightness(in.cview(), {l_in.data(), kW, kH, kW});
  color::frame_to_lightness(out.cview(), {l_out.data(), kW, kH, kW});
  double sum = 0, worst = 0;
  int counted = 0;
  const auto o = out.cview();
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      const std::uint8_t* px = o.row(0, y) + 3 * x;
      // A colour pushed out of gamut is clipped and changes its lightness: those pixels are excluded.
      if (std::min({px[0], px[1], px[2]}) == 0 || std::max({px[0], px[1], px[2]}) == 255) continue;
      const double d = std::abs(static_cast<double>(l_out[y * kW + x] - l_in[y * kW + x]));
      sum += d;
      worst = std::max(worst, d);
      ++counted;
    }
  ASSERT_GT(counted, kW * kH / 2) << "too few unclipped pixels to judge";
  EXPECT_LE(sum / counted, 0.5);
  EXPECT_LE(worst, 1.5);
}

TEST(Colorizer, ColourOfTheModelIsAdded) {
  test::TempDir dir;
  // a > 0 is towards red, b < 0 towards blue: a mid gray becomes a violet with G the lowest channel.
  Colorizer c(cpu_options(write_constant_model(dir, 30.0f, -30.0f)));
  test::FrameBuffer in(PixelFormat::Gray8, 64, 48);
  auto v = in.view();
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 64; ++x) v.row(0, y)[x] = static_cast<std::uint8_t>(96 + x);
  test::FrameBuffer out(PixelFormat::Rgb24, 64, 48);
  test::colorize_now(c, in.cview(), out.view());
  std::vector<float> L(64 * 48), a(64 * 48), b(64 * 48);
  color::frame_to_lab(out.cview(), {L.data(), 64, 48, 64}, {a.data(), 64, 48, 64}, {b.data(), 64, 48, 64});
  for (int i = 0; i < 64 * 48; ++i) {
    ASSERT_NEAR(a[i], 30.0f, 1.0f) << "pixel " << i;
    ASSERT_NEAR(b[i], -30.0f, 1.0f) << "pixel " << i;
  }
  const std::uint8_t* px = out.cview().row(0, 10) + 3 * 20;
  EXPECT_LT(px[1], px[0]);
  EXPECT_LT(px[1], px[2]);
}

TEST(Colorizer, ZeroAbModelReturnsTheGrayInputExactly) {
  test::TempDir dir;
  Colorizer c(cpu_options(write_constant_model(dir, 0.0f, 0.0f)));
  constexpr int kW = 256, kH = 9;
  test::FrameBuffer in(PixelFormat::Gray8, kW, kH);
  auto v = in.view();
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) v.row(0, y)[x] = static_cast<std::uint8_t>(x);
  test::FrameBuffer gray(PixelFormat::Gray8, kW, kH), rgb(PixelFormat::Rgb24, kW, kH);
  test::colorize_now(c, in.cview(), gray.view());
  test::colorize_now(c, in.cview(), rgb.view());
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      ASSERT_EQ(gray.cview().row(0, y)[x], x);
      for (int ch = 0; ch < 3; ++ch) ASSERT_EQ(rgb.cview().row(0, y)[3 * x + ch], x) << "channel " << ch;
    }
}

TEST(Colorizer, BatchGivesThePerFrameResults) {
  test::TempDir dir;
  Colorizer c(cpu_options(write_model(dir)));
  // Three frames of one size (one batch) and one of another (a second group).
  const std::vector<Size> sizes{{160, 120}, {160, 120}, {160, 120}, {100, 130}};
  std::vector<test::FrameBuffer> ins, batch_outs, single_outs;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    ins.emplace_back(PixelFormat::Gray8, sizes[i].width, sizes[i].height);
    auto v = ins.back().view();
    for (int y = 0; y < sizes[i].height; ++y)
      for (int x = 0; x < sizes[i].width; ++x)
        v.row(0, y)[x] = static_cast<std::uint8_t>((x * (i + 1) + y * 3) % 256);
    batch_outs.emplace_back(PixelFormat::Rgb24, sizes[i].width, sizes[i].height);
    single_outs.emplace_back(PixelFormat::Rgb24, sizes[i].width, sizes[i].height);
  }
  std::vector<color::FrameView> in_views;
  std::vector<color::MutableFrameView> out_views;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    in_views.push_back(ins[i].cview());
    out_views.push_back(batch_outs[i].view());
  }
  test::colorize_now(c, in_views, out_views);
  for (std::size_t i = 0; i < sizes.size(); ++i) test::colorize_now(c, ins[i].cview(), single_outs[i].view());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    int worst = 0;
    for (int y = 0; y < sizes[i].height; ++y)
      for (int x = 0; x < 3 * sizes[i].width; ++x)
        worst = std::max(worst,
                         std::abs(batch_outs[i].cview().row(0, y)[x] - single_outs[i].cview().row(0, y)[x]));
    // Batched convolutions may sum in another order; the result may move by float rounding, not more.
    EXPECT_LE(worst, 1) << "frame " << i;
  }
}

// bf16 on the CPU runs (Debian's LibTorch 1.13 needed two workarounds in the network: see
// Networks.Bfloat16OnTheCpuRunsAtAnySizeCloseToFloat32), and colours like fp32 within bf16's rounding.
TEST(Colorizer, Bf16OnTheCpuRunsCloseToFp32) {
  test::TempDir dir;
  ColorizerOptions o = cpu_options(write_model(dir));
  o.render_size = 32;
  test::FrameBuffer in(PixelFormat::Gray8, 48, 33), fp32(PixelFormat::Rgb24, 48, 33),
      bf16(PixelFormat::Rgb24, 48, 33);
  fill_gray(in, 48, 33);
  {
    Colorizer c(o);
    test::colorize_now(c, in.cview(), fp32.view());
  }
  o.precision = Precision::BFloat16;
  Colorizer c(o);
  test::colorize_now(c, in.cview(), bf16.view());
  int worst = 0;
  for (int y = 0; y < 33; ++y)
    for (int x = 0; x < 3 * 48; ++x)
      worst = std::max(worst, std::abs(int{fp32.view().row(0, y)[x]} - int{bf16.view().row(0, y)[x]}));
  EXPECT_LE(worst, 3);
}

TEST(Colorizer, BadOptionsAndFramesAreRejected) {
  test::TempDir dir;
  const std::string model = write_model(dir);
  ColorizerOptions tiny = cpu_options(model);
  tiny.render_size = 0;
  EXPECT_THROW(Colorizer{tiny}, std::invalid_argument);
  ColorizerOptions half = cpu_options(model);
  half.precision = Precision::Float16;
  EXPECT_THROW(Colorizer{half}, std::invalid_argument);
  EXPECT_THROW(Colorizer{cpu_options(dir.file("missing.safetensors"))}, model::ModelFileError);

  Colorizer c(cpu_options(model));
  test::FrameBuffer in(PixelFormat::Gray8, 8, 8), out(PixelFormat::Rgb24, 8, 9);
  EXPECT_THROW(test::colorize_now(c, in.cview(), out.view()), std::invalid_argument);
}

// The CUDA path (colour kernels on the device, channels-last network, cuDNN) against the CPU path, on
// a batch of frames in and out of every kind: 4:2:0, packed RGB, gray. The networks may differ by
// float rounding and cuDNN's algorithms (TF32 where the GPU has it), so a code or two, not more.
TEST(Colorizer, CudaPathMatchesTheCpuPath) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "skipped: no CUDA device";
  test::TempDir dir;
  const std::string model = write_model(dir);
  Colorizer cpu(cpu_options(model));
  ColorizerOptions cuda_options = cpu_options(model);
  cuda_options.device = Device::Cuda;
  Colorizer gpu(cuda_options);
  ASSERT_TRUE(gpu.on_cuda());
  const std::vector<std::pair<PixelFormat, PixelFormat>> formats{{PixelFormat::I420, PixelFormat::I420},
                                                                 {PixelFormat::Gray8, PixelFormat::Rgb24},
                                                                 {PixelFormat::Nv12, PixelFormat::Bgra},
                                                                 {PixelFormat::Rgb24, PixelFormat::Gray8}};
  const int w = 333, h = 187;
  std::vector<test::FrameBuffer> ins, cpu_outs, gpu_outs;
  std::vector<color::FrameView> in_views;
  std::vector<color::MutableFrameView> cpu_views, gpu_views;
  for (const auto& [from, to] : formats) {
    ins.emplace_back(from, w, h);
    cpu_outs.emplace_back(to, w, h);
    gpu_outs.emplace_back(to, w, h);
  }
  for (std::size_t i = 0; i < formats.size(); ++i) {
    auto v = ins[i].view();
    for (int p = 0; p < color::plane_count(v.format); ++p)
      for (int y = 0; y < color::plane_rows(v.format, p, h); ++y)
        for (int x = 0; x < color::min_row_bytes(v.format, p, w); ++x)
          v.row(p, y)[x] = static_cast<std::uint8_t>(p == 0 ? (x * 3 + y * 5 + static_cast<int>(i) * 40) % 256
                                                            : 112 + (x + y) % 32);
    in_views.push_back(ins[i].cview());
    cpu_views.push_back(cpu_outs[i].view());
    gpu_views.push_back(gpu_outs[i].view());
  }
  test::colorize_now(cpu, in_views, cpu_views);
  test::colorize_now(gpu, in_views, gpu_views);
  for (std::size_t i = 0; i < formats.size(); ++i) {
    const auto d = gpu_outs[i].cview(), e = cpu_outs[i].cview();
    int worst = 0;
    for (int p = 0; p < color::plane_count(d.format); ++p)
      for (int y = 0; y < color::plane_rows(d.format, p, h); ++y)
        for (int x = 0; x < color::min_row_bytes(d.format, p, w); ++x)
          worst = std::max(worst, std::abs(d.row(p, y)[x] - e.row(p, y)[x]));
    EXPECT_LE(worst, 2) << "frame " << i;
    EXPECT_TRUE(gpu_outs[i].guards_intact()) << "frame " << i;
  }
}

// A frame in CUDA memory (as NVDEC decodes it) is refused by an engine on the CPU, with the reason,
// instead of being read as host memory.
TEST(Colorizer, CpuEngineRefusesFramesInCudaMemory) {
  test::TempDir dir;
  Colorizer c(cpu_options(write_model(dir)));
  test::FrameBuffer in(PixelFormat::Nv12, 64, 48), out(PixelFormat::Rgb24, 64, 48);
  color::MutableFrameView on_device = in.view();
  on_device.memory = color::Memory::Cuda;
  try {
    c.send({on_device});
    FAIL() << "the CPU engine took a frame in CUDA memory";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("needs the engine on CUDA"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c.frames_held(), 0);
  c.send({in.cview()});
  color::MutableFrameView out_on_device = out.view();
  out_on_device.memory = color::Memory::Cuda;
  EXPECT_THROW(c.receive(out_on_device), std::invalid_argument);
  EXPECT_TRUE(c.receive(out.view()));  // the frame was kept for a host output
}

#ifdef COLORIZE_HAVE_CUDA
// NVDEC's path: frames already in device memory go in (and out) without a trip through host memory,
// and give exactly what the same frames from host memory give (the same kernels and network).
TEST(Colorizer, CudaEngineReadsAndWritesFramesInDeviceMemory) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "skipped: no CUDA device";
  test::TempDir dir;
  ColorizerOptions options = cpu_options(write_model(dir));
  options.device = Device::Cuda;
  Colorizer gpu(options);
  const int w = 320, h = 182;
  test::FrameBuffer in(PixelFormat::Nv12, w, h);
  auto v = in.view();
  for (int p = 0; p < 2; ++p)
    for (int y = 0; y < color::plane_rows(v.format, p, h); ++y)
      for (int x = 0; x < color::min_row_bytes(v.format, p, w); ++x)
        v.row(p, y)[x] = static_cast<std::uint8_t>(p == 0 ? (x * 7 + y * 3) % 256 : 120 + (x + y) % 16);
  color::cuda::DeviceFrame device_in, device_out;
  device_in.upload(in.cview(), nullptr);
  ASSERT_EQ(cudaStreamSynchronize(nullptr), cudaSuccess);
  ASSERT_EQ(device_in.view().memory, color::Memory::Cuda);
  device_out.reshape(PixelFormat::I420, w, h, {});

  test::FrameBuffer from_host(PixelFormat::I420, w, h), from_device(PixelFormat::I420, w, h);
  test::colorize_now(gpu, in.cview(), from_host.view());
  test::colorize_now(gpu, device_in.view(), device_out.view());
  device_out.start_download(nullptr);
  device_out.finish_download(from_device.view());
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < color::plane_rows(PixelFormat::I420, p, h); ++y)
      for (int x = 0; x < color::min_row_bytes(PixelFormat::I420, p, w); ++x)
        ASSERT_EQ(from_device.cview().row(p, y)[x], from_host.cview().row(p, y)[x])
            << "plane " << p << " (" << x << ", " << y << ")";
}
#endif

#ifdef COLORIZE_HAVE_TEMPORAL
// File-mode smoothing on CUDA: the network-sized L* and a*b* go to the CPU stabiliser and back; every
// frame comes out, in order, close to the CPU path's.
TEST(Colorizer, CudaFileModeSmoothingMatchesTheCpuPath) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "skipped: no CUDA device";
  test::TempDir dir;
  ColorizerOptions options = cpu_options(write_model(dir));
  options.temporal = TemporalSmoothing::File;
  Colorizer cpu(options);
  options.device = Device::Cuda;
  Colorizer gpu(options);
  const int w = 160, h = 120, frames = 12;
  double total_difference = 0;
  long codes = 0;
  std::vector<test::FrameBuffer> cpu_outs, gpu_outs;
  for (int i = 0; i < frames; ++i) {
    test::FrameBuffer in(PixelFormat::Gray8, w, h);
    auto v = in.view();
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        v.row(0, y)[x] = static_cast<std::uint8_t>(((x + 2 * i) / 8 + y / 8) % 2 ? 200 : 40);
    cpu.send({in.cview()});
    gpu.send({in.cview()});
  }
  cpu.flush();
  gpu.flush();
  ASSERT_EQ(gpu.frames_finished(), frames);
  for (int i = 0; i < frames; ++i) {
    test::FrameBuffer a(PixelFormat::Rgb24, w, h), b(PixelFormat::Rgb24, w, h);
    ASSERT_TRUE(cpu.receive(a.view()));
    ASSERT_TRUE(gpu.receive(b.view()));
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < 3 * w; ++x) {
        total_difference += std::abs(a.cview().row(0, y)[x] - b.cview().row(0, y)[x]);
        ++codes;
      }
  }
  EXPECT_LT(total_difference / static_cast<double>(codes), 0.5);
}
#endif

}  // namespace
}  // namespace colorize::engine
