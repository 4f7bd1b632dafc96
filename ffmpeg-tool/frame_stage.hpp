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
  // Sends a batch of decoded frames to the engine and returns the encoder frames finished so far, in
  // order, timestamps copied: file-mode temporal smoothing finishes frames some frames late.
  std::vector<media::FramePtr> send(const std::vector<media::FramePtr>& decoded);
  // End of the stream: the frames still held.
  std::vector<media::FramePtr> flush();

 private:
  media::FramePtr new_frame(AVPixelFormat format, int width, int height) const;
  std::vector<media::FramePtr> collect_finished();

  engine::Colorizer& colorizer_;
  const AVCodecContext& encoder_;
  bool preview_;
  media::Scaler to_rgb_, from_rgb_;
};

}  // namespace colorize::cli
