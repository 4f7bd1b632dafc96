// GstVideoFrame <-> color::FrameView without copying, and GStreamer's colorimetry as a YuvEncoding.
#pragma once

#include <gst/video/video.h>

#include <optional>

#include "color/frame_view.hpp"

namespace colorize::gst {

std::optional<color::PixelFormat> color_format_of(GstVideoFormat format);
color::YuvEncoding yuv_encoding_of(const GstVideoInfo& info);
color::FrameView view_of(const GstVideoFrame& frame);  // the format must be one color_format_of knows
color::MutableFrameView mutable_view_of(GstVideoFrame& frame);

}  // namespace colorize::gst
