#include "ffmpeg-tool/engine_input.hpp"

#include "media/frame_adapter.hpp"

namespace colorize::cli {

color::FrameView EngineInput::view(const AVFrame& decoded, std::vector<media::FramePtr>& keep) {
  const AVFrame* frame = &decoded;
  if (frame->width != width_ || frame->height != height_) {
    if (frame->width != warned_width_ || frame->height != warned_height_) {
      av_log(nullptr, AV_LOG_WARNING, "colorize: the input changes to %dx%d; scaling it to %dx%d\n",
             frame->width, frame->height, width_, height_);
      warned_width_ = frame->width;
      warned_height_ = frame->height;
    }
    const auto format = static_cast<AVPixelFormat>(frame->format);
    keep.push_back(
        media::allocate_frame(media::color_format_of(format) ? format : AV_PIX_FMT_RGB24, width_, height_));
    media::check(av_frame_copy_props(keep.back().get(), frame), "out of memory");  // pts, colour
    to_size_.scale(*frame, *keep.back());
    frame = keep.back().get();
  }
  if (auto view = media::view_of(*frame)) return *view;
  // Formats the colour code does not read go through RGB24, which keeps the full-resolution lightness
  // exactly enough.
  keep.push_back(media::allocate_frame(AV_PIX_FMT_RGB24, frame->width, frame->height));
  to_rgb_.scale(*frame, *keep.back());
  return *media::view_of(*keep.back());
}

}  // namespace colorize::cli
