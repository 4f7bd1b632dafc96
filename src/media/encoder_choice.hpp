// Which encoder the colorized video gets, with what pixel format and time base: the user's choice or
// the container's usual one, and what to try next when an encoder refuses (see encoder_choices()).
#pragma once

#include <vector>

#include "media/av_util.hpp"
#include "media/input.hpp"
#include "media/output_options.hpp"

namespace colorize::media {

// An encoder with what it is opened with.
struct EncoderChoice {
  const AVCodec* codec;
  AVPixelFormat pixel_format;
  AVRational time_base;
};

// What to open, in order, until an encoder takes it; the first is what the user or the container asks
// for. Throws MediaError for an unknown encoder or pixel format.
std::vector<EncoderChoice> encoder_choices(const OutputOptions& o, const AVOutputFormat* format,
                                           const Input& input);

AVRational frame_rate_of(const Input& input);

}  // namespace colorize::media
