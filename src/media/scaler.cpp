#include "media/scaler.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "media/frame_adapter.hpp"

namespace colorize::media {
namespace {

int sws_colorspace(const AVFrame& f) {
  const color::YuvEncoding e = yuv_encoding_of(static_cast<AVPixelFormat>(f.format), f.colorspace,
                                               f.color_range, f.chroma_location, f.height);
  return e.matrix == color::YuvMatrix::Bt709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
}

int full_range(const AVFrame& f) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f.format));
  return f.color_range == AVCOL_RANGE_JPEG || f.format == AV_PIX_FMT_YUVJ420P ||
         f.format == AV_PIX_FMT_YUVJ422P || f.format == AV_PIX_FMT_YUVJ444P ||
         (d != nullptr && (d->flags & AV_PIX_FMT_FLAG_RGB) != 0) || f.format == AV_PIX_FMT_GRAY8;
}

}  // namespace

void Scaler::scale(const AVFrame& src, AVFrame& dst, int flags) {
  context_.reset(
      sws_getCachedContext(context_.release(), src.width, src.height, static_cast<AVPixelFormat>(src.format),
                           dst.width, dst.height, static_cast<AVPixelFormat>(dst.format),
                           flags | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr, nullptr));
  if (!context_) throw MediaError("libswscale cannot convert between these pixel formats");
  sws_setColorspaceDetails(context_.get(), sws_getCoefficients(sws_colorspace(src)), full_range(src),
                           sws_getCoefficients(sws_colorspace(dst)), full_range(dst), 0, 1 << 16, 1 << 16);
  sws_scale(context_.get(), src.data, src.linesize, 0, src.height, dst.data, dst.linesize);
}

FramePtr allocate_frame(AVPixelFormat format, int width, int height) {
  FramePtr f = make_frame();
  f->format = format;
  f->width = width;
  f->height = height;
  check(av_frame_get_buffer(f.get(), 0),
        "cannot allocate a " + std::to_string(width) + "x" + std::to_string(height) + " frame");
  return f;
}

}  // namespace colorize::media
