// Decoded AVFrames as frames the engine reads: wrapped where the colour code reads the format, converted
// to RGB24 by libswscale where it does not (4:2:2, 4:4:4, 10-bit, ...), and scaled to the stream's size
// where the size changed mid-stream (a spliced broadcast), as ffmpeg's auto-inserted scaler does. The
// colouring stage and the first reading for reference colours see the same frames through it.
#pragma once

#include <vector>

#include "color/frame_view.hpp"
#include "media/av_util.hpp"
#include "media/scaler.hpp"

namespace colorize::cli {

class EngineInput {
 public:
  // `width` x `height`: the size every frame is coloured at (the stream's first).
  EngineInput(int width, int height) : width_(width), height_(height) {}
  // A view of `frame` the engine reads; frames converted on the way are appended to `keep`, which must
  // outlive the view.
  color::FrameView view(const AVFrame& frame, std::vector<media::FramePtr>& keep);

 private:
  int width_, height_;
  media::Scaler to_rgb_, to_size_;
  int warned_width_ = 0, warned_height_ = 0;  // the last size change reported
};

}  // namespace colorize::cli
