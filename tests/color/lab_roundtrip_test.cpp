// Every 8-bit sRGB colour through L*a*b* and back.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <vector>

#include "color/frame_lab.hpp"
#include "support/frame_buffer.hpp"

namespace colorize::color {
namespace {

TEST(LabRoundTrip, AllSixteenMillionColoursComeBackWithinOneCode) {
  constexpr int kSide = 4096;  // 4096 x 4096 = 2^24 pixels, one per colour
  test::FrameBuffer in(PixelFormat::Rgb24, kSide, kSide, 0);
  test::FrameBuffer out(PixelFormat::Rgb24, kSide, kSide, 0);
  auto src = in.view();
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const std::uint32_t c = static_cast<std::uint32_t>(y) * kSide + static_cast<std::uint32_t>(x);
      std::uint8_t* px = src.row(0, y) + 3 * x;
      px[0] = static_cast<std::uint8_t>(c >> 16);
      px[1] = static_cast<std::uint8_t>(c >> 8);
      px[2] = static_cast<std::uint8_t>(c);
    }
  const std::size_t n = static_cast<std::size_t>(kSide) * kSide;
  std::vector<float> L(n), a(n), b(n);
  const Plane pl{L.data(), kSide, kSide, kSide}, pa{a.data(), kSide, kSide, kSide},
      pb{b.data(), kSide, kSide, kSide};
  frame_to_lab(src, pl, pa, pb);
  lab_to_frame(pl, pa, pb, out.view());

  std::size_t differing = 0;
  int worst = 0;
  const auto dst = out.cview();
  for (int y = 0; y < kSide; ++y)
    for (int i = 0; i < 3 * kSide; ++i) {
      const int d = std::abs(src.row(0, y)[i] - dst.row(0, y)[i]);
      differing += d != 0;
      worst = std::max(worst, d);
    }
  std::cout << "[ round trip ] " << differing << " of " << 3 * n
            << " channel values differ; largest difference " << worst << " code(s)\n";
  RecordProperty("differing_channels", std::to_string(differing));
  RecordProperty("largest_difference", worst);
  EXPECT_LE(worst, 1);
}

}  // namespace
}  // namespace colorize::color
