// decode -> colorize -> encode, each on its own thread with bounded queues between them, so that on
// the CPU the network is the only bottleneck.
#pragma once

#include <atomic>
#include <string>

#include "ffmpeg-tool/destination.hpp"
#include "ffmpeg-tool/options.hpp"
#include "ffmpeg-tool/progress.hpp"

namespace colorize::cli {

// Writes the colorized video to the destination's url. Returns the number of frames written. Throws on
// any error; returns early, with the output incomplete, when `stop` is set (signals).
long transcode(const Options& options, const std::string& model_path, const Destination& destination,
               std::atomic<bool>& stop, Progress& progress);

}  // namespace colorize::cli
