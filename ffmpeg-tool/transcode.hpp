// decode -> colorize -> encode, each on its own thread with bounded queues between them, so that on
// the CPU the network is the only bottleneck.
#pragma once

#include <atomic>
#include <map>
#include <string>

#include "engine/colorizer.hpp"
#include "ffmpeg-tool/destination.hpp"
#include "ffmpeg-tool/options.hpp"
#include "ffmpeg-tool/pieces.hpp"
#include "ffmpeg-tool/progress.hpp"
#include "media/input.hpp"

namespace colorize::cli {

// The input as the options name it (-i, and -f before it); every reading of it starts here and adds
// what it needs (the range, hardware decoding, an interrupt flag).
media::InputOptions input_of(const Options& o);

// Writes the colorized video to the destination's url. Returns the number of frames written. Throws on
// any error; returns early, with the output incomplete, when `stop` is set (signals).
long transcode(const Options& options, engine::Colorizer& colorizer, const Destination& destination,
               std::atomic<bool>& stop, Progress& progress);

// Writes piece `piece` of the input's video alone into the NUT file `url` (`path` names it in messages),
// encoded as the output's container wants it, with `metadata` as the piece's record. The frames before
// the piece (from piece.colour_from) and the look-ahead's after it are coloured but not written, so that
// the piece's frames come out as in a single run. Throws when the piece's frames are not all there.
long transcode_piece(const Options& options, engine::Colorizer& colorizer, const Piece& piece,
                     const std::string& path, const std::string& url,
                     const std::map<std::string, std::string>& metadata, std::atomic<bool>& stop,
                     Progress& progress);

}  // namespace colorize::cli
