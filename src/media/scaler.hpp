// libswscale with the colour description of both frames honoured (matrix and range), one cached
// context per conversion. For the pixel formats and sizes the colour code does not handle itself.
#pragma once

#include "media/av_util.hpp"

namespace colorize::media {

class Scaler {
 public:
  // Converts (and resizes) src into dst, whose format and size the caller has set and allocated.
  // flags: SWS_AREA to shrink images for training, SWS_BICUBIC for video.
  void scale(const AVFrame& src, AVFrame& dst, int flags = SWS_BICUBIC);

 private:
  SwsPtr context_;
};

// A new frame of the given format and size with its buffers allocated.
FramePtr allocate_frame(AVPixelFormat format, int width, int height);

}  // namespace colorize::media
