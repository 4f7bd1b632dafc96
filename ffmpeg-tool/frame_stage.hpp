// Turns decoded AVFrames into encoder-ready AVFrames through the engine: wraps what the colour code
// reads directly, converts the rest with libswscale, scales frames whose size changed mid-stream to the
// output's (as ffmpeg does), and builds the side-by-side preview.
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

  // The size every input frame is colorized at: the first frame's, which the encoder was opened with.
  int input_width() const { return preview_ ? encoder_.width / 2 : encoder_.width; }

  engine::Colorizer& colorizer_;
  const AVCodecContext& encoder_;
  bool preview_;
  media::Scaler to_rgb_, from_rgb_, to_size_;
  int warned_width_ = 0, warned_height_ = 0;  // the last size change reported
};

}  // namespace colorize::cli
