#include "color/kernel_pixels.hpp"

namespace colorize::color::kernels {

Matrices matrices() {
  const detail::Tables& t = detail::tables();
  Matrices m{};
  for (int c = 0; c < 3; ++c) m.luminance[c] = t.xyz_from_rgb_white[1][c];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) m.rgb_from_xyz[r][c] = t.rgb_from_xyz[r][c];
  return m;
}

Pixels pixels_of(const FrameView& v) {
  return {
      v.format, v.width, v.height, {v.data[0], v.data[1], v.data[2]}, {v.stride[0], v.stride[1], v.stride[2]},
      v.yuv};
}

MutablePixels pixels_of(const MutableFrameView& v) {
  return {
      v.format, v.width, v.height, {v.data[0], v.data[1], v.data[2]}, {v.stride[0], v.stride[1], v.stride[2]},
      v.yuv};
}

}  // namespace colorize::color::kernels
