// color/power.hpp against the C library, densely over the ranges the colour curves feed it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "color/power.hpp"

namespace colorize::color {
namespace {

double relative_error(double got, double exact) { return std::abs(got - exact) / std::abs(exact); }

TEST(Power, Log2IsWithinTwoTenMillionthsOverTheNormalFloats) {
  double worst = 0;
  // Every 997th float from the smallest normal to the largest finite one: all exponents, all mantissas.
  for (std::int32_t bits = 0x00800000; bits < 0x7f800000; bits += 997) {
    float x;
    std::memcpy(&x, &bits, sizeof x);
    worst =
        std::max(worst, std::abs(static_cast<double>(log2_positive(x)) - std::log2(static_cast<double>(x))));
  }
  RecordProperty("worst_abs_error", std::to_string(worst));
  EXPECT_LT(worst, 2e-7 * 128);  // float holds log2 near +-128 to 8e-6; near 0 the test below is tight
  double worst_near_one = 0;
  for (int i = 0; i <= 1000000; ++i) {
    const float x = 0.5f + static_cast<float>(i) * 1.5e-6f;  // [0.5, 2]
    worst_near_one = std::max(
        worst_near_one, std::abs(static_cast<double>(log2_positive(x)) - std::log2(static_cast<double>(x))));
  }
  EXPECT_LT(worst_near_one, 2e-7);
  EXPECT_EQ(log2_positive(1.0f), 0.0f);
  EXPECT_EQ(log2_positive(0.5f), -1.0f);
  EXPECT_EQ(log2_positive(1024.0f), 10.0f);
}

TEST(Power, Exp2IsWithinTwoTenMillionthsRelative) {
  double worst = 0;
  for (int i = 0; i <= 2000000; ++i) {
    const float y = -126.0f + static_cast<float>(i) * 126e-6f;  // [-126, 126]
    worst = std::max(worst, relative_error(exp2_clamped(y), std::exp2(static_cast<double>(y))));
  }
  RecordProperty("worst_relative_error", std::to_string(worst));
  EXPECT_LT(worst, 2e-7);
  EXPECT_EQ(exp2_clamped(0.0f), 1.0f);
  EXPECT_EQ(exp2_clamped(-3.0f), 0.125f);
  // Outside the normal range it clamps instead of overflowing; NaN takes the low end.
  EXPECT_EQ(exp2_clamped(1000.0f), std::exp2(126.0f));
  EXPECT_EQ(exp2_clamped(-1000.0f), std::exp2(-126.0f));
  EXPECT_EQ(exp2_clamped(std::nanf("")), std::exp2(-126.0f));
}

TEST(Power, PowersOfTheCurvesAreWithinOneMillionthRelative) {
  // The exponents the colour code uses, over the bases it passes: sRGB encoding (1/2.4) from the
  // linear threshold up, decoding (2.4) from its threshold, Lab's cube root from its epsilon.
  struct Case {
    float p, low, high;
  };
  for (const Case c :
       {Case{1.0f / 2.4f, 0.0031308f, 1.5f}, Case{2.4f, 0.0521f, 1.5f}, Case{1.0f / 3.0f, 0.008856f, 1.5f}}) {
    double worst = 0;
    for (int i = 0; i <= 1000000; ++i) {
      const float x = c.low + (c.high - c.low) * static_cast<float>(i) / 1e6f;
      worst = std::max(worst, relative_error(power(x, c.p), std::pow(static_cast<double>(x), c.p)));
    }
    EXPECT_LT(worst, 1e-6) << "exponent " << c.p;
  }
}

}  // namespace
}  // namespace colorize::color
