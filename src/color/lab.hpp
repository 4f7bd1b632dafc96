// sRGB (IEC 61966-2-1) <-> CIE XYZ (D65, 2 degree observer) <-> CIE L*a*b*, with scikit-image's
// constants (rgb2lab / lab2rgb), so that models trained in Python and here see the same numbers.
//
// The per-pixel functions are inline: the sRGB transfer curves and Lab's cube root are their closed
// forms computed with color/power.hpp (relative error below 1e-6, checked against the exact forms in
// the tests), which vectorises inside the row loops; 8-bit codes read small exact tables.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "color/attributes.hpp"
#include "color/power.hpp"

namespace colorize::color {

// scikit-image's xyz_from_rgb (sRGB primaries, D65) and its inverse.
inline constexpr double kXyzFromRgb[3][3] = {
    {0.412453, 0.357580, 0.180423}, {0.212671, 0.715160, 0.072169}, {0.019334, 0.119193, 0.950227}};
// D65 reference white, 2 degree observer, as scikit-image has it.
inline constexpr double kWhite[3] = {0.95047, 1.0, 1.08883};
// Lab's piecewise cube root: linear below kEpsilon, with slope 7.787 and offset 16/116.
inline constexpr double kEpsilon = 0.008856;
inline constexpr double kKappa = 7.787;
inline constexpr double kInverseThreshold = 0.2068966;

struct Lab {
  float L, a, b;
};
struct Rgb {
  float r, g, b;
};

namespace detail {

// Tables made once per process; read-only afterwards, so safe from any thread.
struct Tables {
  std::array<float, 256> srgb8_to_linear;
  float rgb_from_xyz[3][3];
  float xyz_from_rgb_white[3][3];  // kXyzFromRgb with each row divided by the white point
};
Tables make_tables();
// Inline, so the hot loops see a guarded static rather than an opaque call per pixel.
inline const Tables& tables() {
  static const Tables instance = make_tables();
  return instance;
}

}  // namespace detail

// Exact closed forms (double), the reference the computed curves are checked against.
double srgb_to_linear_exact(double v);
double linear_to_srgb_exact(double v);
double lab_f_exact(double t);

// sRGB-encoded value to linear light, the closed form for any value (NaN stays NaN).
COLORIZE_HD COLORIZE_INLINE float srgb_to_linear(float v) {
  const bool curved = v > 0.04045f;
  const float curve = power(curved ? (v + 0.055f) * (1.0f / 1.055f) : 1.0f, 2.4f);
  return curved ? curve : v * (1.0f / 12.92f);
}
inline float srgb8_to_linear(std::uint8_t v) { return detail::tables().srgb8_to_linear[v]; }

// Linear light to sRGB-encoded, clipped to [0,1] (out-of-gamut colours are clipped, as lab2rgb does);
// NaN gives 0. Selects rather than branches, so that row loops vectorise.
COLORIZE_HD COLORIZE_INLINE float linear_to_srgb(float v) {
  const float c = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
  const bool curved = c > 0.0031308f;
  const float curve = 1.055f * power(curved ? c : 1.0f, 1.0f / 2.4f) - 0.055f;
  return c < 1.0f ? (curved ? curve : 12.92f * c) : 1.0f;
}

// Linear light to the nearest 8-bit sRGB code, clipped. The computed curve is within 2e-7 of the exact
// one, 5e-5 of a code: rounding it is rounding the exact value, but for values that close to a tie.
COLORIZE_HD COLORIZE_INLINE std::uint8_t linear_to_srgb8(float v) {
  return static_cast<std::uint8_t>(static_cast<int>(linear_to_srgb(v) * 255.0f + 0.5f));
}

// Lab's f: the cube root above kEpsilon, linear below.
COLORIZE_HD COLORIZE_INLINE float lab_f(float t) {
  const bool root = t > static_cast<float>(kEpsilon);
  const float cube_root = power(root ? t : 1.0f, 1.0f / 3.0f);
  return root ? cube_root : static_cast<float>(kKappa) * t + static_cast<float>(16.0 / 116.0);
}

COLORIZE_HD COLORIZE_INLINE float lab_f_inverse(float f) {
  return f > static_cast<float>(kInverseThreshold)
             ? f * f * f
             : (f - static_cast<float>(16.0 / 116.0)) * static_cast<float>(1.0 / kKappa);
}

// L* from relative luminance Y (Y of the white = 1).
COLORIZE_HD COLORIZE_INLINE float lightness_from_luminance(float y) { return 116.0f * lab_f(y) - 16.0f; }

// Relative luminance of linear R, G, B, with the luminance row of the RGB -> XYZ matrix given.
COLORIZE_HD COLORIZE_INLINE float luminance_from_linear(const float (&w)[3], float r, float g, float b) {
  return w[0] * r + w[1] * g + w[2] * b;
}
inline float luminance_from_linear(float r, float g, float b) {
  return luminance_from_linear(detail::tables().xyz_from_rgb_white[1], r, g, b);
}

// Linear RGB to Lab, with the white-scaled RGB -> XYZ matrix given.
COLORIZE_HD COLORIZE_INLINE Lab linear_to_lab(const float (&m)[3][3], float r, float g, float b) {
  const float fx = lab_f(m[0][0] * r + m[0][1] * g + m[0][2] * b);
  const float fy = lab_f(m[1][0] * r + m[1][1] * g + m[1][2] * b);
  const float fz = lab_f(m[2][0] * r + m[2][1] * g + m[2][2] * b);
  return {116.0f * fy - 16.0f, 500.0f * (fx - fy), 200.0f * (fy - fz)};
}

// Lab to linear RGB, not yet clipped, with the XYZ -> RGB matrix given. Like scikit-image, a negative z
// (b far too yellow for L) is clamped to 0 before inversion. Selects, not branches, so that loops over
// it vectorise.
COLORIZE_HD COLORIZE_INLINE Rgb lab_to_linear(const float (&m)[3][3], Lab lab) {
  // Multiplications by the reciprocals: a division per term would cost more than the rest of the row.
  const float fy = (lab.L + 16.0f) * (1.0f / 116.0f);
  const float fx = fy + lab.a * (1.0f / 500.0f);
  const float fz_signed = fy - lab.b * (1.0f / 200.0f);
  const float fz = fz_signed < 0.0f ? 0.0f : fz_signed;
  const float x = lab_f_inverse(fx) * static_cast<float>(kWhite[0]);
  const float y = lab_f_inverse(fy);
  const float z = lab_f_inverse(fz) * static_cast<float>(kWhite[2]);
  return {m[0][0] * x + m[0][1] * y + m[0][2] * z, m[1][0] * x + m[1][1] * y + m[1][2] * z,
          m[2][0] * x + m[2][1] * y + m[2][2] * z};
}

COLORIZE_HD COLORIZE_INLINE float clip_unit(float v) {
  const float low = v < 0.0f ? 0.0f : v;
  return low > 1.0f ? 1.0f : low;
}

// Rows of n pixels, with the per-pixel functions above, compiled for AVX-512, AVX2, SSE4.2 and baseline and
// picked at run time (color/target_clones.hpp); every variant gives the same bits (no contraction, no
// reassociation). rgb is linear light, interleaved in rgb[0 .. 3n).
// L*, a*, b* to R, G, B clipped to [0, 1].
void lab_row_to_linear(const float* L, const float* a, const float* b, int n, float* rgb);
// R, G, B to L*, a*, b*; and to L* alone.
void linear_row_to_lab(const float* rgb, int n, float* L, float* a, float* b);
void linear_row_to_lightness(const float* rgb, int n, float* L);

// Whole planes of n pixels: sRGB in [0,1] to L*a*b*, and back (clipped to [0,1]).
void srgb_to_lab(const float* r, const float* g, const float* b, float* L, float* a, float* bb,
                 std::size_t n);
void lab_to_srgb(const float* L, const float* a, const float* b, float* r, float* g, float* bb,
                 std::size_t n);

}  // namespace colorize::color
