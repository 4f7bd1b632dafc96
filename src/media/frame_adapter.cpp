#include "media/frame_adapter.hpp"

extern "C" {
#include <libavutil/hwcontext.h>
}

#include <array>
#include <utility>

namespace colorize::media {
namespace {

using color::PixelFormat;

constexpr std::array<std::pair<AVPixelFormat, PixelFormat>, 10> kFormats{{
    {AV_PIX_FMT_YUV420P, PixelFormat::I420},
    {AV_PIX_FMT_YUVJ420P, PixelFormat::I420},  // full-range I420, as JPEG decoders deliver it
    {AV_PIX_FMT_NV12, PixelFormat::Nv12},
    {AV_PIX_FMT_GRAY8, PixelFormat::Gray8},
    {AV_PIX_FMT_RGB24, PixelFormat::Rgb24},
    {AV_PIX_FMT_BGR24, PixelFormat::Bgr24},
    {AV_PIX_FMT_RGB0, PixelFormat::Rgbx},
    {AV_PIX_FMT_BGR0, PixelFormat::Bgrx},
    {AV_PIX_FMT_RGBA, PixelFormat::Rgba},
    {AV_PIX_FMT_BGRA, PixelFormat::Bgra},
}};

// The layout of a frame's planes: its own format, or for a hardware frame (NVDEC's AV_PIX_FMT_CUDA) the
// software format its frames context stores, in device memory.
std::pair<AVPixelFormat, color::Memory> layout_of(const AVFrame& frame) {
  const auto format = static_cast<AVPixelFormat>(frame.format);
  if (format != AV_PIX_FMT_CUDA || frame.hw_frames_ctx == nullptr) return {format, color::Memory::Host};
  const auto* context = reinterpret_cast<const AVHWFramesContext*>(frame.hw_frames_ctx->data);
  return {context->sw_format, color::Memory::Cuda};
}

template <class View, class Frame>
std::optional<View> make_view(Frame& frame) {
  const auto [av_format, memory] = layout_of(frame);
  const auto format = color_format_of(av_format);
  if (!format) return std::nullopt;
  View view = color::planar_frame<typename View::byte_type>(
      *format, frame.width, frame.height, frame.data, frame.linesize,
      yuv_encoding_of(av_format, frame.colorspace, frame.color_range, frame.chroma_location, frame.height));
  view.memory = memory;
  return view;
}

}  // namespace

std::optional<PixelFormat> color_format_of(AVPixelFormat format) {
  for (const auto& [av, ours] : kFormats)
    if (av == format) return ours;
  return std::nullopt;
}

AVPixelFormat av_format_of(PixelFormat format) {
  for (const auto& [av, ours] : kFormats)
    if (ours == format) return av;
  return AV_PIX_FMT_NONE;
}

color::YuvEncoding yuv_encoding_of(AVPixelFormat format, AVColorSpace space, AVColorRange range,
                                   AVChromaLocation location, int height) {
  const bool jpeg = format == AV_PIX_FMT_YUVJ420P;
  color::YuvEncoding e;
  switch (space) {
    case AVCOL_SPC_BT709:
      e.matrix = color::YuvMatrix::Bt709;
      break;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC:
      e.matrix = color::YuvMatrix::Bt601;
      break;
    default:
      e.matrix = (height >= 720 && !jpeg) ? color::YuvMatrix::Bt709 : color::YuvMatrix::Bt601;
      break;
  }
  e.range = (jpeg || range == AVCOL_RANGE_JPEG) ? color::YuvRange::Full : color::YuvRange::Limited;
  switch (location) {
    case AVCHROMA_LOC_CENTER:
      e.siting = color::ChromaSiting::Center;
      break;
    case AVCHROMA_LOC_TOPLEFT:
      e.siting = color::ChromaSiting::TopLeft;
      break;
    case AVCHROMA_LOC_UNSPECIFIED:
      e.siting = jpeg ? color::ChromaSiting::Center : color::ChromaSiting::Left;
      break;
    default:
      e.siting = color::ChromaSiting::Left;
      break;
  }
  return e;
}

std::optional<color::FrameView> view_of(const AVFrame& frame) { return make_view<color::FrameView>(frame); }
std::optional<color::MutableFrameView> mutable_view_of(AVFrame& frame) {
  return make_view<color::MutableFrameView>(frame);
}

}  // namespace colorize::media
