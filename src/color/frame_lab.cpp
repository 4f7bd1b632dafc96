#include "color/frame_lab.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "color/frame_io.hpp"
#include "color/kernel_pixels.hpp"
#include "color/yuv.hpp"

namespace colorize::color {

void validate(const ConstPlane& p, int width, int height, const char* name) {
  if (p.data == nullptr || p.width != width || p.height != height || p.stride < width)
    throw std::invalid_argument(std::string("plane ") + name + " (" + std::to_string(p.width) + "x" +
                                std::to_string(p.height) + ", stride " + std::to_string(p.stride) +
                                ") does not match the " + std::to_string(width) + "x" +
                                std::to_string(height) + " frame");
}

void validate_lab(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b, int width, int height) {
  validate(L, width, height, "L");
  if (a.width < 1 || a.height < 1)
    throw std::invalid_argument("plane a is " + std::to_string(a.width) + "x" + std::to_string(a.height) +
                                ": a* and b* need at least one sample");
  validate(a, a.width, a.height, "a");
  validate(b, a.width, a.height, "b");
}

namespace {

// Runs row_fn(y, rgb) for every row with rgb holding that row's linear-light RGB.
template <class RowFn>
void for_each_linear_row(const FrameView& src, RowFn&& row_fn) {
#pragma omp parallel if (detail::worth_parallel(src.width, src.height))
  {
    std::vector<float> rgb(3 * static_cast<std::size_t>(src.width));
#pragma omp for schedule(static)
    for (int y = 0; y < src.height; ++y) {
      detail::decode_row_linear(src, y, rgb.data());
      row_fn(y, rgb.data());
    }
  }
}

}  // namespace

void frame_to_lightness(const FrameView& src, const Plane& L) {
  validate(src, "input frame");
  validate(L, src.width, src.height, "L");
  const int w = src.width;
  const bool gray8 = src.format == PixelFormat::Gray8, yuv420 = is_yuv420(src.format);
  // A gray pixel's L* depends on its 8-bit code alone: 256 table entries beat a colour conversion per
  // pixel. The entries come from the very functions the general path calls, so results are identical.
  // GRAY8 rows are always gray; a 4:2:0 row is when the chroma it reads is neutral.
  float table[256];
  if (gray8 || yuv420) {
    const YuvCoefficients k = yuv_coefficients(src.yuv);
    for (int v = 0; v < 256; ++v) {
      if (gray8) {
        table[v] = lightness_from_luminance(srgb8_to_linear(static_cast<std::uint8_t>(v)));
      } else {
        const Rgb c = yuv_to_rgb(static_cast<float>(v), 128.0f, 128.0f, k);
        table[v] = lightness_from_luminance(
            luminance_from_linear(srgb_to_linear(c.r), srgb_to_linear(c.g), srgb_to_linear(c.b)));
      }
    }
  }
#pragma omp parallel if (detail::worth_parallel(w, src.height))
  {
    std::vector<float> rgb;
#pragma omp for schedule(static)
    for (int y = 0; y < src.height; ++y) {
      float* out = L.row(y);
      if (gray8 || (yuv420 && detail::chroma_rows_neutral(src, y))) {
        const std::uint8_t* in = src.row(0, y);
        for (int x = 0; x < w; ++x) out[x] = table[in[x]];
      } else {
        rgb.resize(3 * static_cast<std::size_t>(w));
        detail::decode_row_linear(src, y, rgb.data());
        linear_row_to_lightness(rgb.data(), w, out);
      }
    }
  }
}

void frame_to_lab(const FrameView& src, const Plane& L, const Plane& a, const Plane& b) {
  validate(src, "input frame");
  validate(L, src.width, src.height, "L");
  validate(a, src.width, src.height, "a");
  validate(b, src.width, src.height, "b");
  for_each_linear_row(
      src, [&](int y, const float* rgb) { linear_row_to_lab(rgb, src.width, L.row(y), a.row(y), b.row(y)); });
}

namespace {

// Bilinear taps from an output grid of n samples to an input of m (kernels::linear_tap, the one the GPU
// uses too). When m == n every tap is the sample itself with weight 0 on its neighbour, so equal sizes
// pass the values through unchanged.
std::vector<kernels::Tap> linear_taps(int n, int m) {
  std::vector<kernels::Tap> taps(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) taps[static_cast<std::size_t>(i)] = kernels::linear_tap(i, n, m);
  return taps;
}

}  // namespace

void lab_to_frame(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b,
                  const MutableFrameView& dst) {
  validate(dst, "output frame");
  validate_lab(L, a, b, dst.width, dst.height);
  const std::vector<kernels::Tap> xt = linear_taps(dst.width, a.width);
  const std::vector<kernels::Tap> yt = linear_taps(dst.height, a.height);
  const int w = dst.width;
  static std::atomic<unsigned long> calls{0};
  const unsigned long call = ++calls;  // tells this call's cached rows from an earlier call's
  detail::encode_frame(dst, [&](int y, float* rgb) {
    // Source rows of a* and b* upsampled along x to full width, kept while consecutive output rows read
    // them (a thread's rows are consecutive): each is computed about once per source row, not per
    // output row. Then a vertical blend of two of them, then the colour conversion, all contiguous.
    struct Row {
      unsigned long call = 0;
      int index = -1;
      std::vector<float> a, b;
    };
    thread_local Row cache[2];
    thread_local std::vector<float> row_a, row_b;
    const kernels::Tap ty = yt[static_cast<std::size_t>(y)];
    const auto holds = [&](const Row& r, int index) { return r.call == call && r.index == index; };
    const auto upsampled = [&](int index) -> const Row& {
      for (Row& r : cache)
        if (holds(r, index)) return r;
      // Replace a row this output row does not need.
      Row& r = holds(cache[0], ty.i0) || holds(cache[0], ty.i1) ? cache[1] : cache[0];
      r.call = call;
      r.index = index;
      r.a.resize(static_cast<std::size_t>(w));
      r.b.resize(static_cast<std::size_t>(w));
      const float* sa = a.row(index);
      const float* sb = b.row(index);
      for (int x = 0; x < w; ++x) {
        const kernels::Tap t = xt[static_cast<std::size_t>(x)];
        r.a[static_cast<std::size_t>(x)] = sa[t.i0] + t.frac * (sa[t.i1] - sa[t.i0]);
        r.b[static_cast<std::size_t>(x)] = sb[t.i0] + t.frac * (sb[t.i1] - sb[t.i0]);
      }
      return r;
    };
    const Row& top = upsampled(ty.i0);
    const Row& bottom = upsampled(ty.i1);
    row_a.resize(static_cast<std::size_t>(w));
    row_b.resize(static_cast<std::size_t>(w));
    for (std::size_t x = 0; x < static_cast<std::size_t>(w); ++x) {
      row_a[x] = top.a[x] + ty.frac * (bottom.a[x] - top.a[x]);
      row_b[x] = top.b[x] + ty.frac * (bottom.b[x] - top.b[x]);
    }
    lab_row_to_linear(L.row(y), row_a.data(), row_b.data(), w, rgb);
  });
}

void convert_frame(const FrameView& src, const MutableFrameView& dst) {
  validate(src, "input frame");
  validate(dst, "output frame");
  if (src.width != dst.width || src.height != dst.height)
    throw std::invalid_argument("convert_frame: input is " + std::to_string(src.width) + "x" +
                                std::to_string(src.height) + ", output " + std::to_string(dst.width) + "x" +
                                std::to_string(dst.height));
  detail::encode_frame(dst, [&](int y, float* rgb) { detail::decode_row_linear(src, y, rgb); });
}

}  // namespace colorize::color
