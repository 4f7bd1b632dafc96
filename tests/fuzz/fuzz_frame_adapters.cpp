// libFuzzer target: the frame adapters and colour conversions on every pixel format, odd sizes, padded
// strides and every Y'CbCr encoding, through an AVFrame as the CLI hands them over. The first bytes
// choose the formats, sizes, alignment and encoding; the rest are the pixels.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "color/frame_lab.hpp"
#include "media/frame_adapter.hpp"
#include "media/scaler.hpp"

namespace {

using colorize::color::PixelFormat;

constexpr PixelFormat kFormats[] = {PixelFormat::Gray8, PixelFormat::Rgb24, PixelFormat::Bgr24,
                                    PixelFormat::Rgbx,  PixelFormat::Bgrx,  PixelFormat::Rgba,
                                    PixelFormat::Bgra,  PixelFormat::I420,  PixelFormat::Nv12};
constexpr int kFormatCount = sizeof kFormats / sizeof kFormats[0];

// Reads choices from the front of the input, zeros once it is used up.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  int next(int count) { return used_ < size_ ? data_[used_++] % count : 0; }
  const std::uint8_t* rest() const { return data_ + used_; }
  std::size_t rest_size() const { return size_ - used_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t used_ = 0;
};

// An AVFrame of the format and size, its buffers aligned as chosen (odd strides included).
colorize::media::FramePtr frame_of(PixelFormat format, int width, int height, int align) {
  auto f = colorize::media::make_frame();
  f->format = colorize::media::av_format_of(format);
  f->width = width;
  f->height = height;
  colorize::media::check(av_frame_get_buffer(f.get(), align), "av_frame_get_buffer");
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Choices in(data, size);
  const PixelFormat src_format = kFormats[in.next(kFormatCount)];
  const PixelFormat dst_format = kFormats[in.next(kFormatCount)];
  const int width = 1 + in.next(48), height = 1 + in.next(48);
  const int align = 1 + in.next(64);
  const int ab_width = 1 + in.next(width), ab_height = 1 + in.next(height);
  const AVColorSpace space = in.next(2) ? AVCOL_SPC_BT709 : AVCOL_SPC_BT470BG;
  const AVColorRange range = in.next(2) ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
  const auto location = static_cast<AVChromaLocation>(in.next(AVCHROMA_LOC_NB));

  auto src = frame_of(src_format, width, height, align);
  src->colorspace = space;
  src->color_range = range;
  src->chroma_location = location;
  // The pixels: the rest of the input, repeated.
  for (int p = 0; p < AV_NUM_DATA_POINTERS && src->data[p] != nullptr; ++p) {
    const int rows = (p > 0 && colorize::color::is_yuv420(src_format)) ? (height + 1) / 2 : height;
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < src->linesize[p]; ++x)
        src->data[p][y * src->linesize[p] + x] =
            in.rest_size() > 0 ? in.rest()[(static_cast<std::size_t>(y) * 131 + x + p) % in.rest_size()] : 0;
  }
  auto dst = frame_of(dst_format, width, height, align);
  dst->colorspace = space;
  dst->color_range = range;
  dst->chroma_location = location;

  const auto src_view = colorize::media::view_of(*src);
  const auto dst_view = colorize::media::mutable_view_of(*dst);
  if (!src_view || !dst_view) __builtin_trap();  // every colorize format must have a view

  std::vector<float> L(static_cast<std::size_t>(width) * height), a(L.size()), b(L.size());
  const colorize::color::Plane l_plane{L.data(), width, height, width};
  colorize::color::frame_to_lightness(*src_view, l_plane);
  colorize::color::frame_to_lab(*src_view, l_plane, {a.data(), width, height, width},
                                {b.data(), width, height, width});
  for (float v : L)
    if (!(v >= 0.0f && v <= 100.0f)) __builtin_trap();  // L* of any 8-bit pixel lies in 0..100
  colorize::color::convert_frame(*src_view, *dst_view);
  // The compose with a/b at a smaller size (the network's), upsampled on the fly.
  colorize::color::lab_to_frame(l_plane, {a.data(), ab_width, ab_height, ab_width},
                                {b.data(), ab_width, ab_height, ab_width}, *dst_view);
  // And libswscale, which takes what the colour code does not.
  colorize::media::Scaler scaler;
  auto rgb = frame_of(PixelFormat::Rgb24, width, height, align);
  scaler.scale(*src, *rgb);
  return 0;
}
