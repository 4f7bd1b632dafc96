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
};

constexpr YuvCoefficients yuv_coefficients(const YuvEncoding& e) {
  const bool bt709 = e.matrix == YuvMatrix::Bt709;
  const bool full = e.range == YuvRange::Full;
  return {bt709 ? 0.2126f : 0.299f, bt709 ? 0.0722f : 0.114f, full ? 0.0f : 16.0f, full ? 255.0f : 219.0f,
          full ? 255.0f : 224.0f};
}

// Code values (float, unrounded) to R'G'B' in [0,1], clipped (video may carry super-whites).
inline Rgb yuv_to_rgb(float y, float cb, float cr, const YuvCoefficients& k) {
  const float ey = (y - k.y_offset) / k.y_scale;
  const float pb = (cb - 128.0f) / k.c_scale;
  const float pr = (cr - 128.0f) / k.c_scale;
  const float r = ey + 2.0f * (1.0f - k.kr) * pr;
  const float b = ey + 2.0f * (1.0f - k.kb) * pb;
  const float g = (ey - k.kr * r - k.kb * b) / (1.0f - k.kr - k.kb);
  return {std::clamp(r, 0.0f, 1.0f), std::clamp(g, 0.0f, 1.0f), std::clamp(b, 0.0f, 1.0f)};
}

struct YuvFloat {
  float y, cb, cr;
};

// R'G'B' in [0,1] to code values, unrounded.
inline YuvFloat rgb_to_yuv(Rgb c, const YuvCoefficients& k) {
  const float ey = k.kr * c.r + (1.0f - k.kr - k.kb) * c.g + k.kb * c.b;
  const float pb = (c.b - ey) / (2.0f * (1.0f - k.kb));
  const float pr = (c.r - ey) / (2.0f * (1.0f - k.kr));
  return {k.y_offset + k.y_scale * ey, 128.0f + k.c_scale * pb, 128.0f + k.c_scale * pr};
}

inline std::uint8_t to_code(float v) { return static_cast<std::uint8_t>(std::clamp(v + 0.5f, 0.0f, 255.0f)); }

}  // namespace colorize::color
