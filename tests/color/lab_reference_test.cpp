// src/color against scikit-image (tables written by tests/data/make_lab_reference.py).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "color/frame_lab.hpp"
#include "color/lab.hpp"
#include "support/frame_buffer.hpp"

namespace colorize::color {
namespace {

constexpr double kTolerance = 1e-3;

// Rows of six numbers, skipping the comment and header lines.
std::vector<std::array<double, 6>> read_table(const std::string& name) {
  std::ifstream in(std::string(COLORIZE_TEST_DATA) + "/" + name);
  EXPECT_TRUE(in.good()) << "cannot open " << name;
  std::vector<std::array<double, 6>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == 'r' || line[0] == 'L') continue;
    std::array<double, 6> row{};
    std::istringstream fields(line);
    for (double& v : row) {
      fields >> v;
      fields.ignore(1);  // the comma
    }
    rows.push_back(row);
  }
  return rows;
}

TEST(LabReference, TablesCoverEnoughColours) {
  EXPECT_GE(read_table("lab_reference_rgb2lab.csv").size(), 1000u);
  EXPECT_GE(read_table("lab_reference_lab2rgb.csv").size(), 1000u);
}

TEST(LabReference, FloatPlanesMatchSkimageRgb2lab) {
  const auto table = read_table("lab_reference_rgb2lab.csv");
  const std::size_t n = table.size();
  std::vector<float> r(n), g(n), b(n), L(n), A(n), B(n);
  for (std::size_t i = 0; i < n; ++i) {
    r[i] = static_cast<float>(table[i][0] / 255.0);
    g[i] = static_cast<float>(table[i][1] / 255.0);
    b[i] = static_cast<float>(table[i][2] / 255.0);
  }
  srgb_to_lab(r.data(), g.data(), b.data(), L.data(), A.data(), B.data(), n);
  for (std::size_t i = 0; i < n; ++i) {
    SCOPED_TRACE("rgb " + std::to_string(table[i][0]) + "," + std::to_string(table[i][1]) + "," +
                 std::to_string(table[i][2]));
    EXPECT_NEAR(L[i], table[i][3], kTolerance);
    EXPECT_NEAR(A[i], table[i][4], kTolerance);
    EXPECT_NEAR(B[i], table[i][5], kTolerance);
  }
}

TEST(LabReference, Rgb24FrameMatchesSkimageRgb2lab) {
  const auto table = read_table("lab_reference_rgb2lab.csv");
  const int n = static_cast<int>(table.size());
  test::FrameBuffer frame(PixelFormat::Rgb24, n, 1);
  auto v = frame.view();
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < 3; ++c) v.data[0][3 * i + c] = static_cast<std::uint8_t>(table[i][c]);
  std::vector<float> L(n), A(n), B(n);
  frame_to_lab(v, {L.data(), n, 1, n}, {A.data(), n, 1, n}, {B.data(), n, 1, n});
  std::vector<float> lightness(n);
  frame_to_lightness(v, {lightness.data(), n, 1, n});
  for (int i = 0; i < n; ++i) {
    EXPECT_NEAR(L[i], table[i][3], kTolerance) << "colour " << i;
    EXPECT_NEAR(A[i], table[i][4], kTolerance) << "colour " << i;
    EXPECT_NEAR(B[i], table[i][5], kTolerance) << "colour " << i;
    EXPECT_EQ(lightness[i], L[i]) << "frame_to_lightness and frame_to_lab disagree, colour " << i;
  }
}

TEST(LabReference, FloatPlanesMatchSkimageLab2rgbWithClipping) {
  const auto table = read_table("lab_reference_lab2rgb.csv");
  const std::size_t n = table.size();
  std::vector<float> L(n), A(n), B(n), r(n), g(n), b(n);
  for (std::size_t i = 0; i < n; ++i) {
    L[i] = static_cast<float>(table[i][0]);
    A[i] = static_cast<float>(table[i][1]);
    B[i] = static_cast<float>(table[i][2]);
  }
  lab_to_srgb(L.data(), A.data(), B.data(), r.data(), g.data(), b.data(), n);
  for (std::size_t i = 0; i < n; ++i) {
    SCOPED_TRACE("Lab " + std::to_string(L[i]) + "," + std::to_string(A[i]) + "," + std::to_string(B[i]));
    EXPECT_NEAR(r[i], table[i][3], kTolerance);
    EXPECT_NEAR(g[i], table[i][4], kTolerance);
    EXPECT_NEAR(b[i], table[i][5], kTolerance);
  }
}

TEST(LabReference, Rgb24OutputRoundsSkimageLab2rgbCorrectly) {
  const auto table = read_table("lab_reference_lab2rgb.csv");
  const int n = static_cast<int>(table.size());
  std::vector<float> L(n), A(n), B(n);
  for (int i = 0; i < n; ++i) {
    L[i] = static_cast<float>(table[i][0]);
    A[i] = static_cast<float>(table[i][1]);
    B[i] = static_cast<float>(table[i][2]);
  }
  test::FrameBuffer frame(PixelFormat::Rgb24, n, 1);
  lab_to_frame({L.data(), n, 1, n}, {A.data(), n, 1, n}, {B.data(), n, 1, n}, frame.view());
  const auto v = frame.cview();
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < 3; ++c)
      // Correct rounding: within half a code of the exact value (plus the table's 6 decimals).
      EXPECT_LE(std::abs(v.data[0][3 * i + c] - table[i][3 + c] * 255.0), 0.5 + 1e-3)
          << "colour " << i << " channel " << c;
  EXPECT_TRUE(frame.guards_intact());
}

// The computed curves against the exact closed forms in double, densely over [0, 1].
TEST(LabCurves, ComputedCurvesAreWithinAMillionthOfFullScale) {
  double worst_decode = 0, worst_encode = 0, worst_f = 0;
  for (int i = 0; i <= 1000000; ++i) {
    const double x = i / 1e6;
    const auto xf = static_cast<float>(x);
    const auto error = [](float computed, double exact) {
      return std::abs(static_cast<double>(computed) - exact);
    };
    worst_decode = std::max(worst_decode, error(srgb_to_linear(xf), srgb_to_linear_exact(xf)));
    worst_encode = std::max(worst_encode, error(linear_to_srgb(xf), linear_to_srgb_exact(xf)));
    worst_f = std::max(worst_f, error(lab_f(xf), lab_f_exact(xf)));
  }
  std::cout << "[ curves ] worst error: decode " << worst_decode << ", encode " << worst_encode << ", lab f "
            << worst_f << "\n";
  RecordProperty("worst_decode", std::to_string(worst_decode));
  RecordProperty("worst_encode", std::to_string(worst_encode));
  RecordProperty("worst_lab_f", std::to_string(worst_f));
  EXPECT_LT(worst_decode, 1e-6);
  EXPECT_LT(worst_encode, 1e-6);
  EXPECT_LT(worst_f, 1e-6);
}

TEST(LabCurves, EightBitEncodingIsExactRounding) {
  for (int i = 0; i <= 200000; ++i) {
    const float lin = static_cast<float>(i) / 200000.0f;
    const double exact = linear_to_srgb_exact(lin) * 255.0;
    const int code = linear_to_srgb8(lin);
    // Ties at exactly .5 may go either way within float precision.
    ASSERT_LE(std::abs(code - exact), 0.5 + 1e-4) << "linear " << lin;
  }
  EXPECT_EQ(linear_to_srgb8(-1.0f), 0);
  EXPECT_EQ(linear_to_srgb8(2.0f), 255);
}

}  // namespace
}  // namespace colorize::color
