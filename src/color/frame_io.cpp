#include "color/frame_io.hpp"

#include "color/kernel_pixels.hpp"

#include "color/target_clones.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace colorize::color {

void validate(const FrameView& view, const char* what, Memory where) {
  const auto fail = [&](const std::string& why) {
    throw std::invalid_argument(std::string(what) + " (" + std::string(to_string(view.format)) + " " +
                                std::to_string(view.width) + "x" + std::to_string(view.height) + "): " + why);
  };
  if (view.memory != where)
    fail(where == Memory::Host ? "its planes are in CUDA memory; this code reads host memory"
                               : "its planes are in host memory; the CUDA kernels read device memory");
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

// The two chroma rows a 4:2:0 luma row interpolates from, Cb and Cr each (NV12 interleaves them:
// step 2), and the vertical weight of the second.
struct ChromaRows {
  const std::uint8_t *cb_top, *cb_bottom, *cr_top, *cr_bottom;
  int step;
  float frac;
};

// Chroma at full width from the vertically blended row: luma column x = 2 j + parity takes chroma
// columns j + shift and the next one. Each parity's interior (both columns inside the row) runs as a
// plain loop, which vectorises; the clamped edges take the general taps. Same arithmetic either way.
COLORIZE_INLINE void upsample_chroma_row(const float* __restrict half, int cw, const PeriodicTaps& taps,
                                         int w, float* __restrict full) {
  for (int parity = 0; parity < 2; ++parity) {
    const int shift = taps.shift[parity];
    const float frac = taps.frac[parity];
    const int count = (w - parity + 1) / 2;  // columns of this parity
    const auto clamped = [&](int j) {
      const int i = j + shift;
      const int i0 = std::clamp(i, 0, cw - 1), i1 = std::clamp(i + 1, 0, cw - 1);
      full[2 * j + parity] = half[i0] + frac * (half[i1] - half[i0]);
    };
    // Interior: 0 <= j + shift and j + shift + 1 <= cw - 1.
    const int begin = std::min(count, std::max(0, -shift));
    const int end = std::max(begin, std::min(count, cw - 1 - shift));
    for (int j = 0; j < begin; ++j) clamped(j);
    const float* __restrict h = half + shift;
    for (int j = begin; j < end; ++j) full[2 * j + parity] = h[j] + frac * (h[j + 1] - h[j]);
    for (int j = end; j < count; ++j) clamped(j);
  }
}

// One 4:2:0 row to interleaved linear RGB. scratch holds 2 (cw + w) floats.
COLORIZE_CLONES void yuv420_row_to_linear(const std::uint8_t* __restrict luma, const ChromaRows& rows,
                                          const PeriodicTaps& taps, int w, const YuvCoefficients& k,
                                          float* __restrict scratch, float* __restrict rgb) {
  const int cw = chroma_extent(w);
  float* cb_half = scratch;
  float* cr_half = cb_half + cw;
  float* cb = cr_half + cw;
  float* cr = cb + w;
  const int step = rows.step;
  const float vfrac = rows.frac;
  for (int c = 0; c < cw; ++c) {
    const float b_top = rows.cb_top[step * c], b_bottom = rows.cb_bottom[step * c];
    const float r_top = rows.cr_top[step * c], r_bottom = rows.cr_bottom[step * c];
    cb_half[c] = b_top + vfrac * (b_bottom - b_top);
    cr_half[c] = r_top + vfrac * (r_bottom - r_top);
  }
  upsample_chroma_row(cb_half, cw, taps, w, cb);
  upsample_chroma_row(cr_half, cw, taps, w, cr);
  for (int x = 0; x < w; ++x) {
    const Rgb c = yuv_to_rgb(luma[x], cb[x], cr[x], k);
    rgb[3 * x] = srgb_to_linear(c.r);
    rgb[3 * x + 1] = srgb_to_linear(c.g);
    rgb[3 * x + 2] = srgb_to_linear(c.b);
  }
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
  // 4:2:0: the two chroma rows around y blended, then along the row, then the colour conversion.
  const kernels::Tap vt = kernels::chroma_tap(y, chroma_offset_y(src.yuv.siting), chroma_extent(src.height));
  const bool nv12 = src.format == PixelFormat::Nv12;
  const ChromaRows rows{src.row(1, vt.i0),
                        src.row(1, vt.i1),
                        nv12 ? src.row(1, vt.i0) + 1 : src.row(2, vt.i0),
                        nv12 ? src.row(1, vt.i1) + 1 : src.row(2, vt.i1),
                        nv12 ? 2 : 1,
                        vt.frac};
  thread_local std::vector<float> scratch;
  scratch.resize(2 * static_cast<std::size_t>(chroma_extent(w) + w));
  yuv420_row_to_linear(in, rows, PeriodicTaps(chroma_offset_x(src.yuv.siting)), w, yuv_coefficients(src.yuv),
                       scratch.data(), rgb);
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

namespace {

// Chroma rows [begin, end) of band `band` of `bands`: an even split.
std::pair<int, int> band_rows(int rows, int band, int bands) {
  const auto edge = [&](int i) { return static_cast<int>(static_cast<long>(rows) * i / bands); };
  return {edge(band), edge(band + 1)};
}

constexpr int kRing = 4;  // the chroma filter reads at most four consecutive luma rows

// The chroma columns whose four horizontal taps lie inside the row: taps clamped at an edge repeat an
// index, unclamped ones are four consecutive columns starting at 2 cx + a constant, with the same weights
// for every such cx. Only a column or two at each edge is clamped.
Span interior_taps(const std::vector<kernels::ChromaTaps>& taps) {
  const auto inside = [&](std::size_t cx) {
    const int* i = taps[cx].index;
    return i[1] == i[0] + 1 && i[2] == i[0] + 2 && i[3] == i[0] + 3;
  };
  const int n = static_cast<int>(taps.size());
  int begin = 0;
  while (begin < n && !inside(static_cast<std::size_t>(begin))) ++begin;
  int end = begin;
  while (end < n && inside(static_cast<std::size_t>(end))) ++end;
  return {begin, end};
}

// One chroma plane's row: the vertical filter over its four full-resolution rows, then the horizontal
// one, to codes. The interior samples run a loop with the shared weights, which vectorises; the edges
// take their clamped taps. The same sums in the same order either way: the same bits.
COLORIZE_CLONES void filter_chroma_plane_row(const float* const* rows, const float* wy, int w,
                                             const kernels::ChromaTaps* x_taps, int cw, Span interior,
                                             float* __restrict column, std::uint8_t* __restrict out) {
  const float* __restrict r0 = rows[0];
  const float* __restrict r1 = rows[1];
  const float* __restrict r2 = rows[2];
  const float* __restrict r3 = rows[3];
  const float w0 = wy[0], w1 = wy[1], w2 = wy[2], w3 = wy[3];
  for (int x = 0; x < w; ++x) column[x] = w0 * r0[x] + w1 * r1[x] + w2 * r2[x] + w3 * r3[x];
  const auto clamped = [&](int cx) {
    float sum = 0.0f;
    for (int t = 0; t < kRing; ++t) sum += x_taps[cx].weight[t] * column[x_taps[cx].index[t]];
    out[cx] = to_code(sum);
  };
  for (int cx = 0; cx < interior.begin; ++cx) clamped(cx);
  if (interior.begin < interior.end) {
    const float* k = x_taps[interior.begin].weight;
    const float k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3];
    const float* __restrict base = column + (x_taps[interior.begin].index[0] - 2 * interior.begin);
    for (int cx = interior.begin; cx < interior.end; ++cx) {
      const float* p = base + 2 * cx;
      float sum = 0.0f;
      sum += k0 * p[0];
      sum += k1 * p[1];
      sum += k2 * p[2];
      sum += k3 * p[3];
      out[cx] = to_code(sum);
    }
  }
  for (int cx = interior.end; cx < cw; ++cx) clamped(cx);
}

}  // namespace
Yuv420Band::Yuv420Band(const MutableFrameView& dst, int band, int bands)
    : dst_(dst),
      k_(yuv_coefficients(dst.yuv)),
      offset_y_(chroma_offset_y(dst.yuv.siting)),
      x_taps_(static_cast<std::size_t>(chroma_extent(dst.width))),
      rgb_(3 * static_cast<std::size_t>(dst.width)),
      column_(static_cast<std::size_t>(dst.width)),
      codes_(2 * static_cast<std::size_t>(chroma_extent(dst.width))),
      ring_(2 * kRing * static_cast<std::size_t>(dst.width)),
      unowned_luma_(static_cast<std::size_t>(dst.width)) {
  // The horizontal taps are the same for every row: computed once.
  const float ox = chroma_offset_x(dst.yuv.siting);
  for (std::size_t cx = 0; cx < x_taps_.size(); ++cx)
    x_taps_[cx] = kernels::chroma_filter_taps(static_cast<int>(cx), ox, dst.width);
  interior_ = interior_taps(x_taps_);
  const int h = dst.height;
  std::tie(chroma_next_, chroma_end_) = band_rows(chroma_extent(h), band, bands);
  owned_begin_ = std::min(2 * chroma_next_, h);
  owned_end_ = std::min(2 * chroma_end_, h);
  next_ = 0;
  last_ = -1;
  if (chroma_next_ < chroma_end_) {
    // The taps are clamped to the frame and move down with the chroma row.
    next_ = std::min(owned_begin_, kernels::chroma_filter_taps(chroma_next_, offset_y_, h).index[0]);
    last_ =
        std::max(owned_end_ - 1, kernels::chroma_filter_taps(chroma_end_ - 1, offset_y_, h).index[kRing - 1]);
  }
}

void Yuv420Band::finish_row() {
  const int y = next_++;
  const std::size_t w = static_cast<std::size_t>(dst_.width);
  const std::size_t slot = static_cast<std::size_t>(y % kRing);
  std::uint8_t* luma = y >= owned_begin_ && y < owned_end_ ? dst_.row(0, y) : unowned_luma_.data();
  encode_row_yuv(rgb_.data(), dst_.width, k_, luma, ring_.data() + slot * w,
                 ring_.data() + (kRing + slot) * w);
  // Chroma rows whose last tap is this row are complete.
  while (chroma_next_ < chroma_end_) {
    const kernels::ChromaTaps y_taps = kernels::chroma_filter_taps(chroma_next_, offset_y_, dst_.height);
    if (y_taps.index[kRing - 1] > y) break;
    filter_chroma_row(chroma_next_++, y_taps);
  }
}

void Yuv420Band::filter_chroma_row(int cy, const kernels::ChromaTaps& y_taps) {
  const bool nv12 = dst_.format == PixelFormat::Nv12;
  const int cw = static_cast<int>(x_taps_.size());
  for (int plane = 0; plane < 2; ++plane) {  // Cb, then Cr
    const float* rows[kRing];
    for (int t = 0; t < kRing; ++t)
      rows[t] = ring_.data() + static_cast<std::size_t>(plane * kRing + y_taps.index[t] % kRing) *
                                   static_cast<std::size_t>(dst_.width);
    std::uint8_t* out = nv12 ? codes_.data() + static_cast<std::size_t>(plane * cw) : dst_.row(1 + plane, cy);
    filter_chroma_plane_row(rows, y_taps.weight, dst_.width, x_taps_.data(), cw, interior_, column_.data(),
                            out);
  }
  if (nv12) {
    std::uint8_t* uv = dst_.row(1, cy);
    for (int cx = 0; cx < cw; ++cx) {
      uv[2 * cx] = codes_[static_cast<std::size_t>(cx)];
      uv[2 * cx + 1] = codes_[static_cast<std::size_t>(cw + cx)];
    }
  }
}

}  // namespace detail
}  // namespace colorize::color
