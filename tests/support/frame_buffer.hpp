// Test helper: an owned frame of any format with padded strides and guard bytes around every row,
// so a conversion that writes past a row or reads a stride wrongly is caught.
#pragma once

#include <cstdint>
#include <vector>

#include "color/frame_view.hpp"

namespace colorize::test {

class FrameBuffer {
 public:
  static constexpr std::uint8_t kGuard = 0xA5;

  FrameBuffer(color::PixelFormat format, int width, int height, int padding = 7, color::YuvEncoding yuv = {})
      : format_(format), width_(width), height_(height), yuv_(yuv) {
    for (int p = 0; p < color::plane_count(format); ++p) {
      stride_[p] = color::min_row_bytes(format, p, width) + padding;
      planes_[p].assign(static_cast<std::size_t>(stride_[p]) * color::plane_rows(format, p, height), kGuard);
    }
  }

  color::MutableFrameView view() {
    color::MutableFrameView v;
    v.format = format_;
    v.width = width_;
    v.height = height_;
    v.yuv = yuv_;
    for (int p = 0; p < color::plane_count(format_); ++p) {
      v.data[p] = planes_[p].data();
      v.stride[p] = stride_[p];
    }
    return v;
  }
  color::FrameView cview() { return view(); }

  // True when every padding byte after each row still holds the guard value.
  bool guards_intact() const {
    for (int p = 0; p < color::plane_count(format_); ++p) {
      const int used = color::min_row_bytes(format_, p, width_);
      for (int y = 0; y < color::plane_rows(format_, p, height_); ++y)
        for (std::ptrdiff_t x = used; x < stride_[p]; ++x)
          if (planes_[p][static_cast<std::size_t>(y * stride_[p] + x)] != kGuard) return false;
    }
    return true;
  }

 private:
  color::PixelFormat format_;
  int width_, height_;
  color::YuvEncoding yuv_;
  std::vector<std::uint8_t> planes_[3];
  std::ptrdiff_t stride_[3]{};
};

}  // namespace colorize::test
