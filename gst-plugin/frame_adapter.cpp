#include "gst-plugin/frame_adapter.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace colorize::gst {
namespace {

using color::PixelFormat;

constexpr std::array<std::pair<GstVideoFormat, PixelFormat>, 9> kFormats{{
    {GST_VIDEO_FORMAT_GRAY8, PixelFormat::Gray8},
    {GST_VIDEO_FORMAT_RGB, PixelFormat::Rgb24},
    {GST_VIDEO_FORMAT_BGR, PixelFormat::Bgr24},
    {GST_VIDEO_FORMAT_RGBx, PixelFormat::Rgbx},
    {GST_VIDEO_FORMAT_BGRx, PixelFormat::Bgrx},
    {GST_VIDEO_FORMAT_RGBA, PixelFormat::Rgba},
    {GST_VIDEO_FORMAT_BGRA, PixelFormat::Bgra},
    {GST_VIDEO_FORMAT_I420, PixelFormat::I420},
    {GST_VIDEO_FORMAT_NV12, PixelFormat::Nv12},
}};

template <class View, class Frame>
View make_view(Frame& frame) {
  const auto format = color_format_of(GST_VIDEO_FRAME_FORMAT(&frame));
  if (!format) throw std::invalid_argument("colorize: unsupported video format");
  return color::planar_frame<typename View::byte_type>(*format, GST_VIDEO_FRAME_WIDTH(&frame),
                                                       GST_VIDEO_FRAME_HEIGHT(&frame), frame.data,
                                                       frame.info.stride, yuv_encoding_of(frame.info));
}

}  // namespace

std::optional<PixelFormat> color_format_of(GstVideoFormat format) {
  for (const auto& [gst, ours] : kFormats)
    if (gst == format) return ours;
  return std::nullopt;
}

color::YuvEncoding yuv_encoding_of(const GstVideoInfo& info) {
  color::YuvEncoding e;
  e.matrix = info.colorimetry.matrix == GST_VIDEO_COLOR_MATRIX_BT709 ? color::YuvMatrix::Bt709
                                                                     : color::YuvMatrix::Bt601;
  e.range = info.colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255 ? color::YuvRange::Full
                                                                  : color::YuvRange::Limited;
  const unsigned site = info.chroma_site;
  if (site == GST_VIDEO_CHROMA_SITE_JPEG)
    e.siting = color::ChromaSiting::Center;
  else if (site == GST_VIDEO_CHROMA_SITE_COSITED)
    e.siting = color::ChromaSiting::TopLeft;
  else
    e.siting = color::ChromaSiting::Left;  // MPEG-2, and GStreamer's default for unknown
  return e;
}

color::FrameView view_of(const GstVideoFrame& frame) { return make_view<color::FrameView>(frame); }
color::MutableFrameView mutable_view_of(GstVideoFrame& frame) {
  return make_view<color::MutableFrameView>(frame);
}

}  // namespace colorize::gst
