// x^p for the transfer curves and Lab's cube root, from a polynomial log2 and exp2 in plain float
// arithmetic. A call to std::pow or a table read per sample keeps a row loop scalar; this compiles to
// vector instructions inside the row loops (GCC vectorises the integer/float reinterpretations, the
// polynomials and the division), computes the same bits on every target, and runs unchanged on the GPU.
// Relative error below 1e-6 over the curves' ranges (tests/color/power_test.cpp).
#pragma once

#include <cstdint>
#include <cstring>

#include "color/attributes.hpp"

namespace colorize::color {
namespace detail {

COLORIZE_HD COLORIZE_INLINE std::int32_t bits_of(float v) {
#if defined(__CUDA_ARCH__)
  return __float_as_int(v);
#else
  std::int32_t i;
  std::memcpy(&i, &v, sizeof i);
  return i;
#endif
}

COLORIZE_HD COLORIZE_INLINE float float_of(std::int32_t i) {
#if defined(__CUDA_ARCH__)
  return __int_as_float(i);
#else
  float v;
  std::memcpy(&v, &i, sizeof v);
  return v;
#endif
}

}  // namespace detail

// log2 of a positive, normal, finite x (others give finite nonsense, never undefined behaviour).
COLORIZE_HD COLORIZE_INLINE float log2_positive(float x) {
  // x = 2^e * m with m in [sqrt(1/2), sqrt(2)): subtracting the bits of sqrt(1/2) makes the exponent
  // field of the difference e, and taking e back out of x's bits leaves m.
  constexpr std::int32_t kBitsOfSqrtHalf = 0x3f3504f3;
  const std::int32_t e = (detail::bits_of(x) - kBitsOfSqrtHalf) >> 23;  // arithmetic shift: floor
  const float m = detail::float_of(detail::bits_of(x) - e * (1 << 23));
  // ln m = 2 atanh s = 2 (s + s^3/3 + s^5/5 + ...), s = (m - 1) / (m + 1); |s| < 0.172, so the terms
  // after s^9 are below 1e-9.
  const float s = (m - 1.0f) / (m + 1.0f);
  const float s2 = s * s;
  const float series =
      1.0f + s2 * (1.0f / 3.0f + s2 * (1.0f / 5.0f + s2 * (1.0f / 7.0f + s2 * (1.0f / 9.0f))));
  constexpr float kTwoOverLn2 = static_cast<float>(2.0 / 0.69314718055994530942);
  return static_cast<float>(e) + s * series * kTwoOverLn2;
}

// 2^y, with y clamped to [-126, 126] (the normal floats) and NaN taken as -126.
COLORIZE_HD COLORIZE_INLINE float exp2_clamped(float y) {
  const float yc = y > -126.0f ? (y < 126.0f ? y : 126.0f) : -126.0f;
  const int n = static_cast<int>(yc + 127.5f) - 127;  // nearest integer; the sum is positive
  const float f = yc - static_cast<float>(n);         // in [-0.5, 0.5]
  // 2^f = e^(f ln 2), Taylor to degree 7: |f ln 2| <= 0.347, so the remainder is below 5e-9.
  constexpr double kLn2 = 0.69314718055994530942;
  constexpr float c1 = static_cast<float>(kLn2), c2 = static_cast<float>(kLn2 * kLn2 / 2),
                  c3 = static_cast<float>(kLn2 * kLn2 * kLn2 / 6),
                  c4 = static_cast<float>(kLn2 * kLn2 * kLn2 * kLn2 / 24),
                  c5 = static_cast<float>(kLn2 * kLn2 * kLn2 * kLn2 * kLn2 / 120),
                  c6 = static_cast<float>(kLn2 * kLn2 * kLn2 * kLn2 * kLn2 * kLn2 / 720),
                  c7 = static_cast<float>(kLn2 * kLn2 * kLn2 * kLn2 * kLn2 * kLn2 * kLn2 / 5040);
  const float p = 1.0f + f * (c1 + f * (c2 + f * (c3 + f * (c4 + f * (c5 + f * (c6 + f * c7))))));
  return p * detail::float_of((n + 127) * (1 << 23));  // n + 127 in [1, 253]: a normal power of two
}

// x^p for positive, normal, finite x; callers select their own value for x outside that.
COLORIZE_HD COLORIZE_INLINE float power(float x, float p) { return exp2_clamped(p * log2_positive(x)); }

}  // namespace colorize::color
