// Turns decoded AVFrames into encoder-ready AVFrames through the engine: wraps what the colour code
// reads directly, converts the rest with libswscale, and builds the side-by-side preview.
#pragma once

#include <vector>

#include "engine/colorizer.hpp"
#include "media/av_util.hpp"

namespace colorize::cli {

class FrameStage {
 public:
  FrameStage(engine::Colorizer& colorizer, const AVCodecContext& encoder, bool preview);
  // Colorizes a batch of decoded frames; returns one encoder frame per input, timestamps copied.
  std::vector<media::FramePtr> run(const std::vector<media::FramePtr>& decoded);

 private:
  media::FramePtr new_frame(AVPixelFormat format, int width, int height) const;
  // sws_scale from src into dst (allocated by the caller), reusing one context per size and format pair.
  void scale(const AVFrame& src, AVFrame& dst, media::SwsPtr& context);

  engine::Colorizer& colorizer_;
  const AVCodecContext& encoder_;
  bool preview_;
  media::SwsPtr to_rgb_, from_rgb_;
};

}  // namespace colorize::cli
