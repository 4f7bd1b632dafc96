// Y'CbCr <-> R'G'B' (gamma-encoded, [0,1]) for BT.601 and BT.709, limited and full range.
#pragma once

#include <algorithm>
#include <cstdint>

#include "color/frame_view.hpp"
#include "color/lab.hpp"

namespace colorize::color {

struct YuvCoefficients {
  float kr, kb;             // luma weights of R and B (G's is 1 - kr - kb)
  float y_offset, y_scale;  // code = offset + scale * E'Y
  float c_scale;            // code = 128 + scale * E'Pb (or E'Pr)
  // Derived once, so the per-pixel conversions multiply instead of dividing.
  float inv_y_scale, inv_c_scale;
  float r_from_pr, b_from_pb, inv_kg;  // 2(1 - kr), 2(1 - kb), 1 / (1 - kr - kb)
  float pb_from_diff, pr_from_diff;    // 1 / (2(1 - kb)), 1 / (2(1 - kr))
};

constexpr YuvCoefficients yuv_coefficients(const YuvEncoding& e) {
  const bool bt709 = e.matrix == YuvMatrix::Bt709;
  const bool full = e.range == YuvRange::Full;
  const double kr = bt709 ? 0.2126 : 0.299, kb = bt709 ? 0.0722 : 0.114;
  const double y_scale = full ? 255.0 : 219.0, c_scale = full ? 255.0 : 224.0;
  const auto f = [](double v) { return static_cast<float>(v); };
  return {f(kr),
          f(kb),
          full ? 0.0f : 16.0f,
          f(y_scale),
          f(c_scale),
          f(1.0 / y_scale),
          f(1.0 / c_scale),
          f(2.0 * (1.0 - kr)),
          f(2.0 * (1.0 - kb)),
          f(1.0 / (1.0 - kr - kb)),
          f(1.0 / (2.0 * (1.0 - kb))),
          f(1.0 / (2.0 * (1.0 - kr)))};
}

// Code values (float, unrounded) to R'G'B' in [0,1], clipped (video may carry super-whites).
COLORIZE_HD inline Rgb yuv_to_rgb(float y, float cb, float cr, const YuvCoefficients& k) {
  const float ey = (y - k.y_offset) * k.inv_y_scale;
  const float pb = (cb - 128.0f) * k.inv_c_scale;
  const float pr = (cr - 128.0f) * k.inv_c_scale;
  const float r = ey + k.r_from_pr * pr;
  const float b = ey + k.b_from_pb * pb;
  const float g = (ey - k.kr * r - k.kb * b) * k.inv_kg;
  return {clip_unit(r), clip_unit(g), clip_unit(b)};
}

struct YuvFloat {
  float y, cb, cr;
};

// R'G'B' in [0,1] to code values, unrounded.
COLORIZE_HD COLORIZE_INLINE YuvFloat rgb_to_yuv(Rgb c, const YuvCoefficients& k) {
  const float ey = k.kr * c.r + (1.0f - k.kr - k.kb) * c.g + k.kb * c.b;
  const float pb = (c.b - ey) * k.pb_from_diff;
  const float pr = (c.r - ey) * k.pr_from_diff;
  return {k.y_offset + k.y_scale * ey, 128.0f + k.c_scale * pb, 128.0f + k.c_scale * pr};
}

// Rounded and clipped to a code; selects, not std::clamp's references, so that row loops vectorise.
COLORIZE_HD COLORIZE_INLINE std::uint8_t to_code(float v) {
  const float r = v + 0.5f;
  return static_cast<std::uint8_t>(r > 0.0f ? (r < 255.0f ? r : 255.0f) : 0.0f);
}

}  // namespace colorize::color
