// area_shrink: torch's adaptive average pooling windows, against sums in double and a hand example.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <vector>

#include "color/area_shrink.hpp"

namespace colorize::color {
namespace {

TEST(AreaShrink, AveragesOverlappingWindowsByHand) {
  // 5 columns to 2: windows [0, 3) and [2, 5) share column 2. 2 rows to 1: both rows.
  const std::vector<float> in = {1,  2,  3,  4,  5,  //
                                 11, 12, 13, 14, 15};
  std::vector<float> out(2, -1.0f);
  area_shrink({in.data(), 5, 2, 5}, {out.data(), 2, 1, 2});
  EXPECT_FLOAT_EQ(out[0], (1 + 2 + 3 + 11 + 12 + 13) / 6.0f);
  EXPECT_FLOAT_EQ(out[1], (3 + 4 + 5 + 13 + 14 + 15) / 6.0f);
}

TEST(AreaShrink, MatchesWindowMeansInDouble) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> value(0.0f, 100.0f);
  struct Size {
    int w, h, ow, oh;
  };
  for (const Size s : {Size{1920, 1080, 455, 256}, Size{97, 61, 41, 26}, Size{64, 48, 32, 24},
                       Size{30, 20, 30, 20}, Size{7, 300, 1, 256}}) {
    const int stride = s.w + 3;  // padded rows
    std::vector<float> in(static_cast<std::size_t>(stride) * s.h);
    for (auto& v : in) v = value(rng);
    std::vector<float> out(static_cast<std::size_t>(s.ow) * s.oh);
    area_shrink({in.data(), s.w, s.h, stride}, {out.data(), s.ow, s.oh, s.ow});
    double worst = 0;
    for (int oy = 0; oy < s.oh; ++oy)
      for (int ox = 0; ox < s.ow; ++ox) {
        const int y0 = oy * s.h / s.oh, y1 = ((oy + 1) * s.h + s.oh - 1) / s.oh;
        const int x0 = ox * s.w / s.ow, x1 = ((ox + 1) * s.w + s.ow - 1) / s.ow;
        double sum = 0;
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x)
            sum += static_cast<double>(in[static_cast<std::size_t>(y) * stride + x]);
        const double mean = sum / ((y1 - y0) * (x1 - x0));
        worst = std::max(worst,
                         std::abs(static_cast<double>(out[static_cast<std::size_t>(oy) * s.ow + ox]) - mean));
      }
    EXPECT_LT(worst, 1e-4) << s.w << "x" << s.h << " to " << s.ow << "x" << s.oh;
  }
}

TEST(AreaShrink, RefusesToEnlarge) {
  std::vector<float> in(4), out(9);
  EXPECT_THROW(area_shrink({in.data(), 2, 2, 2}, {out.data(), 3, 3, 3}), std::invalid_argument);
}

}  // namespace
}  // namespace colorize::color
