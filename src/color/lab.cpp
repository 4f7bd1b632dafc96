#include "color/lab.hpp"

#include "color/target_clones.hpp"

namespace colorize::color {

double srgb_to_linear_exact(double v) { return v > 0.04045 ? std::pow((v + 0.055) / 1.055, 2.4) : v / 12.92; }

double linear_to_srgb_exact(double v) {
  return v > 0.0031308 ? 1.055 * std::pow(v, 1.0 / 2.4) - 0.055 : v * 12.92;
}

double lab_f_exact(double t) { return t > kEpsilon ? std::cbrt(t) : kKappa * t + 16.0 / 116.0; }

namespace detail {
namespace {

void invert3x3(const double m[3][3], double out[3][3]) {
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  out[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
  out[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
  out[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
  out[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
  out[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
  out[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
  out[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
  out[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
  out[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
}

}  // namespace

Tables make_tables() {
  Tables t{};
  for (int v = 0; v < 256; ++v) t.srgb8_to_linear[v] = static_cast<float>(srgb_to_linear_exact(v / 255.0));
  for (int i = 0; i <= Tables::kSteps; ++i) {
    const double x = static_cast<double>(i) / Tables::kSteps;
    t.srgb_to_linear[i] = static_cast<float>(srgb_to_linear_exact(x));
    t.linear_to_srgb[i] = static_cast<float>(linear_to_srgb_exact(x));
    t.lab_f[i] = static_cast<float>(lab_f_exact(x));
  }
  for (int k = 0; k < 255; ++k)
    t.srgb8_thresholds[k] = static_cast<float>(srgb_to_linear_exact((k + 0.5) / 255.0));
  double inverse[3][3];
  invert3x3(kXyzFromRgb, inverse);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      t.rgb_from_xyz[r][c] = static_cast<float>(inverse[r][c]);
      t.xyz_from_rgb_white[r][c] = static_cast<float>(kXyzFromRgb[r][c] / kWhite[r]);
    }
  return t;
}

}  // namespace detail

COLORIZE_CLONES void lab_row_to_linear(const float* L, const float* a, const float* b, int n, float* rgb) {
  float m[3][3];  // a local copy: no guard, no aliasing with the outputs, so the loop vectorises
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) m[r][c] = detail::tables().rgb_from_xyz[r][c];
  for (int x = 0; x < n; ++x) {
    const Rgb c = lab_to_linear(m, Lab{L[x], a[x], b[x]});
    rgb[3 * x] = clip_unit(c.r);
    rgb[3 * x + 1] = clip_unit(c.g);
    rgb[3 * x + 2] = clip_unit(c.b);
  }
}

void srgb_to_lab(const float* r, const float* g, const float* b, float* L, float* a, float* bb,
                 std::size_t n) {
#pragma omp parallel for schedule(static) if (n > 65536)
  for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(n); ++i) {
    const Lab lab = srgb_to_lab(Rgb{r[i], g[i], b[i]});
    L[i] = lab.L;
    a[i] = lab.a;
    bb[i] = lab.b;
  }
}

void lab_to_srgb(const float* L, const float* a, const float* b, float* r, float* g, float* bb,
                 std::size_t n) {
#pragma omp parallel for schedule(static) if (n > 65536)
  for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(n); ++i) {
    const Rgb rgb = lab_to_srgb(Lab{L[i], a[i], b[i]});
    r[i] = rgb.r;
    g[i] = rgb.g;
    bb[i] = rgb.b;
  }
}

}  // namespace colorize::color
