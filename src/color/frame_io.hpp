// Internal to src/color: reading any frame format as rows of linear-light RGB, and writing rows of
// linear-light RGB into any frame format. Every whole-frame conversion is built from these two.
#pragma once

#include <omp.h>

#include <vector>

#include "color/frame_view.hpp"
#include "color/kernel_pixels.hpp"
#include "color/lab.hpp"
#include "color/yuv.hpp"

namespace colorize::color::detail {

// Fills rgb[0 .. 3*width) with the linear-light R, G, B of row y (4:2:0 chroma interpolated
// bilinearly at its siting).
void decode_row_linear(const FrameView& src, int y, float* rgb);

// True when every chroma sample that row y of a 4:2:0 frame interpolates from is 128 (neutral): the
// row is gray, and its L* depends on Y' alone. A black-and-white film decoded to 4:2:0 is all such rows.
bool chroma_rows_neutral(const FrameView& src, int y);

// Frames smaller than this are converted on the calling thread alone: waking a team costs more.
inline constexpr long kParallelPixels = 1 << 14;
inline bool worth_parallel(int width, int height) {
  return static_cast<long>(width) * height >= kParallelPixels;
}

// Writes the frame row by row. fill_row(y, rgb) must put the linear-light RGB of row y, in [0,1], into
// rgb[0 .. 3*width); it is called from several threads at once, each thread with consecutive rows in
// increasing order.
template <class FillRow>
void encode_frame(const MutableFrameView& dst, FillRow&& fill_row);

// Rows of n linear-light RGB pixels in [0,1] (interleaved) to output codes, vectorised.
void encode_row_gray8(const float* rgb, int n, std::uint8_t* out);
void encode_row_srgb8(const float* rgb, int n, std::uint8_t* out);  // 3n codes: R, G, B per pixel
void encode_row_yuv(const float* rgb, int n, const YuvCoefficients& k, std::uint8_t* y, float* cb, float* cr);

// One thread's share of a 4:2:0 frame: a band of chroma rows and the luma rows their filter reads. The
// luma rows are encoded in order; their full-resolution Cb and Cr stay in a ring of the last four rows,
// from which each chroma row is filtered ([1 2 1] / [1 3 3 1] at its siting, vertically then
// horizontally) as soon as its last row is in: full-size chroma never goes through memory. Rows on the
// band's edges are computed by both neighbours; each writes only the luma rows it owns.
struct Span {
  int begin, end;
};

class Yuv420Band {
 public:
  Yuv420Band(const MutableFrameView& dst, int band, int bands);
  // The next luma row to encode, or -1 when the band is done; its linear RGB goes into rgb().
  int next_row() const { return next_ <= last_ ? next_ : -1; }
  float* rgb() { return rgb_.data(); }
  // Encodes row next_row() from rgb() and filters the chroma rows it completes.
  void finish_row();

 private:
  void filter_chroma_row(int cy, const kernels::ChromaTaps& y_taps);

  MutableFrameView dst_;
  YuvCoefficients k_;
  float offset_y_;
  std::vector<kernels::ChromaTaps> x_taps_;
  Span interior_;                    // the chroma columns whose horizontal taps are not clamped
  int chroma_next_, chroma_end_;     // chroma rows [chroma_next_, chroma_end_) still to write
  int owned_begin_, owned_end_;      // the luma rows this band writes
  int next_, last_;                  // luma rows still to encode: [next_, last_]
  std::vector<float> rgb_, column_;  // a row's linear RGB; one plane's vertically filtered chroma
  std::vector<std::uint8_t> codes_;  // NV12: a row's Cb codes, then Cr, before they are interleaved
  std::vector<float> ring_;          // 4 rows of Cb, then 4 of Cr
  std::vector<std::uint8_t> unowned_luma_;
};

template <class FillRow>
void encode_frame(const MutableFrameView& dst, FillRow&& fill_row) {
  const int w = dst.width;
  const PixelFormat f = dst.format;
  if (is_yuv420(f)) {
#pragma omp parallel if (worth_parallel(w, dst.height))
    {
      Yuv420Band band(dst, omp_get_thread_num(), omp_get_num_threads());
      for (int y = band.next_row(); y >= 0; y = band.next_row()) {
        fill_row(y, band.rgb());
        band.finish_row();
      }
    }
    return;
  }
  const PackedLayout layout = packed_layout(f);
#pragma omp parallel if (worth_parallel(w, dst.height))
  {
    std::vector<float> rgb(3 * static_cast<std::size_t>(w));
    std::vector<std::uint8_t> codes(layout.bytes_per_pixel != 0 ? 3 * static_cast<std::size_t>(w) : 0);
#pragma omp for schedule(static)
    for (int y = 0; y < dst.height; ++y) {
      fill_row(y, rgb.data());
      std::uint8_t* out = dst.row(0, y);
      if (f == PixelFormat::Gray8) {
        encode_row_gray8(rgb.data(), w, out);
      } else {
        encode_row_srgb8(rgb.data(), w, codes.data());
        for (int x = 0; x < w; ++x) {
          std::uint8_t* px = out + x * layout.bytes_per_pixel;
          px[layout.red] = codes[3 * static_cast<std::size_t>(x)];
          px[layout.green] = codes[3 * static_cast<std::size_t>(x) + 1];
          px[layout.blue] = codes[3 * static_cast<std::size_t>(x) + 2];
          if (layout.alpha >= 0) px[layout.alpha] = 255;
        }
      }
    }
  }
}

}  // namespace colorize::color::detail
