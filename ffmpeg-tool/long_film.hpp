// Long films in pieces: `--segment K/N` colours piece K of N into the work directory, `--join N` checks
// the N pieces and joins them into the output with the input's other streams, `--segments N` does both
// and keeps what an earlier, interrupted run finished. A piece is finished once renamed from its
// temporary name; its container metadata records which job it belongs to (ffmpeg-tool/pieces.hpp).
#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include "ffmpeg-tool/destination.hpp"
#include "ffmpeg-tool/options.hpp"
#include "ffmpeg-tool/progress.hpp"

namespace colorize::cli {

// Frames coloured before a piece, not written: temporal smoothing carries at most 0.85 of a frame's
// colour to the next, so after 32 frames less than 0.6% of where it started remains.
inline constexpr int kWarmUpFrames = 32;

// Where the pieces are kept: --work-dir, else OUTPUT.pieces beside the output.
std::filesystem::path work_dir_of(const Options& o);

// Runs o.pieces' step; the join (--join, --segments) writes to `destination` (from plan_destination) and,
// for a file, renames it into place, then removes the pieces. Returns the frames written (the pieces',
// or the joined film's); returns early when `stop` is set, leaving the finished pieces and no temporary
// file. Throws with a message for the user.
long run_pieces(const Options& o, const std::string& model_path, const Destination& destination,
                std::atomic<bool>& stop, Progress& progress);

}  // namespace colorize::cli
