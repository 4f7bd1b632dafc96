#include "color/frame_lab.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "color/frame_io.hpp"

namespace colorize::color {
namespace {

void check_plane(const ConstPlane& p, int width, int height, const char* name) {
  if (p.data == nullptr || p.width != width || p.height != height || p.stride < width)
    throw std::invalid_argument(std::string("plane ") + name + " (" + std::to_string(p.width) + "x" +
                                std::to_string(p.height) + ", stride " + std::to_string(p.stride) +
                                ") does not match the " + std::to_string(width) + "x" +
                                std::to_string(height) + " frame");
}

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
  check_plane(L, src.width, src.height, "L");
  const int w = src.width;
  if (src.format == PixelFormat::Gray8) {
    // 256 possible inputs: one table per call beats a cube root per pixel.
    float table[256];
    for (int v = 0; v < 256; ++v)
      table[v] = lightness_from_luminance(srgb8_to_linear(static_cast<std::uint8_t>(v)));
#pragma omp parallel for schedule(static) if (detail::worth_parallel(w, src.height))
    for (int y = 0; y < src.height; ++y) {
      const std::uint8_t* in = src.row(0, y);
      float* out = L.row(y);
      for (int x = 0; x < w; ++x) out[x] = table[in[x]];
    }
    return;
  }
  for_each_linear_row(src, [&](int y, const float* rgb) {
    float* out = L.row(y);
    for (int x = 0; x < w; ++x)
      out[x] = lightness_from_luminance(luminance_from_linear(rgb[3 * x], rgb[3 * x + 1], rgb[3 * x + 2]));
  });
}

void frame_to_lab(const FrameView& src, const Plane& L, const Plane& a, const Plane& b) {
  validate(src, "input frame");
  check_plane(L, src.width, src.height, "L");
  check_plane(a, src.width, src.height, "a");
  check_plane(b, src.width, src.height, "b");
  for_each_linear_row(src, [&](int y, const float* rgb) {
    float* pl = L.row(y);
    float* pa = a.row(y);
    float* pb = b.row(y);
    for (int x = 0; x < src.width; ++x) {
      const Lab lab = linear_to_lab(rgb[3 * x], rgb[3 * x + 1], rgb[3 * x + 2]);
      pl[x] = lab.L;
      pa[x] = lab.a;
      pb[x] = lab.b;
    }
  });
}

void lab_to_frame(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b,
                  const MutableFrameView& dst) {
  validate(dst, "output frame");
  check_plane(L, dst.width, dst.height, "L");
  check_plane(a, dst.width, dst.height, "a");
  check_plane(b, dst.width, dst.height, "b");
  detail::encode_frame(dst, [&](int y, float* rgb) {
    const float* pl = L.row(y);
    const float* pa = a.row(y);
    const float* pb = b.row(y);
    for (int x = 0; x < dst.width; ++x) {
      const Rgb c = lab_to_linear(Lab{pl[x], pa[x], pb[x]});
      rgb[3 * x] = std::clamp(c.r, 0.0f, 1.0f);
      rgb[3 * x + 1] = std::clamp(c.g, 0.0f, 1.0f);
      rgb[3 * x + 2] = std::clamp(c.b, 0.0f, 1.0f);
    }
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
