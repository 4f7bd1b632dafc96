// The frame view every layer shares: format, size, plane pointers and strides, nothing owned.
// Adapters wrap an AVFrame or a GstVideoFrame in one without copying pixels.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "color/pixel_format.hpp"

namespace colorize::color {

enum class YuvMatrix { Bt601, Bt709 };
enum class YuvRange { Limited, Full };  // limited: Y 16..235, CbCr 16..240 (video); full: 0..255 (JPEG)
// Where a 4:2:0 chroma sample sits relative to the luma grid. Left is MPEG-2/H.264's default, Center is
// JPEG/MPEG-1's, TopLeft is used by some UHD/BT.2020 content.
enum class ChromaSiting { Left, Center, TopLeft };

// How Y'CbCr code values map to R'G'B'. Ignored for RGB and gray formats.
struct YuvEncoding {
  YuvMatrix matrix = YuvMatrix::Bt601;
  YuvRange range = YuvRange::Limited;
  ChromaSiting siting = ChromaSiting::Left;
};

// Where a view's planes are. Cuda: device memory of the CUDA device the engine runs on (NVDEC's
// decoded frames), read by the GPU colour kernels in place; the CPU code reads host views only.
enum class Memory { Host, Cuda };

template <class Byte>
struct BasicFrameView {
  static_assert(std::is_same_v<std::remove_const_t<Byte>, std::uint8_t>);
  using byte_type = Byte;

  PixelFormat format = PixelFormat::Rgb24;
  int width = 0;
  int height = 0;
  std::array<Byte*, 3> data{};
  std::array<std::ptrdiff_t, 3> stride{};  // bytes from one row to the next, per plane
  YuvEncoding yuv{};
  Memory memory = Memory::Host;

  Byte* row(int plane, int y) const { return data[plane] + y * stride[plane]; }

  // A mutable view converts to a read-only one, never the other way.
  template <class Other, class = std::enable_if_t<std::is_const_v<Byte> && !std::is_const_v<Other>>>
  BasicFrameView(const BasicFrameView<Other>& other)  // NOLINT(google-explicit-constructor)
      : format(other.format), width(other.width), height(other.height), yuv(other.yuv), memory(other.memory) {
    for (int i = 0; i < 3; ++i) {
      data[i] = other.data[i];
      stride[i] = other.stride[i];
    }
  }
  BasicFrameView() = default;
};

using FrameView = BasicFrameView<const std::uint8_t>;
using MutableFrameView = BasicFrameView<std::uint8_t>;

// A view of a single-plane frame stored without row padding (GRAY8 or a packed RGB format).
template <class Byte>
BasicFrameView<Byte> packed_frame(PixelFormat format, Byte* data, int width, int height) {
  BasicFrameView<Byte> v;
  v.format = format;
  v.width = width;
  v.height = height;
  v.data[0] = data;
  v.stride[0] = static_cast<std::ptrdiff_t>(width) *
                (is_packed_rgb(format) ? packed_layout(format).bytes_per_pixel : 1);
  return v;
}

// A view from plane pointers and strides as FFmpeg (AVFrame::data, linesize) and GStreamer
// (GstVideoFrame::data, info.stride) hand them out; only the planes the format has are read.
template <class Byte, class Pointer, class Stride>
BasicFrameView<Byte> planar_frame(PixelFormat format, int width, int height, const Pointer* planes,
                                  const Stride* strides, YuvEncoding yuv) {
  BasicFrameView<Byte> v;
  v.format = format;
  v.width = width;
  v.height = height;
  v.yuv = yuv;
  for (int p = 0; p < plane_count(format); ++p) {
    v.data[p] = static_cast<Byte*>(planes[p]);
    v.stride[p] = strides[p];
  }
  return v;
}

// Throws std::invalid_argument naming the problem when a view cannot be read or written as described
// (null planes, sizes below 1x1, strides shorter than a row, planes not in the memory the caller reads).
void validate(const FrameView& view, const char* what, Memory where = Memory::Host);

}  // namespace colorize::color
