// Turns decoded AVFrames into encoder-ready AVFrames through the engine (frames adapted by EngineInput),
// each with its reference colours when there are any, and builds the side-by-side preview.
#pragma once

#include <vector>

#include "engine/colorizer.hpp"
#include "engine/reference_colours.hpp"
#include "ffmpeg-tool/engine_input.hpp"
#include "media/av_util.hpp"
#include "media/scaler.hpp"

namespace colorize::cli {

class FrameStage {
 public:
  // `references`: the guides of the first reading (null: none), handed out by frame number.
  FrameStage(engine::Colorizer& colorizer, const AVCodecContext& encoder, bool preview,
             const engine::ReferenceColours* references = nullptr);
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
  const engine::ReferenceColours* references_;
  // Every input frame is colorized at the first frame's size, which the encoder was opened with.
  EngineInput input_;
  media::Scaler from_rgb_;
  long frames_sent_ = 0;
};

}  // namespace colorize::cli
