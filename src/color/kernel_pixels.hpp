// The per-pixel work of the CUDA colour kernels (color/frame_kernels.cu), as plain functions that compile
// for the GPU and the CPU alike. The kernels only add the thread indexing around them; the tests run the
// same functions on the CPU over whole frames and hold them to the CPU reference (frame_lab.hpp), so a
// machine without a GPU checks all the arithmetic of the GPU path.
//
// They follow the reference step for step: the same chroma taps and siting, the same bilinear taps for
// a*b*, the same [1 2 1] / [1 3 3 1] chroma filter, the same matrices, Y'CbCr coefficients and transfer
// curves. Only 8-bit sRGB differs: the reference reads exact tables (decoding, and the rounding of
// encoding), these compute the curve (a table read per pixel would cost the GPU more than arithmetic).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "color/frame_view.hpp"
#include "color/lab.hpp"
#include "color/yuv.hpp"

namespace colorize::color::kernels {

// The colour matrices, copied from the reference's tables into the kernel parameters.
struct Matrices {
  float luminance[3];        // Y of linear R, G, B, relative to the white (Y of white = 1)
  float rgb_from_xyz[3][3];  // XYZ (white-scaled back) -> linear RGB
};
Matrices matrices();  // from detail::tables(); host only

// Bilinear tap with weight 1 - frac on i0 and frac on i1.
struct Tap {
  int i0, i1;
  float frac;
};

// 4:2:0 chroma sample positions on the luma grid (frame_io.cpp's chroma_offset_x / _y).
COLORIZE_HD inline float chroma_offset_x(ChromaSiting s) { return s == ChromaSiting::Center ? 0.5f : 0.0f; }
COLORIZE_HD inline float chroma_offset_y(ChromaSiting s) { return s == ChromaSiting::TopLeft ? 0.0f : 0.5f; }

// The chroma sample pair around luma position `luma`, clamped to [0, n) (frame_io.cpp's upsample_tap).
COLORIZE_HD inline Tap chroma_tap(int luma, float offset, int n) {
  const float u = (static_cast<float>(luma) - offset) * 0.5f;
  const float fl = floorf(u);
  const int i = static_cast<int>(fl);
  const auto clamp = [n](int v) { return v < 0 ? 0 : (v > n - 1 ? n - 1 : v); };
  return {clamp(i), clamp(i + 1), u - fl};
}

// Output sample i of n from an input of m samples, half-pixel centres (frame_lab.cpp's linear_taps,
// torch's upsample_bilinear2d with align_corners=false), in double as there.
COLORIZE_HD inline Tap linear_tap(int i, int n, int m) {
  const double scale = static_cast<double>(m) / n;
  const double s = (i + 0.5) * scale - 0.5;
  const double src = s > 0.0 ? s : 0.0;
  const int i0 = static_cast<int>(src) < m - 1 ? static_cast<int>(src) : m - 1;
  return {i0, i0 + 1 < m - 1 ? i0 + 1 : m - 1, static_cast<float>(src - i0)};
}

// A frame whose planes may live in GPU memory: FrameView's fields, readable from device code.
struct Pixels {
  PixelFormat format;
  int width, height;
  const std::uint8_t* data[3];
  std::ptrdiff_t stride[3];
  YuvEncoding yuv;
};
struct MutablePixels {
  PixelFormat format;
  int width, height;
  std::uint8_t* data[3];
  std::ptrdiff_t stride[3];
  YuvEncoding yuv;
};
Pixels pixels_of(const FrameView& v);
MutablePixels pixels_of(const MutableFrameView& v);

// Linear-light R, G, B of pixel (x, y) (frame_io.cpp's decode_row_linear, one pixel).
COLORIZE_HD inline Rgb decode_linear(const Pixels& f, int x, int y) {
  const std::uint8_t* row = f.data[0] + y * f.stride[0];
  if (f.format == PixelFormat::Gray8) {
    const float v = srgb_to_linear(static_cast<float>(row[x]) * (1.0f / 255.0f));
    return {v, v, v};
  }
  const PackedLayout layout = packed_layout(f.format);
  if (layout.bytes_per_pixel != 0) {
    const std::uint8_t* px = row + x * layout.bytes_per_pixel;
    return {srgb_to_linear(px[layout.red] * (1.0f / 255.0f)),
            srgb_to_linear(px[layout.green] * (1.0f / 255.0f)),
            srgb_to_linear(px[layout.blue] * (1.0f / 255.0f))};
  }
  // 4:2:0: the two chroma rows around y blended first, then the two columns around x, as the reference.
  const int cw = chroma_extent(f.width), ch = chroma_extent(f.height);
  const Tap vt = chroma_tap(y, chroma_offset_y(f.yuv.siting), ch);
  const Tap ht = chroma_tap(x, chroma_offset_x(f.yuv.siting), cw);
  const bool nv12 = f.format == PixelFormat::Nv12;
  const auto sample = [&](int plane, int r, int c) -> float {
    return nv12 ? f.data[1][r * f.stride[1] + 2 * c + (plane - 1)] : f.data[plane][r * f.stride[plane] + c];
  };
  const auto column = [&](int plane, int c) {
    const float top = sample(plane, vt.i0, c), bottom = sample(plane, vt.i1, c);
    return top + vt.frac * (bottom - top);
  };
  const float b0 = column(1, ht.i0), b1 = column(1, ht.i1);
  const float r0 = column(2, ht.i0), r1 = column(2, ht.i1);
  const Rgb c =
      yuv_to_rgb(row[x], b0 + ht.frac * (b1 - b0), r0 + ht.frac * (r1 - r0), yuv_coefficients(f.yuv));
  return {srgb_to_linear(c.r), srgb_to_linear(c.g), srgb_to_linear(c.b)};
}

COLORIZE_HD inline float lightness_at(const Pixels& f, const Matrices& m, int x, int y) {
  const Rgb c = decode_linear(f, x, y);
  return lightness_from_luminance(luminance_from_linear(m.luminance, c.r, c.g, c.b));
}

// What the network-input pass writes: full-resolution L* and L* resized to the network's input size,
// net_width x net_height (the engine normalises it for the model), both float, rows `stride` elements
// apart.
struct InputTarget {
  float* L;
  std::ptrdiff_t L_stride;
  float* net;
  std::ptrdiff_t net_stride;
  int net_width, net_height;
};

// Shrinking (net size <= frame size on both axes): network pixel (ox, oy) is the mean of its adaptive
// average-pooling window (torch's adaptive_avg_pool2d: rows floor(oy H / h) to ceil((oy + 1) H / h)).
// The windows may share an edge row or column; each full-resolution pixel is written by the one window
// whose first row and column it lies in or after and before the next window's, so one pass computes L*
// for the whole frame and the network input together.
COLORIZE_HD inline void area_input_pixel(const Pixels& f, const Matrices& m, const InputTarget& t, int ox,
                                         int oy) {
  const int W = f.width, H = f.height, w = t.net_width, h = t.net_height;
  const int y0 = oy * H / h, y1 = ((oy + 1) * H + h - 1) / h, y_next = oy + 1 < h ? (oy + 1) * H / h : H;
  const int x0 = ox * W / w, x1 = ((ox + 1) * W + w - 1) / w, x_next = ox + 1 < w ? (ox + 1) * W / w : W;
  float sum = 0.0f;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const float L = lightness_at(f, m, x, y);
      if (y < y_next && x < x_next) t.L[y * t.L_stride + x] = L;
      sum += L;
    }
  const float mean = sum / static_cast<float>((y1 - y0) * (x1 - x0));
  t.net[oy * t.net_stride + ox] = mean;
}

// Enlarging on either axis: network pixel (ox, oy) interpolated bilinearly from the full-resolution L*
// written before (torch's upsample_bilinear2d, align_corners=false).
COLORIZE_HD inline void bilinear_input_pixel(const float* L, std::ptrdiff_t L_stride, int W, int H,
                                             const InputTarget& t, int ox, int oy) {
  const Tap tx = linear_tap(ox, t.net_width, W), ty = linear_tap(oy, t.net_height, H);
  const float* r0 = L + ty.i0 * L_stride;
  const float* r1 = L + ty.i1 * L_stride;
  const float top = r0[tx.i0] + tx.frac * (r0[tx.i1] - r0[tx.i0]);
  const float bottom = r1[tx.i0] + tx.frac * (r1[tx.i1] - r1[tx.i0]);
  t.net[oy * t.net_stride + ox] = top + ty.frac * (bottom - top);
}

// What the compose pass reads: full-resolution L* and the network's a*, b* (smaller, upsampled here).
struct ComposeSource {
  const float* L;
  std::ptrdiff_t L_stride;
  const float* a;
  const float* b;
  std::ptrdiff_t ab_stride;
  int ab_width, ab_height;
};

// Linear-light R, G, B (clipped to [0, 1]) of output pixel (x, y): a*, b* upsampled along x on the two
// source rows around y, blended between them, then L*a*b* -> RGB, as frame_lab.cpp's lab_to_frame.
COLORIZE_HD inline Rgb compose_linear(const ComposeSource& s, const Matrices& m, int W, int H, int x, int y) {
  const Tap tx = linear_tap(x, W, s.ab_width), ty = linear_tap(y, H, s.ab_height);
  const auto along_x = [&](const float* plane, int row) {
    const float* r = plane + row * s.ab_stride;
    return r[tx.i0] + tx.frac * (r[tx.i1] - r[tx.i0]);
  };
  const float a0 = along_x(s.a, ty.i0), a1 = along_x(s.a, ty.i1);
  const float b0 = along_x(s.b, ty.i0), b1 = along_x(s.b, ty.i1);
  const Rgb c = lab_to_linear(
      m.rgb_from_xyz, Lab{s.L[y * s.L_stride + x], a0 + ty.frac * (a1 - a0), b0 + ty.frac * (b1 - b0)});
  return {clip_unit(c.r), clip_unit(c.g), clip_unit(c.b)};
}

// Writes pixel (x, y) of a GRAY8 or packed RGB frame.
COLORIZE_HD inline void write_rgb_pixel(const MutablePixels& f, const Matrices& m, Rgb c, int x, int y) {
  std::uint8_t* row = f.data[0] + y * f.stride[0];
  if (f.format == PixelFormat::Gray8) {
    row[x] = linear_to_srgb8(luminance_from_linear(m.luminance, c.r, c.g, c.b));
    return;
  }
  const PackedLayout layout = packed_layout(f.format);
  std::uint8_t* px = row + x * layout.bytes_per_pixel;
  px[layout.red] = linear_to_srgb8(c.r);
  px[layout.green] = linear_to_srgb8(c.g);
  px[layout.blue] = linear_to_srgb8(c.b);
  if (layout.alpha >= 0) px[layout.alpha] = 255;
}

// Y'CbCr of a linear-light colour, unrounded: Y' becomes a code with to_code, Cb and Cr go through the
// chroma filter first.
COLORIZE_HD inline YuvFloat yuv_of(const MutablePixels& f, Rgb c) {
  return rgb_to_yuv(Rgb{linear_to_srgb(c.r), linear_to_srgb(c.g), linear_to_srgb(c.b)},
                    yuv_coefficients(f.yuv));
}

// The taps of chroma sample c (of a 4:2:0 frame n luma samples long): a tent two luma samples wide
// centred on the sample's siting, edges replicated (frame_io.cpp's Yuv420Band).
struct ChromaTaps {
  int index[4];
  float weight[4];
};
COLORIZE_HD inline ChromaTaps chroma_filter_taps(int c, float offset, int n) {
  ChromaTaps t;
  const float centre = 2.0f * static_cast<float>(c) + offset;
  const int first = static_cast<int>(floorf(centre)) - 1;
  for (int k = 0; k < 4; ++k) {
    const int i = first + k;
    const float wgt = 1.0f - fabsf(static_cast<float>(i) - centre) * 0.5f;
    t.weight[k] = (wgt > 0.0f ? wgt : 0.0f) * 0.5f;
    t.index[k] = i < 0 ? 0 : (i > n - 1 ? n - 1 : i);
  }
  return t;
}

// Writes chroma sample (cx, cy); chroma(x, y) gives the unrounded Cb, Cr of luma pixel (x, y), any x, y
// in the frame. The vertical filter runs first, then the horizontal, in the reference's order.
template <class Chroma>
COLORIZE_HD void write_chroma(const MutablePixels& f, int cx, int cy, const Chroma& chroma) {
  const ChromaTaps tx = chroma_filter_taps(cx, chroma_offset_x(f.yuv.siting), f.width);
  const ChromaTaps ty = chroma_filter_taps(cy, chroma_offset_y(f.yuv.siting), f.height);
  float sb = 0.0f, sr = 0.0f;
  for (int k = 0; k < 4; ++k) {
    float cb = 0.0f, cr = 0.0f;
    for (int j = 0; j < 4; ++j) {
      const YuvFloat v = chroma(tx.index[k], ty.index[j]);
      cb = j == 0 ? ty.weight[0] * v.cb : cb + ty.weight[j] * v.cb;
      cr = j == 0 ? ty.weight[0] * v.cr : cr + ty.weight[j] * v.cr;
    }
    sb += tx.weight[k] * cb;
    sr += tx.weight[k] * cr;
  }
  if (f.format == PixelFormat::Nv12) {
    std::uint8_t* uv = f.data[1] + cy * f.stride[1] + 2 * cx;
    uv[0] = to_code(sb);
    uv[1] = to_code(sr);
  } else {
    f.data[1][cy * f.stride[1] + cx] = to_code(sb);
    f.data[2][cy * f.stride[2] + cx] = to_code(sr);
  }
}

}  // namespace colorize::color::kernels
