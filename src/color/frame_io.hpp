// Internal to src/color: reading any frame format as rows of linear-light RGB, and writing rows of
// linear-light RGB into any frame format. Every whole-frame conversion is built from these two.
#pragma once

#include <vector>

#include "color/frame_view.hpp"
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
// rgb[0 .. 3*width); it is called once per row, from several threads at once.
template <class FillRow>
void encode_frame(const MutableFrameView& dst, FillRow&& fill_row);

// Rows of n linear-light RGB pixels in [0,1] (interleaved) to output codes, vectorised.
void encode_row_gray8(const float* rgb, int n, std::uint8_t* out);
void encode_row_srgb8(const float* rgb, int n, std::uint8_t* out);  // 3n codes: R, G, B per pixel
void encode_row_yuv(const float* rgb, int n, const YuvCoefficients& k, std::uint8_t* y, float* cb, float* cr);

// Scratch for 4:2:0 output: full-resolution Cb and Cr before they are filtered down.
std::vector<float>& chroma_scratch();
void downsample_chroma(const MutableFrameView& dst, const float* cb, const float* cr);

template <class FillRow>
void encode_frame(const MutableFrameView& dst, FillRow&& fill_row) {
  const int w = dst.width;
  const PixelFormat f = dst.format;
  const PackedLayout layout = packed_layout(f);
  const YuvCoefficients k = yuv_coefficients(dst.yuv);
  float* cb_full = nullptr;
  float* cr_full = nullptr;
  if (is_yuv420(f)) {
    auto& scratch = chroma_scratch();
    scratch.resize(2 * static_cast<std::size_t>(w) * dst.height);
    cb_full = scratch.data();
    cr_full = scratch.data() + static_cast<std::size_t>(w) * dst.height;
  }
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
      } else if (layout.bytes_per_pixel != 0) {
        encode_row_srgb8(rgb.data(), w, codes.data());
        for (int x = 0; x < w; ++x) {
          std::uint8_t* px = out + x * layout.bytes_per_pixel;
          px[layout.red] = codes[3 * static_cast<std::size_t>(x)];
          px[layout.green] = codes[3 * static_cast<std::size_t>(x) + 1];
          px[layout.blue] = codes[3 * static_cast<std::size_t>(x) + 2];
          if (layout.alpha >= 0) px[layout.alpha] = 255;
        }
      } else {
        encode_row_yuv(rgb.data(), w, k, out, cb_full + static_cast<std::size_t>(y) * w,
                       cr_full + static_cast<std::size_t>(y) * w);
      }
    }
  }
  if (is_yuv420(f)) downsample_chroma(dst, cb_full, cr_full);
}

}  // namespace colorize::color::detail
