// The `colorize` command line: ffmpeg's conventions (-i, -f, -c:v, -crf, -ss, -t, -y, ...) plus the
// engine's options, parsed with Boost.Program_options and checked before anything is opened.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/settings.hpp"

namespace colorize::cli {

// A long film in pieces (ffmpeg-tool/long_film.hpp): --segment K/N colours piece K of N, --join N joins
// the N pieces into the output, --segments N does both.
struct PieceJob {
  enum class Step { Colour, Join, All };
  Step step = Step::All;
  int index = 0;  // --segment's K
  int count = 0;  // N
};

// --reference TIME=IMAGE: a colour picture of the frame at TIME (seconds from the input's start), or,
// from --references DIR, of a frame numbered from 0 at the range's first frame.
struct ReferenceSpec {
  std::optional<double> seconds;
  std::optional<long> frame;
  std::string image;
};

struct Options {
  std::string input, output;
  std::string input_format, output_format;  // -f before -i is the input's, after it the output's
  std::string video_codec, pixel_format;
  std::string hwaccel;  // -hwaccel cuda: NVDEC decoding where possible (media::InputOptions::hwaccel)
  std::map<std::string, std::string> codec_options;  // crf, preset, b
  double start = 0;                                  // -ss, seconds
  std::optional<double> duration;                    // -t, seconds
  bool overwrite = false;                            // -y
  // --model, --device, --precision, --render-size, --threads, --temporal-smoothing, --lookahead
  engine::ColorizerOptions engine = engine::default_options(engine::Use::Files);
  int batch = 0;  // 0: 1 on the CPU, 8 on CUDA
  bool preview = false;
  int log_level = 0;          // an AV_LOG_* value
  std::optional<bool> stats;  // status line: default on a terminal only
  std::string progress;       // -progress FILE or -
  std::optional<PieceJob> pieces;
  std::string work_dir;                   // --work-dir: where the pieces are kept; empty: OUTPUT.pieces
  std::vector<ReferenceSpec> references;  // --reference, in the order given
  std::string references_dir;             // --references: read when the job starts
};

// What parsing decided: run with the options, or exit at once (help printed, or a usage error).
struct ParseResult {
  std::optional<Options> options;
  int exit_code = 0;
};

ParseResult parse_options(int argc, const char* const* argv);

// "01:02:03.5", "93.5", "90" -> seconds, as ffmpeg reads durations; nullopt when malformed.
std::optional<double> parse_time(const std::string& text);

}  // namespace colorize::cli
