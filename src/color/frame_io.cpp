#include "color/frame_io.hpp"

#include "color/kernel_pixels.hpp"

#include "color/target_clones.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace colorize::color {

void validate(const FrameView& view, const char* what) {
  const auto fail = [&](const std::string& why) {
    throw std::invalid_argument(std::string(what) + " (" + std::string(to_string(view.format)) + " " +
                                std::to_string(view.width) + "x" + std::to_string(view.height) + "): " + why);
  };
  if (view.width < 1 || view.height < 1) fail("size must be at least 1x1");
  for (int p = 0; p < plane_count(view.format); ++p) {
    if (view.data[p] == nullptr) fail("plane " + std::to_string(p) + " is null");
    const auto need = min_row_bytes(view.format, p, view.width);
    if (std::abs(view.stride[p]) < need)
      fail("stride of plane " + std::to_string(p) + " is " + std::to_string(view.stride[p]) +
           " bytes, a row needs " + std::to_string(need));
  }
}

namespace detail {
namespace {

// Chroma sample positions, taps and filter: kernels::chroma_offset_x / _y, chroma_tap and
// chroma_filter_taps (color/kernel_pixels.hpp), one definition for this reference and the GPU kernels.
using kernels::chroma_offset_x;
using kernels::chroma_offset_y;

// The horizontal taps repeat with period two: luma column x uses chroma column (x >> 1) + shift[x & 1].
struct PeriodicTaps {
  int shift[2];
  float frac[2];
  explicit PeriodicTaps(float offset) {
    for (int parity = 0; parity < 2; ++parity) {
      const float u = (static_cast<float>(parity) - offset) * 0.5f;
      const float fl = std::floor(u);
      shift[parity] = static_cast<int>(fl);
      frac[parity] = u - fl;
    }
  }
};

std::uint8_t chroma_at(const FrameView& src, int plane, int row, int x) {
  // plane 1 is Cb and plane 2 Cr; NV12 interleaves them in its plane 1.
  if (src.format == PixelFormat::Nv12) return src.row(1, row)[2 * x + (plane - 1)];
  return src.row(plane, row)[x];
}

}  // namespace

bool chroma_rows_neutral(const FrameView& src, int y) {
  const kernels::Tap vt = kernels::chroma_tap(y, chroma_offset_y(src.yuv.siting), chroma_extent(src.height));
  const int plane_bytes =
      src.format == PixelFormat::Nv12 ? 2 * chroma_extent(src.width) : chroma_extent(src.width);
  const auto neutral = [&](int plane, int row) {
    const std::uint8_t* p = src.row(plane, row);
    // A reduction the compiler vectorises: no early exit.
    unsigned differs = 0;
    for (int i = 0; i < plane_bytes; ++i) differs |= p[i] ^ 128u;
    return differs == 0;
  };
  for (int row : {vt.i0, vt.i1})
    if (!neutral(1, row) || (src.format != PixelFormat::Nv12 && !neutral(2, row))) return false;
  return true;
}

void decode_row_linear(const FrameView& src, int y, float* rgb) {
  const int w = src.width;
  const std::uint8_t* in = src.row(0, y);
  if (src.format == PixelFormat::Gray8) {
    for (int x = 0; x < w; ++x) rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = srgb8_to_linear(in[x]);
    return;
  }
  const PackedLayout layout = packed_layout(src.format);
  if (layout.bytes_per_pixel != 0) {
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* px = in + x * layout.bytes_per_pixel;
      rgb[3 * x] = srgb8_to_linear(px[layout.red]);
      rgb[3 * x + 1] = srgb8_to_linear(px[layout.green]);
      rgb[3 * x + 2] = srgb8_to_linear(px[layout.blue]);
    }
    return;
  }
  // 4:2:0: interpolate the two chroma rows around y, then along the row.
  const int cw = chroma_extent(w);
  const int ch = chroma_extent(src.height);
  const kernels::Tap vt = kernels::chroma_tap(y, chroma_offset_y(src.yuv.siting), ch);
  thread_local std::vector<float> chroma;
  chroma.resize(2 * static_cast<std::size_t>(cw));
  for (int c = 0; c < cw; ++c)
    for (int p = 1; p <= 2; ++p) {
      const float top = chroma_at(src, p, vt.i0, c);
      const float bottom = chroma_at(src, p, vt.i1, c);
      chroma[2 * c + (p - 1)] = top + vt.frac * (bottom - top);
    }
  const PeriodicTaps taps(chroma_offset_x(src.yuv.siting));
  const YuvCoefficients k = yuv_coefficients(src.yuv);
  for (int x = 0; x < w; ++x) {
    const int i = (x >> 1) + taps.shift[x & 1];
    const int i0 = std::clamp(i, 0, cw - 1);
    const int i1 = std::clamp(i + 1, 0, cw - 1);
    const float frac = taps.frac[x & 1];
    const float cb = chroma[2 * i0] + frac * (chroma[2 * i1] - chroma[2 * i0]);
    const float cr = chroma[2 * i0 + 1] + frac * (chroma[2 * i1 + 1] - chroma[2 * i0 + 1]);
    const Rgb c = yuv_to_rgb(in[x], cb, cr, k);
    rgb[3 * x] = c.r;
    rgb[3 * x + 1] = c.g;
    rgb[3 * x + 2] = c.b;
  }
  srgb_row_to_linear(rgb, 3 * w);  // the curve in a loop of its own, which vectorises
}

// The output codes go through int buffers of their own: a store through a byte pointer may alias
// anything, which would keep the table-reading loops from vectorising.
COLORIZE_CLONES void encode_row_gray8(const float* __restrict rgb, int n, std::uint8_t* __restrict out) {
  const auto& m = tables().xyz_from_rgb_white[1];
  const float w[3] = {m[0], m[1], m[2]};
  for (int x = 0; x < n; ++x)
    out[x] = linear_to_srgb8(luminance_from_linear(w, rgb[3 * x], rgb[3 * x + 1], rgb[3 * x + 2]));
}

COLORIZE_CLONES void encode_row_srgb8(const float* __restrict rgb, int n, std::uint8_t* __restrict out) {
  for (int i = 0; i < 3 * n; ++i) out[i] = linear_to_srgb8(rgb[i]);
}

COLORIZE_CLONES void encode_row_yuv(const float* __restrict rgb, int n, const YuvCoefficients& coefficients,
                                    std::uint8_t* __restrict y, float* __restrict cb, float* __restrict cr) {
  const YuvCoefficients k = coefficients;
  for (int x = 0; x < n; ++x) {
    const Rgb c{linear_to_srgb(rgb[3 * x]), linear_to_srgb(rgb[3 * x + 1]), linear_to_srgb(rgb[3 * x + 2])};
    const YuvFloat v = rgb_to_yuv(c, k);
    y[x] = to_code(v.y);
    cb[x] = v.cb;
    cr[x] = v.cr;
  }
}

std::vector<float>& chroma_scratch() {
  thread_local std::vector<float> scratch;
  return scratch;
}

void downsample_chroma(const MutableFrameView& dst, const float* cb, const float* cr) {
  // A tent filter two luma samples wide centred on each chroma sample's siting: [1 2 1]/4 for a
  // co-sited axis, [1 3 3 1]/8 for an axis sited between two luma samples. Edges replicate, so a flat
  // colour stays exactly flat.
  const int w = dst.width;
  const int h = dst.height;
  const int cw = chroma_extent(w);
  const int ch = chroma_extent(h);
  const float ox = chroma_offset_x(dst.yuv.siting);
  const float oy = chroma_offset_y(dst.yuv.siting);
  // The horizontal taps are the same for every row: computed once.
  std::vector<kernels::ChromaTaps> x_taps(static_cast<std::size_t>(cw));
  for (int cx = 0; cx < cw; ++cx)
    x_taps[static_cast<std::size_t>(cx)] = kernels::chroma_filter_taps(cx, ox, w);
#pragma omp parallel if (worth_parallel(w, h))
  {
    std::vector<float> column(2 * static_cast<std::size_t>(w));
#pragma omp for schedule(static)
    for (int cy = 0; cy < ch; ++cy) {
      const kernels::ChromaTaps y_taps = kernels::chroma_filter_taps(cy, oy, h);
      const float* wy = y_taps.weight;
      const float* b_rows[4];
      const float* r_rows[4];
      for (int t = 0; t < 4; ++t) {
        b_rows[t] = cb + static_cast<std::size_t>(y_taps.index[t]) * w;
        r_rows[t] = cr + static_cast<std::size_t>(y_taps.index[t]) * w;
      }
      for (int x = 0; x < w; ++x) {
        column[2 * x] =
            wy[0] * b_rows[0][x] + wy[1] * b_rows[1][x] + wy[2] * b_rows[2][x] + wy[3] * b_rows[3][x];
        column[2 * x + 1] =
            wy[0] * r_rows[0][x] + wy[1] * r_rows[1][x] + wy[2] * r_rows[2][x] + wy[3] * r_rows[3][x];
      }
      std::uint8_t* out_b = dst.row(1, cy);
      std::uint8_t* out_r = dst.format == PixelFormat::Nv12 ? out_b + 1 : dst.row(2, cy);
      const int step = dst.format == PixelFormat::Nv12 ? 2 : 1;
      for (int cx = 0; cx < cw; ++cx) {
        const int* c = x_taps[static_cast<std::size_t>(cx)].index;
        const float* k = x_taps[static_cast<std::size_t>(cx)].weight;
        float sb = 0.0f, sr = 0.0f;
        for (int t = 0; t < 4; ++t) {
          sb += k[t] * column[2 * c[t]];
          sr += k[t] * column[2 * c[t] + 1];
        }
        out_b[step * cx] = to_code(sb);
        out_r[step * cx] = to_code(sr);
      }
    }
  }
}

}  // namespace detail
}  // namespace colorize::color
