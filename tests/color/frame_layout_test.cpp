// Every format in and out at awkward sizes with padded strides; argument checking.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "color/frame_lab.hpp"
#include "support/frame_buffer.hpp"
#include "support/printers.hpp"

namespace colorize::color {
namespace {

const PixelFormat kAllFormats[] = {PixelFormat::Gray8, PixelFormat::Rgb24, PixelFormat::Bgr24,
                                   PixelFormat::Rgbx,  PixelFormat::Bgrx,  PixelFormat::Rgba,
                                   PixelFormat::Bgra,  PixelFormat::I420,  PixelFormat::Nv12};

struct Size {
  int width, height;
};
void PrintTo(const Size& s, std::ostream* os) { *os << s.width << "x" << s.height; }
const Size kSizes[] = {{1, 1}, {3, 5}, {641, 479}};

void fill_random(test::FrameBuffer& frame, PixelFormat format, int width, int height) {
  std::mt19937 rng(12345);
  auto v = frame.view();
  for (int p = 0; p < plane_count(format); ++p)
    for (int y = 0; y < plane_rows(format, p, height); ++y)
      for (int x = 0; x < min_row_bytes(format, p, width); ++x)
        v.row(p, y)[x] = static_cast<std::uint8_t>(rng());
}

class FormatPair : public ::testing::TestWithParam<std::tuple<PixelFormat, PixelFormat, Size>> {};

TEST_P(FormatPair, ConvertsWithinItsRowsAndKeepsLightness) {
  const auto [from, to, size] = GetParam();
  test::FrameBuffer src(from, size.width, size.height, 9);
  fill_random(src, from, size.width, size.height);
  test::FrameBuffer dst(to, size.width, size.height, 11);
  convert_frame(src.cview(), dst.view());
  EXPECT_TRUE(dst.guards_intact()) << "wrote outside its rows";

  // RGB and gray outputs carry lightness per pixel exactly enough to compare: L of the output stays
  // within the 8-bit quantisation of the input's L (4:2:0 output shares chroma, so it is not per pixel).
  if (is_yuv420(to)) return;
  const int n = size.width * size.height;
  std::vector<float> l_in(n), l_out(n);
  frame_to_lightness(src.cview(), {l_in.data(), size.width, size.height, size.width});
  frame_to_lightness(dst.cview(), {l_out.data(), size.width, size.height, size.width});
  const bool clipped_gamut = to == PixelFormat::Gray8 || is_yuv420(from);
  for (int i = 0; i < n; ++i) ASSERT_NEAR(l_out[i], l_in[i], clipped_gamut ? 0.7 : 0.5) << "pixel " << i;
}

INSTANTIATE_TEST_SUITE_P(AllFormats, FormatPair,
                         ::testing::Combine(::testing::ValuesIn(kAllFormats),
                                            ::testing::ValuesIn(kAllFormats), ::testing::ValuesIn(kSizes)));

class PackedRoundTrip : public ::testing::TestWithParam<PixelFormat> {};

TEST_P(PackedRoundTrip, RgbThroughAnyPackedLayoutIsLossless) {
  constexpr int kW = 37, kH = 3;
  test::FrameBuffer src(PixelFormat::Rgb24, kW, kH);
  fill_random(src, PixelFormat::Rgb24, kW, kH);
  test::FrameBuffer mid(GetParam(), kW, kH);
  test::FrameBuffer back(PixelFormat::Rgb24, kW, kH);
  convert_frame(src.cview(), mid.view());
  convert_frame(mid.cview(), back.view());
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < 3 * kW; ++x) ASSERT_EQ(back.cview().row(0, y)[x], src.cview().row(0, y)[x]);
  const PackedLayout layout = packed_layout(GetParam());
  for (int x = 0; x < kW; ++x) EXPECT_EQ(mid.cview().row(0, 0)[x * 4 + layout.alpha], 255);
}

INSTANTIATE_TEST_SUITE_P(FourByte, PackedRoundTrip,
                         ::testing::Values(PixelFormat::Rgbx, PixelFormat::Bgrx, PixelFormat::Rgba,
                                           PixelFormat::Bgra));

TEST(FrameLayout, GrayThroughLabIsExact) {
  test::FrameBuffer gray(PixelFormat::Gray8, 256, 1);
  auto v = gray.view();
  for (int x = 0; x < 256; ++x) v.data[0][x] = static_cast<std::uint8_t>(x);
  std::vector<float> L(256), a(256), b(256);
  frame_to_lab(v, {L.data(), 256, 1, 256}, {a.data(), 256, 1, 256}, {b.data(), 256, 1, 256});
  test::FrameBuffer out(PixelFormat::Gray8, 256, 1);
  lab_to_frame({L.data(), 256, 1, 256}, {a.data(), 256, 1, 256}, {b.data(), 256, 1, 256}, out.view());
  for (int x = 0; x < 256; ++x) EXPECT_EQ(out.cview().data[0][x], x);
}

// The gray fast path (a table per 8-bit code where a 4:2:0 row's chroma is neutral) gives exactly the
// L* of the general path, which frame_to_lab takes for every pixel; rows with colour still get theirs.
TEST(FrameLayout, NeutralChromaRowsGiveTheGeneralPathsLightness) {
  for (PixelFormat f : {PixelFormat::I420, PixelFormat::Nv12}) {
    const int w = 37, h = 23;
    test::FrameBuffer frame(f, w, h, 5, YuvEncoding{YuvMatrix::Bt709, YuvRange::Limited, ChromaSiting::Left});
    fill_random(frame, f, w, h);
    auto v = frame.view();
    // Chroma rows 0..7 neutral (luma rows 0..13 read only those), the rest random.
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < min_row_bytes(f, 1, w); ++x) {
        v.row(1, y)[x] = 128;
        if (f == PixelFormat::I420) v.row(2, y)[x] = 128;
      }
    const std::size_t n = static_cast<std::size_t>(w) * h;
    std::vector<float> fast(n), L(n), a(n), b(n);
    frame_to_lightness(frame.cview(), {fast.data(), w, h, w});
    frame_to_lab(frame.cview(), {L.data(), w, h, w}, {a.data(), w, h, w}, {b.data(), w, h, w});
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(fast[i], L[i]) << to_string(f) << " pixel " << i;
    EXPECT_GT(std::abs(a[n - 1]) + std::abs(b[n - 1]), 0.5f) << "the bottom rows should carry colour";
  }
}

// a*, b* smaller than the frame are upsampled bilinearly with half-pixel centres inside lab_to_frame:
// the result equals upsampling them to full size first (in double precision) within one 8-bit code.
TEST(FrameLayout, SmallChromaPlanesAreUpsampledOnTheFly) {
  const int w = 45, h = 31, sw = 7, sh = 5;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> ab(-40.0f, 40.0f);
  std::vector<float> a_small(sw * sh), b_small(sw * sh);
  for (auto& v : a_small) v = ab(rng);
  for (auto& v : b_small) v = ab(rng);
  const auto sample = [&](const std::vector<float>& p, int x, int y) {
    const auto tap = [](int i, int n, int m, int& i0, int& i1) {
      const double src = std::max(0.0, (i + 0.5) * m / n - 0.5);
      i0 = std::min(static_cast<int>(src), m - 1);
      i1 = std::min(i0 + 1, m - 1);
      return src - i0;
    };
    int x0, x1, y0, y1;
    const double fx = tap(x, w, sw, x0, x1), fy = tap(y, h, sh, y0, y1);
    const auto at = [&](int xx, int yy) { return static_cast<double>(p[yy * sw + xx]); };
    return static_cast<float>((1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0)) +
                              fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1)));
  };
  std::vector<float> L(w * h), a_full(w * h), b_full(w * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      L[y * w + x] = 20.0f + 60.0f * static_cast<float>(x + y) / static_cast<float>(w + h);
      a_full[y * w + x] = sample(a_small, x, y);
      b_full[y * w + x] = sample(b_small, x, y);
    }
  test::FrameBuffer on_the_fly(PixelFormat::Rgb24, w, h), reference(PixelFormat::Rgb24, w, h);
  lab_to_frame({L.data(), w, h, w}, {a_small.data(), sw, sh, sw}, {b_small.data(), sw, sh, sw},
               on_the_fly.view());
  lab_to_frame({L.data(), w, h, w}, {a_full.data(), w, h, w}, {b_full.data(), w, h, w}, reference.view());
  EXPECT_TRUE(on_the_fly.guards_intact());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < 3 * w; ++x)
      ASSERT_NEAR(on_the_fly.cview().row(0, y)[x], reference.cview().row(0, y)[x], 1) << x / 3 << "," << y;

  // a and b must agree in size and hold at least one sample.
  EXPECT_THROW(lab_to_frame({L.data(), w, h, w}, {a_small.data(), sw, sh, sw},
                            {b_small.data(), sw, sh - 1, sw}, on_the_fly.view()),
               std::invalid_argument);
  EXPECT_THROW(lab_to_frame({L.data(), w, h, w}, {a_small.data(), 0, 0, 0}, {b_small.data(), 0, 0, 0},
                            on_the_fly.view()),
               std::invalid_argument);
}

// 4:2:0 output is written in bands of chroma rows, one per thread, whose edge rows both neighbours
// compute: the frame must not depend on how many threads split it (odd sizes, every siting, up to more
// threads than chroma rows).
TEST(FrameLayout, YuvOutputDoesNotDependOnTheThreadCount) {
  const int w = 181, h = 121, sw = 23, sh = 15;  // large enough to run in parallel
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> lightness(0.0f, 100.0f), ab(-60.0f, 60.0f);
  std::vector<float> L(w * h), a(sw * sh), b(sw * sh);
  for (auto& v : L) v = lightness(rng);
  for (auto& v : a) v = ab(rng);
  for (auto& v : b) v = ab(rng);
  const int threads_before = omp_get_max_threads();
  for (PixelFormat f : {PixelFormat::I420, PixelFormat::Nv12})
    for (ChromaSiting siting : {ChromaSiting::Left, ChromaSiting::Center, ChromaSiting::TopLeft}) {
      const YuvEncoding yuv{YuvMatrix::Bt709, YuvRange::Limited, siting};
      test::FrameBuffer one(f, w, h, 3, yuv);
      omp_set_num_threads(1);
      lab_to_frame({L.data(), w, h, w}, {a.data(), sw, sh, sw}, {b.data(), sw, sh, sw}, one.view());
      for (int threads : {2, 3, 7, 64}) {
        test::FrameBuffer many(f, w, h, 3, yuv);
        omp_set_num_threads(threads);
        lab_to_frame({L.data(), w, h, w}, {a.data(), sw, sh, sw}, {b.data(), sw, sh, sw}, many.view());
        EXPECT_TRUE(many.guards_intact());
        for (int p = 0; p < plane_count(f); ++p)
          for (int y = 0; y < plane_rows(f, p, h); ++y)
            for (int x = 0; x < min_row_bytes(f, p, w); ++x)
              ASSERT_EQ(many.cview().row(p, y)[x], one.cview().row(p, y)[x])
                  << to_string(f) << " plane " << p << " (" << x << ", " << y << "), " << threads
                  << " threads";
      }
    }
  omp_set_num_threads(threads_before);
}

TEST(FrameLayout, BadViewsAreRejectedWithTheReason) {
  test::FrameBuffer frame(PixelFormat::I420, 8, 8);
  std::vector<float> L(64);
  const Plane plane{L.data(), 8, 8, 8};

  auto no_chroma = frame.view();
  no_chroma.data[2] = nullptr;
  EXPECT_THROW(frame_to_lightness(no_chroma, plane), std::invalid_argument);

  auto short_stride = frame.view();
  short_stride.stride[0] = 7;
  try {
    frame_to_lightness(short_stride, plane);
    FAIL() << "a 7-byte stride for an 8-pixel row was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("stride of plane 0"), std::string::npos) << e.what();
  }

  auto empty = frame.view();
  empty.width = 0;
  EXPECT_THROW(frame_to_lightness(empty, plane), std::invalid_argument);

  EXPECT_THROW(frame_to_lightness(frame.cview(), Plane{L.data(), 8, 7, 8}), std::invalid_argument);

  // A frame in CUDA memory (NVDEC's) is for the GPU kernels: the CPU code says so instead of reading it.
  auto on_device = frame.view();
  on_device.memory = Memory::Cuda;
  try {
    frame_to_lightness(on_device, plane);
    FAIL() << "a frame in CUDA memory was read on the CPU";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("CUDA memory"), std::string::npos) << e.what();
  }
  test::FrameBuffer rgb(PixelFormat::Rgb24, 8, 8);
  EXPECT_THROW(convert_frame(frame.cview(), on_device), std::invalid_argument);
  EXPECT_THROW(convert_frame(on_device, rgb.view()), std::invalid_argument);

  test::FrameBuffer other(PixelFormat::Rgb24, 4, 8);
  EXPECT_THROW(convert_frame(frame.cview(), other.view()), std::invalid_argument);
}

TEST(FrameLayout, FormatNamesRoundTrip) {
  for (PixelFormat f : kAllFormats) EXPECT_EQ(pixel_format_from_string(to_string(f)), f);
  EXPECT_FALSE(pixel_format_from_string("YUY2").has_value());
}

}  // namespace
}  // namespace colorize::color
