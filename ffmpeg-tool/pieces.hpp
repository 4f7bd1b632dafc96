// A long film in pieces: which frames piece K of N writes, which frames before them it colours without
// writing (so that temporal smoothing arrives at the piece's first frame as a single run would), where it
// starts decoding, and what names its file. Every process of a job (a Slurm array, say) plans from the
// input alone and arrives at the same pieces.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "media/input.hpp"

namespace colorize::cli {

// The presentation timestamps of the input's video, sorted: one per packet, in the video stream's time
// base from the input's start (as media::Input hands on decoded frames).
struct Timeline {
  std::vector<int64_t> pts;
  AVRational time_base{0, 1};
};

// Reads the timeline from the packets, without decoding. Throws media::MediaError when the video's
// packets carry no timestamps (a raw elementary stream): such an input cannot be cut by time.
Timeline read_timeline(const media::InputOptions& input, const std::atomic<bool>* interrupt);

struct Piece {
  int index = 1, count = 1;  // K of N, 1-based
  // Frames written: pts in [write_from, write_until); the first piece starts, the last ends, unbounded.
  int64_t write_from = std::numeric_limits<int64_t>::min();
  int64_t write_until = std::numeric_limits<int64_t>::max();
  long frames = 0;  // the input's frames in that range, by the timeline
  // Frames from here on are coloured; those before write_from only warm temporal smoothing up.
  int64_t colour_from = std::numeric_limits<int64_t>::min();
  double seek_seconds = 0;  // decoding starts at the keyframe at or before this time (0: the start)
};

// Piece `index` of `count`, the frames shared out evenly; `warm_up_frames` frames before it coloured
// too. Throws std::invalid_argument when there are fewer frames than pieces.
Piece plan_piece(const Timeline& timeline, int index, int count, int warm_up_frames);

// "piece-03-of-12.nut": numbered to sort in order.
std::string piece_file_name(int index, int count);

// The container metadata that identifies a piece: which piece, of which job (the input and every option
// that changes its pixels or its encoding), and how many frames it holds. A piece whose record differs
// from the job's is not the job's.
inline constexpr const char* kPieceKey = "colorize_piece";
inline constexpr const char* kJobKey = "colorize_job";
inline constexpr const char* kFramesKey = "colorize_frames";

}  // namespace colorize::cli
