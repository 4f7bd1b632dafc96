// AVFrame <-> color::FrameView without copying pixels: the pixel formats colorize reads and writes
// directly, and how FFmpeg's colour tags (matrix, range, chroma location) become a YuvEncoding.
#pragma once

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

#include <optional>

#include "color/frame_view.hpp"

namespace colorize::media {

// The colorize format of an FFmpeg pixel format, when colorize reads and writes it directly.
std::optional<color::PixelFormat> color_format_of(AVPixelFormat format);
AVPixelFormat av_format_of(color::PixelFormat format);

// Y'CbCr encoding from FFmpeg's tags; unspecified matrices follow common practice (BT.709 from 720
// lines up, BT.601 below), unspecified chroma location is MPEG-2's left (JPEG's centre for yuvj).
color::YuvEncoding yuv_encoding_of(AVPixelFormat format, AVColorSpace space, AVColorRange range,
                                   AVChromaLocation location, int height);

// Views of a frame whose format color_format_of() knows; nullopt otherwise. A CUDA hardware frame
// (NVDEC's) whose frames context stores such a format gives a view of its device planes
// (color::Memory::Cuda), which only the engine on CUDA reads.
std::optional<color::FrameView> view_of(const AVFrame& frame);
std::optional<color::MutableFrameView> mutable_view_of(AVFrame& frame);

}  // namespace colorize::media
