// sRGB (IEC 61966-2-1) <-> CIE XYZ (D65, 2 degree observer) <-> CIE L*a*b*, with scikit-image's
// constants (rgb2lab / lab2rgb), so that models trained in Python and here see the same numbers.
//
// The per-pixel functions are inline and table-driven: the sRGB transfer curve and the Lab cube root
// are read from finely sampled tables with linear interpolation (error below 2e-5 of full scale,
// checked against the closed forms in the tests), which is what makes whole-frame conversion fast.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

// The per-pixel helpers are forced inline: the row loops that call them only vectorise when they are.
#if defined(__GNUC__)
#define COLORIZE_INLINE inline __attribute__((always_inline))
#else
#define COLORIZE_INLINE inline
#endif
// The table-free helpers are also compiled for the GPU (color/frame_kernels.cu): one definition of the
// colour arithmetic for the CPU reference and the CUDA kernels.
#if defined(__CUDACC__)
#define COLORIZE_HD __host__ __device__
#else
#define COLORIZE_HD
#endif

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

// Tables sampled once per process; read-only afterwards, so safe from any thread.
struct Tables {
  static constexpr int kSteps = 8192;  // intervals over [0, 1] for the interpolated curves
  std::array<float, 256> srgb8_to_linear;
  std::array<float, kSteps + 1> srgb_to_linear;  // sRGB-encoded [0,1] -> linear
  std::array<float, kSteps + 1> linear_to_srgb;  // linear [0,1] -> sRGB-encoded
  std::array<float, kSteps + 1> lab_f;           // Lab's f(t) for t in [0,1]
  // Linear-light thresholds between consecutive 8-bit sRGB codes: code k is the output for linear
  // values in [threshold[k-1], threshold[k]). Lets 8-bit encoding round exactly without a pow().
  std::array<float, 255> srgb8_thresholds;
  float rgb_from_xyz[3][3];
  float xyz_from_rgb_white[3][3];  // kXyzFromRgb with each row divided by the white point
};
Tables make_tables();
// Inline, so the hot loops see a guarded static rather than an opaque call per pixel.
inline const Tables& tables() {
  static const Tables instance = make_tables();
  return instance;
}

COLORIZE_INLINE float interpolate(const float* table, float x) {
  const float pos = x * static_cast<float>(Tables::kSteps);
  const int i = std::min(static_cast<int>(pos), Tables::kSteps - 1);
  const float frac = pos - static_cast<float>(i);
  return table[i] + frac * (table[i + 1] - table[i]);
}

}  // namespace detail

// Exact closed forms (double), the reference the tables are checked against.
double srgb_to_linear_exact(double v);
double linear_to_srgb_exact(double v);
double lab_f_exact(double t);

// sRGB-encoded value in [0,1] to linear light; values outside [0,1] take the closed form.
inline float srgb_to_linear(float v) {
  if (v >= 0.0f && v <= 1.0f) return detail::interpolate(detail::tables().srgb_to_linear.data(), v);
  return static_cast<float>(srgb_to_linear_exact(v));
}
inline float srgb8_to_linear(std::uint8_t v) { return detail::tables().srgb8_to_linear[v]; }

// Linear light to sRGB-encoded, clipped to [0,1] (out-of-gamut colours are clipped, as lab2rgb does);
// NaN gives 0. Selects rather than branches, with the tables passed in, so that row loops vectorise.
COLORIZE_INLINE float linear_to_srgb(const detail::Tables& t, float v) {
  const float inside = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
  const float curve = detail::interpolate(t.linear_to_srgb.data(), inside);
  return v > 0.0f ? (v < 1.0f ? curve : 1.0f) : 0.0f;
}
inline float linear_to_srgb(float v) { return linear_to_srgb(detail::tables(), v); }

// Linear light to the nearest 8-bit sRGB code, clipped. The interpolated curve lands within 0.01 of
// a code; one comparison with the exact boundary on each side makes the rounding exact.
COLORIZE_INLINE int linear_to_srgb8(const detail::Tables& t, float v) {
  int code = static_cast<int>(linear_to_srgb(t, v) * 255.0f + 0.5f);
  const float up = t.srgb8_thresholds[static_cast<std::size_t>(code < 255 ? code : 254)];
  code = code < 255 && v >= up ? code + 1 : code;
  const float down = t.srgb8_thresholds[static_cast<std::size_t>(code > 0 ? code - 1 : 0)];
  return code > 0 && v < down ? code - 1 : code;
}
inline std::uint8_t linear_to_srgb8(float v) {
  return static_cast<std::uint8_t>(linear_to_srgb8(detail::tables(), v));
}

inline float lab_f(float t) {
  if (t >= 0.0f && t <= 1.0f) return detail::interpolate(detail::tables().lab_f.data(), t);
  return static_cast<float>(lab_f_exact(t));
}

COLORIZE_HD COLORIZE_INLINE float lab_f_inverse(float f) {
  return f > static_cast<float>(kInverseThreshold)
             ? f * f * f
             : (f - static_cast<float>(16.0 / 116.0)) * static_cast<float>(1.0 / kKappa);
}

// L* from relative luminance Y (Y of the white = 1).
inline float lightness_from_luminance(float y) { return 116.0f * lab_f(y) - 16.0f; }

inline float luminance_from_linear(float r, float g, float b) {
  const auto& m = detail::tables().xyz_from_rgb_white;
  return m[1][0] * r + m[1][1] * g + m[1][2] * b;
}

inline Lab linear_to_lab(float r, float g, float b) {
  const auto& m = detail::tables().xyz_from_rgb_white;
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
inline Rgb lab_to_linear(Lab lab) { return lab_to_linear(detail::tables().rgb_from_xyz, lab); }

COLORIZE_HD COLORIZE_INLINE float clip_unit(float v) {
  const float low = v < 0.0f ? 0.0f : v;
  return low > 1.0f ? 1.0f : low;
}

// A row of n pixels: L*, a*, b* to linear-light R, G, B clipped to [0, 1], interleaved in rgb[0 .. 3n).
// The same arithmetic as lab_to_linear, compiled for AVX2, SSE4.2 and baseline x86-64 and picked at run
// time; every variant gives the same bits (no contraction, no reassociation).
void lab_row_to_linear(const float* L, const float* a, const float* b, int n, float* rgb);

inline Lab srgb_to_lab(Rgb c) {
  return linear_to_lab(srgb_to_linear(c.r), srgb_to_linear(c.g), srgb_to_linear(c.b));
}
inline Rgb lab_to_srgb(Lab lab) {
  const Rgb lin = lab_to_linear(lab);
  return {linear_to_srgb(lin.r), linear_to_srgb(lin.g), linear_to_srgb(lin.b)};
}

// Whole planes of n pixels: sRGB in [0,1] to L*a*b*, and back (clipped to [0,1]).
void srgb_to_lab(const float* r, const float* g, const float* b, float* L, float* a, float* bb,
                 std::size_t n);
void lab_to_srgb(const float* L, const float* a, const float* b, float* r, float* g, float* bb,
                 std::size_t n);

}  // namespace colorize::color
