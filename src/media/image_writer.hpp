// Writes one RGB24 frame view as a PNG file (FFmpeg's PNG encoder), atomically: temporary + rename.
#pragma once

#include <string>

#include "color/frame_view.hpp"

namespace colorize::media {

void write_png(const std::string& path, const color::FrameView& rgb24);

}  // namespace colorize::media
