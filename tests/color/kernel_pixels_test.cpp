// The CUDA kernels' per-pixel functions (color/kernel_pixels.hpp), run here on the CPU over whole frames
// exactly as the kernels run them per thread, against the CPU reference: frame_to_lightness plus torch's
// resize (the engine's CPU input path) and lab_to_frame (its output path). This checks every line of
// arithmetic of the GPU path on machines without a GPU; tests/color/frame_kernels_test.cpp runs the
// kernels themselves where there is one.
#include "color/kernel_pixels.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "color/area_shrink.hpp"
#include "color/frame_lab.hpp"
#include "support/frame_buffer.hpp"
#include "support/kernel_reference.hpp"

namespace colorize::color {
namespace {

using test::FrameBuffer;

// The kernels' input pass, one "thread" per network pixel (area) or per pixel then per network pixel
// (bilinear), as frame_kernels.cu launches them.
void emulate_network_input(const FrameView& frame, const Plane& L, const Plane& net) {
  const kernels::Pixels f = kernels::pixels_of(frame);
  const kernels::Matrices m = kernels::matrices();
  const kernels::InputTarget t{L.data, L.stride, net.data, net.stride, net.width, net.height};
  if (net.width <= frame.width && net.height <= frame.height) {
    for (int oy = 0; oy < net.height; ++oy)
      for (int ox = 0; ox < net.width; ++ox) kernels::area_input_pixel(f, m, t, ox, oy);
    return;
  }
  for (int y = 0; y < frame.height; ++y)
    for (int x = 0; x < frame.width; ++x) L.row(y)[x] = kernels::lightness_at(f, m, x, y);
  for (int oy = 0; oy < net.height; ++oy)
    for (int ox = 0; ox < net.width; ++ox)
      kernels::bilinear_input_pixel(L.data, L.stride, frame.width, frame.height, t, ox, oy);
}

// The kernels' compose pass: per pixel for gray and RGB; for 4:2:0, Y' and the unrounded Cb, Cr of every
// pixel first (the kernel's shared tile), then every chroma sample from them.
void emulate_compose(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b,
                     const MutableFrameView& out) {
  const kernels::ComposeSource s{L.data, L.stride, a.data, b.data, a.stride, a.width, a.height};
  const kernels::MutablePixels f = kernels::pixels_of(out);
  const kernels::Matrices m = kernels::matrices();
  if (!is_yuv420(out.format)) {
    for (int y = 0; y < out.height; ++y)
      for (int x = 0; x < out.width; ++x)
        kernels::write_rgb_pixel(f, m, kernels::compose_linear(s, m, out.width, out.height, x, y), x, y);
    return;
  }
  std::vector<YuvFloat> yuv(static_cast<std::size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      const YuvFloat v = kernels::yuv_of(f, kernels::compose_linear(s, m, out.width, out.height, x, y));
      out.row(0, y)[x] = to_code(v.y);
      yuv[static_cast<std::size_t>(y) * out.width + x] = v;
    }
  for (int cy = 0; cy < chroma_extent(out.height); ++cy)
    for (int cx = 0; cx < chroma_extent(out.width); ++cx)
      kernels::write_chroma(f, cx, cy,
                            [&](int x, int y) { return yuv[static_cast<std::size_t>(y) * out.width + x]; });
}

// The CPU engine shrinks L* with area_shrink where the reference above calls torch: the same windows.
TEST(AreaShrinkAgainstTorch, IsAdaptiveAveragePooling) {
  torch::manual_seed(3);
  for (const auto& [w, h, ow, oh] : {std::tuple{1920, 1080, 455, 256}, std::tuple{97, 61, 41, 26}}) {
    const torch::Tensor in = torch::rand({h, w}) * 100.0f;
    torch::Tensor out = torch::empty({oh, ow});
    area_shrink(test::plane_of(in), test::plane_of(out));
    const torch::Tensor expected = torch::adaptive_avg_pool2d(in.unsqueeze(0), {oh, ow})[0];
    EXPECT_LT((out - expected).abs().max().item<float>(), 1e-4f) << w << "x" << h;
  }
}

class KernelNetworkInput : public ::testing::TestWithParam<test::InputCase> {};

TEST_P(KernelNetworkInput, MatchesTheCpuPath) {
  const test::InputCase c = GetParam();
  FrameBuffer frame(c.format, c.width, c.height, 5, c.yuv);
  test::fill_random_frame(frame, 17);
  const test::NetworkInput expected = test::reference_network_input(frame.cview(), c.net_width, c.net_height);
  torch::Tensor L = torch::full({c.height, c.width}, -1.0f),
                net = torch::full({c.net_height, c.net_width}, -1.0f);
  emulate_network_input(frame.cview(), test::plane_of(L), test::plane_of(net));
  // The curves are computed here and read from tables there (both within 2e-5 of full scale of the
  // closed forms): L* agrees to a few thousandths, its resized mean (which averages the errors) to 5e-3
  // as well (1e-4 of the model's input, L / 50 - 1).
  EXPECT_LT((L - expected.L).abs().max().item<float>(), 5e-3f);
  EXPECT_LT((net - expected.net).abs().max().item<float>(), 5e-3f);
}

YuvEncoding bt709_full_center() { return {YuvMatrix::Bt709, YuvRange::Full, ChromaSiting::Center}; }

INSTANTIATE_TEST_SUITE_P(
    FormatsAndSizes, KernelNetworkInput,
    ::testing::Values(test::InputCase{PixelFormat::Gray8, 97, 61, 41, 26, {}},  // area, uneven windows
                      test::InputCase{PixelFormat::Rgb24, 64, 48, 32, 24, {}},  // area, 2x2 windows
                      test::InputCase{PixelFormat::Bgra, 50, 30, 50, 30, {}},   // same size
                      test::InputCase{PixelFormat::I420, 97, 61, 41, 26, {}},   // 4:2:0 with colour
                      test::InputCase{PixelFormat::Nv12, 75, 43, 30, 17, bt709_full_center()},
                      test::InputCase{
                          PixelFormat::I420,
                          37,
                          23,
                          64,
                          40,
                          {YuvMatrix::Bt709, YuvRange::Limited, ChromaSiting::TopLeft}},  // bilinear
                      test::InputCase{PixelFormat::Gray8, 40, 100, 64, 60, {}}),  // up on one axis: bilinear
    test::CaseName());

class KernelCompose : public ::testing::TestWithParam<test::ComposeCase> {};

TEST_P(KernelCompose, MatchesLabToFrameWithinOneCode) {
  const test::ComposeCase c = GetParam();
  const test::LabPlanes lab = test::random_lab(c.width, c.height, c.ab_width, c.ab_height, 23);
  FrameBuffer expected(c.format, c.width, c.height, 3, c.yuv), got(c.format, c.width, c.height, 3, c.yuv);
  lab_to_frame(test::plane_of(lab.L), test::plane_of(lab.a), test::plane_of(lab.b), expected.view());
  emulate_compose(test::plane_of(lab.L), test::plane_of(lab.a), test::plane_of(lab.b), got.view());
  const test::CodeDifference d = test::compare_frames(got.cview(), expected.cview());
  EXPECT_LE(d.max, 1) << d.differing << " of " << d.total << " codes differ";
  // Off by one only where a value lands within float noise of a rounding boundary.
  EXPECT_LT(d.differing, d.total / 50 + 1) << d.differing << " of " << d.total << " codes differ";
  EXPECT_TRUE(got.guards_intact());
}

INSTANTIATE_TEST_SUITE_P(
    Formats, KernelCompose,
    ::testing::Values(
        test::ComposeCase{PixelFormat::Gray8, 75, 43, 23, 17, {}},
        test::ComposeCase{PixelFormat::Rgb24, 75, 43, 23, 17, {}},
        test::ComposeCase{PixelFormat::Bgrx, 64, 36, 64, 36, {}},  // a*b* at full size
        test::ComposeCase{PixelFormat::Rgba, 31, 17, 40, 20, {}},  // a*b* larger than the frame
        test::ComposeCase{PixelFormat::I420, 75, 43, 23, 17, {}},
        test::ComposeCase{PixelFormat::I420, 64, 48, 32, 24, bt709_full_center()},
        test::ComposeCase{
            PixelFormat::Nv12, 77, 45, 23, 17, {YuvMatrix::Bt709, YuvRange::Limited, ChromaSiting::TopLeft}},
        test::ComposeCase{PixelFormat::Nv12, 1, 1, 1, 1, {}}),
    test::CaseName());

}  // namespace
}  // namespace colorize::color
