// Turns decoded AVFrames into encoder-ready AVFrames through the engine: wraps what the colour code
// reads directly, converts the rest with libswscale, and builds the side-by-side preview.
#pragma once

#include <vector>

#include "engine/colorizer.hpp"
#include "media/av_util.hpp"
#include "media/scaler.hpp"

namespace colorize::cli {

class FrameStage {
 public:
  FrameStage(engine::Colorizer& colorizer, const AVCodecContext& encoder, bool preview);
  // Colorizes a batch of decoded frames; returns one encoder frame per input, timestamps copied.
  std::vector<media::FramePtr> run(const std::vector<media::FramePtr>& decoded);

 private:
  media::FramePtr new_frame(AVPixelFormat format, int width, int height) const;

  engine::Colorizer& colorizer_;
  const AVCodecContext& encoder_;
  bool preview_;
  media::Scaler to_rgb_, from_rgb_;
};

}  // namespace colorize::cli
