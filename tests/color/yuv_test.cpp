// Y'CbCr conversions against values computed by hand from the BT.601 / BT.709 definitions:
//   E'Y = Kr R' + (1 - Kr - Kb) G' + Kb B';  E'Pb = (B' - E'Y) / (2 (1 - Kb));  E'Pr = (R' - E'Y) / (2 (1 -
//   Kr)) limited: Y = 16 + 219 E'Y, C = 128 + 224 E'P;  full: Y = 255 E'Y, C = 128 + 255 E'P (clipped to 255)
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "color/frame_lab.hpp"
#include "support/frame_buffer.hpp"
#include "support/printers.hpp"

namespace colorize::color {
namespace {

struct Case {
  YuvMatrix matrix;
  YuvRange range;
  std::array<int, 3> rgb;
  std::array<int, 3> yuv;  // rounded by hand from the formulas above
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << (c.matrix == YuvMatrix::Bt601 ? "bt601" : "bt709")
      << (c.range == YuvRange::Full ? "full" : "limited") << "_rgb" << c.rgb[0] << "_" << c.rgb[1] << "_"
      << c.rgb[2];
}

// (R'G'B') -> (Y, Cb, Cr), e.g. BT.601 limited red: Y = 16 + 219 * 0.299 = 81.48 -> 81,
// Cb = 128 - 224 * 0.299 / 1.772 = 90.20 -> 90, Cr = 128 + 224 * 0.5 = 240.
const Case kCases[] = {
    {YuvMatrix::Bt601, YuvRange::Limited, {255, 0, 0}, {81, 90, 240}},
    {YuvMatrix::Bt601, YuvRange::Limited, {0, 255, 0}, {145, 54, 34}},
    {YuvMatrix::Bt601, YuvRange::Limited, {0, 0, 255}, {41, 240, 110}},
    {YuvMatrix::Bt601, YuvRange::Limited, {255, 255, 255}, {235, 128, 128}},
    {YuvMatrix::Bt601, YuvRange::Limited, {0, 0, 0}, {16, 128, 128}},
    {YuvMatrix::Bt601, YuvRange::Limited, {128, 64, 32}, {84, 104, 158}},
    {YuvMatrix::Bt601, YuvRange::Full, {255, 0, 0}, {76, 85, 255}},
    {YuvMatrix::Bt601, YuvRange::Full, {0, 255, 0}, {150, 44, 21}},
    {YuvMatrix::Bt601, YuvRange::Full, {0, 0, 255}, {29, 255, 107}},
    {YuvMatrix::Bt601, YuvRange::Full, {255, 255, 255}, {255, 128, 128}},
    {YuvMatrix::Bt601, YuvRange::Full, {128, 64, 32}, {79, 101, 163}},
    {YuvMatrix::Bt709, YuvRange::Limited, {255, 0, 0}, {63, 102, 240}},
    {YuvMatrix::Bt709, YuvRange::Limited, {0, 255, 0}, {173, 42, 26}},
    {YuvMatrix::Bt709, YuvRange::Limited, {0, 0, 255}, {32, 240, 118}},
    {YuvMatrix::Bt709, YuvRange::Limited, {128, 64, 32}, {81, 108, 157}},
    {YuvMatrix::Bt709, YuvRange::Full, {255, 0, 0}, {54, 99, 255}},
    {YuvMatrix::Bt709, YuvRange::Full, {0, 255, 0}, {182, 30, 12}},
    {YuvMatrix::Bt709, YuvRange::Full, {0, 0, 0}, {0, 128, 128}},
    {YuvMatrix::Bt709, YuvRange::Full, {128, 64, 32}, {75, 105, 161}},
};

void fill_solid(test::FrameBuffer& frame, int width, int height, std::array<int, 3> rgb) {
  auto v = frame.view();
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c) v.row(0, y)[3 * x + c] = static_cast<std::uint8_t>(rgb[c]);
}

class YuvEncode : public ::testing::TestWithParam<std::tuple<Case, PixelFormat, ChromaSiting>> {};

TEST_P(YuvEncode, SolidColourGivesHandComputedCodesEverywhere) {
  const auto& [c, format, siting] = GetParam();
  const YuvEncoding enc{c.matrix, c.range, siting};
  constexpr int kW = 5, kH = 3;  // odd, so the edge chroma samples are half outside
  test::FrameBuffer rgb(PixelFormat::Rgb24, kW, kH);
  fill_solid(rgb, kW, kH, c.rgb);
  test::FrameBuffer yuv(format, kW, kH, 5, enc);
  convert_frame(rgb.cview(), yuv.view());
  const auto v = yuv.cview();
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) EXPECT_EQ(v.row(0, y)[x], c.yuv[0]) << x << "," << y;
  for (int y = 0; y < chroma_extent(kH); ++y)
    for (int x = 0; x < chroma_extent(kW); ++x) {
      const int cb = format == PixelFormat::Nv12 ? v.row(1, y)[2 * x] : v.row(1, y)[x];
      const int cr = format == PixelFormat::Nv12 ? v.row(1, y)[2 * x + 1] : v.row(2, y)[x];
      EXPECT_EQ(cb, c.yuv[1]) << x << "," << y;
      EXPECT_EQ(cr, c.yuv[2]) << x << "," << y;
    }
  EXPECT_TRUE(yuv.guards_intact());

  // And back: the codes decode to the colour within the quantisation of the codes (at most 2).
  test::FrameBuffer back(PixelFormat::Rgb24, kW, kH);
  convert_frame(yuv.cview(), back.view());
  const auto b = back.cview();
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x)
      for (int ch = 0; ch < 3; ++ch) EXPECT_NEAR(b.row(0, y)[3 * x + ch], c.rgb[ch], 2) << x << "," << y;
}

INSTANTIATE_TEST_SUITE_P(
    HandComputed, YuvEncode,
    ::testing::Combine(::testing::ValuesIn(kCases), ::testing::Values(PixelFormat::I420, PixelFormat::Nv12),
                       ::testing::Values(ChromaSiting::Left, ChromaSiting::Center, ChromaSiting::TopLeft)));

// A colour ramp is linear in R'G'B', so Cb and Cr are linear in x and y. The tent filter down and the
// bilinear interpolation up both reproduce a linear function exactly, but only when encoder and decoder
// agree on where the chroma samples sit: away from the edges the ramp survives 4:2:0 within the
// rounding of the codes.
class ChromaSitingTest : public ::testing::TestWithParam<ChromaSiting> {};

TEST_P(ChromaSitingTest, LinearRampSurvivesSubsampling) {
  constexpr int kW = 64, kH = 48;
  test::FrameBuffer rgb(PixelFormat::Rgb24, kW, kH);
  auto v = rgb.view();
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      v.row(0, y)[3 * x] = static_cast<std::uint8_t>(40 + 2 * x);
      v.row(0, y)[3 * x + 1] = static_cast<std::uint8_t>(200 - 3 * y);
      v.row(0, y)[3 * x + 2] = static_cast<std::uint8_t>(60 + x + 2 * y);
    }
  const YuvEncoding enc{YuvMatrix::Bt709, YuvRange::Limited, GetParam()};
  test::FrameBuffer yuv(PixelFormat::I420, kW, kH, 3, enc);
  convert_frame(rgb.cview(), yuv.view());
  test::FrameBuffer back(PixelFormat::Rgb24, kW, kH);
  convert_frame(yuv.cview(), back.view());
  const auto b = back.cview();
  int worst = 0;
  for (int y = 2; y < kH - 2; ++y)
    for (int x = 2; x < 3 * (kW - 2); ++x) worst = std::max(worst, std::abs(b.row(0, y)[x] - v.row(0, y)[x]));
  EXPECT_LE(worst, 2);
}

INSTANTIATE_TEST_SUITE_P(AllSitings, ChromaSitingTest,
                         ::testing::Values(ChromaSiting::Left, ChromaSiting::Center, ChromaSiting::TopLeft));

TEST(YuvDecode, LimitedRangeSuperWhiteIsClipped) {
  test::FrameBuffer yuv(PixelFormat::I420, 2, 2);
  auto v = yuv.view();
  v.row(0, 0)[0] = v.row(0, 0)[1] = v.row(0, 1)[0] = v.row(0, 1)[1] = 250;  // above 235
  v.row(1, 0)[0] = v.row(2, 0)[0] = 128;
  test::FrameBuffer rgb(PixelFormat::Rgb24, 2, 2);
  convert_frame(yuv.cview(), rgb.view());
  for (int i = 0; i < 6; ++i) EXPECT_EQ(rgb.cview().row(0, 0)[i], 255);
}

}  // namespace
}  // namespace colorize::color
