// MotionWarp: warp() samples bilinearly with edges replicated, exactly as a reference in double does,
// for any motion (outside the frame and NaN included); estimate() finds a known shift.
#include "engine/temporal/motion_warp.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace colorize::engine {
namespace {

struct TestPlane {
  std::vector<float> values;
  int width, height;
  TestPlane(int w, int h, float fill = 0.0f)
      : values(static_cast<std::size_t>(w) * h, fill), width(w), height(h) {}
  float& at(int x, int y) { return values[static_cast<std::size_t>(y) * width + x]; }
  color::Plane view() { return {values.data(), width, height, width}; }
  color::ConstPlane cview() const { return {values.data(), width, height, width}; }
};

// The bilinear sample of p at (sx, sy) with the sample positions clamped to the plane (edge
// replication), in double; NaN positions read as 0.
double reference_sample(TestPlane& p, double sx, double sy) {
  if (std::isnan(sx)) sx = 0;
  if (std::isnan(sy)) sy = 0;
  sx = std::clamp(sx, 0.0, p.width - 1.0);
  sy = std::clamp(sy, 0.0, p.height - 1.0);
  const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
  const int x1 = std::min(x0 + 1, p.width - 1), y1 = std::min(y0 + 1, p.height - 1);
  const double tx = sx - x0, ty = sy - y0;
  const auto at = [&](int x, int y) { return static_cast<double>(p.at(x, y)); };
  return (1 - ty) * ((1 - tx) * at(x0, y0) + tx * at(x1, y0)) +
         ty * ((1 - tx) * at(x0, y1) + tx * at(x1, y1));
}

TestPlane random_plane(int w, int h, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(-100.0f, 100.0f);
  TestPlane p(w, h);
  for (float& v : p.values) v = value(rng);
  return p;
}

// Warps a random plane along a random motion that reaches past every edge and contains NaN, integer
// and half-pixel positions, and compares with the reference.
void expect_warp_matches_reference(int w, int h, unsigned seed) {
  TestPlane in = random_plane(w, h, seed), dx(w, h), dy(w, h), out(w, h);
  std::mt19937 rng(seed + 1);
  std::uniform_real_distribution<float> motion(-4.0f, 4.0f);
  std::uniform_int_distribution<int> kind(0, 9);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int k = kind(rng);
      dx.at(x, y) = k == 0 ? std::nanf("") : k == 1 ? std::round(motion(rng)) : k == 2 ? 0.5f : motion(rng);
      dy.at(x, y) = k == 3 ? std::nanf("") : k == 4 ? -std::round(motion(rng)) : motion(rng);
    }
  MotionWarp warp;
  warp.set_motion(dx.cview(), dy.cview());
  warp.warp(in.cview(), out.view());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      // The position as warp() forms it, x + dx in float; the sampling in double.
      const double expected = reference_sample(in, static_cast<double>(static_cast<float>(x) + dx.at(x, y)),
                                               static_cast<double>(static_cast<float>(y) + dy.at(x, y)));
      ASSERT_NEAR(static_cast<double>(out.at(x, y)), expected, 1e-4)
          << w << "x" << h << " at " << x << "," << y;
    }
}

TEST(MotionWarp, SamplesBilinearlyWithEdgesReplicated) {
  expect_warp_matches_reference(37, 23, 1);  // rows longer than a vector, with a remainder
  expect_warp_matches_reference(5, 3, 2);
}

TEST(MotionWarp, OnePixelWideOrHighPlanes) {
  expect_warp_matches_reference(1, 9, 3);
  expect_warp_matches_reference(9, 1, 4);
  expect_warp_matches_reference(1, 1, 5);
}

TEST(MotionWarp, WholePixelMotionMovesSamplesExactly) {
  const int w = 40, h = 30;
  TestPlane in = random_plane(w, h, 6), dx(w, h, -3.0f), dy(w, h, 2.0f), out(w, h);
  MotionWarp warp;
  warp.set_motion(dx.cview(), dy.cview());
  warp.warp(in.cview(), out.view());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      ASSERT_EQ(out.at(x, y), in.at(std::clamp(x - 3, 0, w - 1), std::clamp(y + 2, 0, h - 1)))
          << x << "," << y;
}

TEST(MotionWarp, EstimateFindsAShift) {
  // A smooth texture moved 3 pixels right and 1 down: each pixel of the later frame came from 3 left,
  // 1 up; warping the earlier frame along the estimate gives the later one away from the edges.
  const int w = 160, h = 96;
  const auto texture = [](double u, double v) {
    return 50 + 20 * std::sin(u / 6.0) * std::cos(v / 5.0) + 10 * std::sin((u + v) / 4.0);
  };
  TestPlane previous(w, h), current(w, h), out(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      previous.at(x, y) = static_cast<float>(texture(x, y));
      current.at(x, y) = static_cast<float>(texture(x - 3, y - 1));
    }
  MotionWarp warp;
  warp.estimate(previous.cview(), current.cview());
  warp.warp(previous.cview(), out.view());
  double error = 0, unmoved = 0;
  int n = 0;
  for (int y = 8; y < h - 8; ++y)
    for (int x = 8; x < w - 8; ++x, ++n) {
      error += static_cast<double>(std::abs(out.at(x, y) - current.at(x, y)));
      unmoved += static_cast<double>(std::abs(previous.at(x, y) - current.at(x, y)));
    }
  EXPECT_LT(error / n, 0.1 * unmoved / n)
      << "mean error " << error / n << " against " << unmoved / n << " unmoved";
}

TEST(MotionWarp, RefusesPlanesThatDoNotFit) {
  TestPlane a(8, 6), dx(8, 6), dy(8, 6), small(4, 6);
  MotionWarp warp;
  warp.set_motion(dx.cview(), dy.cview());
  EXPECT_THROW(warp.warp(small.cview(), a.view()), std::invalid_argument);
  EXPECT_THROW(warp.warp(a.cview(), a.view()), std::invalid_argument);  // in place
  EXPECT_THROW(warp.set_motion(dx.cview(), small.cview()), std::invalid_argument);
}

}  // namespace
}  // namespace colorize::engine
