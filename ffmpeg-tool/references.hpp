// Reference colours in the CLI: the pictures of --reference and --references read, and the first of the
// input's two readings, which carries them through their shots (engine/reference_colours.hpp). The
// second reading is the transcode itself, where FrameStage hands each frame its guide.
#pragma once

#include <atomic>
#include <memory>

#include "engine/reference_colours.hpp"
#include "ffmpeg-tool/options.hpp"

namespace colorize::cli {

// The references' guides for the input's range, or null when the options give no reference. Prints what
// it left out (and why) as warnings. Throws with a message for the user (an unreadable picture, a
// folder without pictures or with a name that says neither time nor frame). Returns early, incomplete,
// when `stop` is set.
std::unique_ptr<engine::ReferenceColours> read_references(const Options& o, const std::atomic<bool>& stop);

}  // namespace colorize::cli
