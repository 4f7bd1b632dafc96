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

namespace {

// Local copies of the matrices: no guarded static and no aliasing with the outputs inside the loops, so
// they vectorise.
struct LocalMatrices {
  float rgb_from_xyz[3][3], xyz_from_rgb_white[3][3];
  LocalMatrices() {
    const detail::Tables& t = detail::tables();
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) {
        rgb_from_xyz[r][c] = t.rgb_from_xyz[r][c];
        xyz_from_rgb_white[r][c] = t.xyz_from_rgb_white[r][c];
      }
  }
};

COLORIZE_CLONES void srgb_span_to_lab(const float* __restrict r, const float* __restrict g,
                                      const float* __restrict b, float* __restrict L, float* __restrict a,
                                      float* __restrict bb, std::ptrdiff_t n) {
  const LocalMatrices m;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const Lab lab =
        linear_to_lab(m.xyz_from_rgb_white, srgb_to_linear(r[i]), srgb_to_linear(g[i]), srgb_to_linear(b[i]));
    L[i] = lab.L;
    a[i] = lab.a;
    bb[i] = lab.b;
  }
}

COLORIZE_CLONES void lab_span_to_srgb(const float* __restrict L, const float* __restrict a,
                                      const float* __restrict b, float* __restrict r, float* __restrict g,
                                      float* __restrict bb, std::ptrdiff_t n) {
  const LocalMatrices m;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const Rgb lin = lab_to_linear(m.rgb_from_xyz, Lab{L[i], a[i], b[i]});
    r[i] = linear_to_srgb(lin.r);
    g[i] = linear_to_srgb(lin.g);
    bb[i] = linear_to_srgb(lin.b);
  }
}

// Whole planes in spans of this many pixels, the spans spread over the threads.
constexpr std::ptrdiff_t kSpan = 4096;

template <class SpanFn>
void for_each_span(std::size_t n, SpanFn&& span_fn) {
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for schedule(static) if (count > 16 * kSpan)
  for (std::ptrdiff_t start = 0; start < count; start += kSpan)
    span_fn(start, std::min(kSpan, count - start));
}

}  // namespace

COLORIZE_CLONES void lab_row_to_linear(const float* __restrict L, const float* __restrict a,
                                       const float* __restrict b, int n, float* __restrict rgb) {
  const LocalMatrices m;
  for (int x = 0; x < n; ++x) {
    const Rgb c = lab_to_linear(m.rgb_from_xyz, Lab{L[x], a[x], b[x]});
    rgb[3 * x] = clip_unit(c.r);
    rgb[3 * x + 1] = clip_unit(c.g);
    rgb[3 * x + 2] = clip_unit(c.b);
  }
}

COLORIZE_CLONES void linear_row_to_lab(const float* __restrict rgb, int n, float* __restrict L,
                                       float* __restrict a, float* __restrict b) {
  const LocalMatrices m;
  for (int x = 0; x < n; ++x) {
    const Lab lab = linear_to_lab(m.xyz_from_rgb_white, rgb[3 * x], rgb[3 * x + 1], rgb[3 * x + 2]);
    L[x] = lab.L;
    a[x] = lab.a;
    b[x] = lab.b;
  }
}

COLORIZE_CLONES void linear_row_to_lightness(const float* __restrict rgb, int n, float* __restrict L) {
  const LocalMatrices m;
  for (int x = 0; x < n; ++x)
    L[x] = lightness_from_luminance(
        luminance_from_linear(m.xyz_from_rgb_white[1], rgb[3 * x], rgb[3 * x + 1], rgb[3 * x + 2]));
}

void srgb_to_lab(const float* r, const float* g, const float* b, float* L, float* a, float* bb,
                 std::size_t n) {
  for_each_span(n, [&](std::ptrdiff_t i, std::ptrdiff_t count) {
    srgb_span_to_lab(r + i, g + i, b + i, L + i, a + i, bb + i, count);
  });
}

void lab_to_srgb(const float* L, const float* a, const float* b, float* r, float* g, float* bb,
                 std::size_t n) {
  for_each_span(n, [&](std::ptrdiff_t i, std::ptrdiff_t count) {
    lab_span_to_srgb(L + i, a + i, b + i, r + i, g + i, bb + i, count);
  });
}

}  // namespace colorize::color
