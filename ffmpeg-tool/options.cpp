#include "ffmpeg-tool/options.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <boost/program_options.hpp>
#include <cmath>
#include <cstring>
#include <iostream>
#include <sstream>
#include <tuple>
#include <vector>

#include "flags/engine_flags.hpp"
#include "util/whole_number.hpp"

namespace colorize::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "colorize: black-and-white video in, colour video out (pix2pix U-Net on the L*a*b* lightness).\n\n"
    "usage: colorize [options] -i INPUT [options] -o OUTPUT\n"
    "  e.g. colorize -i old_film.mkv -o colour.mkv\n"
    "       colorize -i photo.jpg -o photo-colour.png\n"
    "       colorize -f v4l2 -i /dev/video0 -t 30 -o webcam.mp4\n\n";

struct LogLevel {
  const char* name;
  int level;
};
constexpr LogLevel kLogLevels[] = {{"quiet", AV_LOG_QUIET},     {"panic", AV_LOG_PANIC},
                                   {"fatal", AV_LOG_FATAL},     {"error", AV_LOG_ERROR},
                                   {"warning", AV_LOG_WARNING}, {"info", AV_LOG_INFO},
                                   {"verbose", AV_LOG_VERBOSE}, {"debug", AV_LOG_DEBUG}};

// A bound against slips of the keyboard: 10,000 pieces of a 130,000-frame film are 13 frames each.
constexpr int kMaxPieces = 10000;

[[noreturn]] void bad(const std::string& why) { throw po::error(why); }

}  // namespace

std::optional<double> parse_time(const std::string& text) {
  // [[HH:]MM:]SS[.m...], as ffmpeg's time duration syntax
  std::vector<double> parts;
  std::stringstream in(text);
  std::string field;
  while (std::getline(in, field, ':')) {
    if (field.empty()) return std::nullopt;
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(field, &used);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (used != field.size() || v < 0 || !std::isfinite(v)) return std::nullopt;
    parts.push_back(v);
  }
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  double seconds = 0;
  for (double p : parts) seconds = seconds * 60 + p;
  return seconds;
}

ParseResult parse_options(int argc, const char* const* argv) {
  std::string log_level = "info", ss, t, crf, preset, bitrate, segment;
  std::vector<std::string> references;
  int join = 0, segments = 0;
  flags::EngineFlags engine_flags(engine::Use::Files);  // --model, --device, ... (engine/settings.hpp)
  Options o;
  // clang-format off
  po::options_description io("Input and output");
  io.add_options()
      ("help,h", "print this help and exit")
      ("i", po::value<std::string>(&o.input)->value_name("INPUT"),
       "input: a file, URL, still image, capture device (with -f v4l2, ...), or - for standard input")
      ("o", po::value<std::string>(&o.output)->value_name("OUTPUT"),
       "output file; the container follows its extension unless -f says otherwise")
      ("f", po::value<std::vector<std::string>>()->composing()->value_name("FORMAT"),
       "force a format: before -i for the input (v4l2, lavfi, ...), after it for the output")
      ("y", po::bool_switch(&o.overwrite), "overwrite OUTPUT if it exists (otherwise refuse)")
      ("ss", po::value<std::string>(&ss)->value_name("TIME"), "start at TIME ([HH:]MM:SS[.m] or seconds)")
      ("t", po::value<std::string>(&t)->value_name("DURATION"), "stop after DURATION of video")
      ("hwaccel", po::value<std::string>(&o.hwaccel)->value_name("cuda|none"),
       "decode with NVDEC (cuda) where the codec and the machine allow (with the engine on CUDA, 8-bit 4:2:0 "
       "frames then stay in GPU memory); otherwise on the CPU, with a warning that says why (default none)");
  po::options_description enc("Encoding");
  enc.add_options()
      ("c:v", po::value<std::string>(&o.video_codec)->value_name("CODEC"),
       "video encoder (default libx264 for mp4/mkv/mov, else the container's default); a hardware "
       "encoder (h264_nvenc, ...) that cannot open falls back to a CPU encoder of its codec, with a warning")
      ("crf", po::value<std::string>(&crf)->value_name("N"), "constant rate factor (x264: 0-51, default 23)")
      ("preset", po::value<std::string>(&preset)->value_name("NAME"), "encoder preset (x264: ultrafast ... veryslow)")
      ("b:v", po::value<std::string>(&bitrate)->value_name("RATE"), "video bit rate, e.g. 4M")
      ("pix_fmt", po::value<std::string>(&o.pixel_format)->value_name("FORMAT"),
       "encoded pixel format (default: the encoder's first that colorize writes directly)");
  po::options_description eng("Colorization");
  engine_flags.add_to(eng);
  eng.add_options()
      ("batch", po::value<int>(&o.batch)->value_name("N"), "frames per network call (default 1 on CPU, 8 on CUDA)")
      ("preview", po::bool_switch(&o.preview), "write input | output side by side, for judging")
      ("reference", po::value<std::vector<std::string>>(&references)->composing()->value_name("TIME=IMAGE"),
       "colours for the frame at TIME ([HH:]MM:SS[.m] or seconds from the input's start) from IMAGE, a "
       "colour picture of it at any size (the frame painted, or a photograph of the scene); they are "
       "carried along the motion through the frame's shot, both ways, never across a cut (repeatable; "
       "the input is read twice)")
      ("references", po::value<std::string>(&o.references_dir)->value_name("DIR"),
       "every picture in DIR as a reference, named by time (12.5s.png, 01:02.5.png) or by frame number "
       "counted from 0 at the first frame coloured (000312.png)");
  po::options_description longfilm("Long films in pieces (a scheduler's job array, resumable runs)");
  longfilm.add_options()
      ("segment", po::value<std::string>(&segment)->value_name("K/N"),
       "colour piece K of N of the input's video into the work directory (pieces start and end at exact "
       "frames; smoothing is warmed up before a piece and looks ahead past its end, so joins show no seam)")
      ("join", po::value<int>(&join)->value_name("N"),
       "join the N finished pieces into OUTPUT without re-encoding, with the input's audio, subtitles, "
       "chapters and metadata; the pieces are removed once OUTPUT is written")
      ("segments", po::value<int>(&segments)->value_name("N"),
       "both in one command: colour the pieces not yet finished, then join them (run again after an "
       "interruption, it keeps the finished pieces)")
      ("work-dir", po::value<std::string>(&o.work_dir)->value_name("DIR"),
       "where pieces are kept (default OUTPUT.pieces, beside OUTPUT)");
  po::options_description rep("Reporting");
  rep.add_options()
      ("loglevel", po::value<std::string>(&log_level)->value_name("LEVEL"),
       "quiet, panic, fatal, error, warning, info (default), verbose, debug")
      ("v", po::value<std::string>(&log_level)->value_name("LEVEL"), "same as -loglevel")
      ("stats", "print the status line even when stderr is not a terminal")
      ("nostats", "never print the status line")
      ("progress", po::value<std::string>(&o.progress)->value_name("FILE|-"),
       "write key=value progress blocks to FILE (or - for stdout), for scripts");
  // clang-format on
  po::options_description all;
  all.add(io).add(enc).add(eng).add(longfilm).add(rep);

  try {
    // No guessing of abbreviations: ffmpeg's -r (frame rate) would silently become --render-size.
    const auto style = (po::command_line_style::unix_style & ~po::command_line_style::allow_guessing) |
                       po::command_line_style::allow_long_disguise;
    po::parsed_options parsed = po::command_line_parser(argc, argv).options(all).style(style).run();
    po::variables_map vm;
    po::store(parsed, vm);
    po::notify(vm);
    if (vm.count("help")) {
      // Boost prints every long option with "--"; ffmpeg's own options read better as ffmpeg spells them.
      std::ostringstream text;
      text << all;
      std::string help = text.str();
      for (const char* name : {"i ", "o ", "f ", "y ", "ss ", "t ", "c:v ", "crf ", "preset ", "b:v ",
                               "pix_fmt ", "loglevel ", "v ", "stats ", "nostats ", "progress "})
        for (std::size_t at; (at = help.find(std::string("  --") + name)) != std::string::npos;)
          help.replace(at, 4 + std::strlen(name), std::string("  -") + name + " ");  // same width
      std::cout << kUsage << help << "\n";
      return {std::nullopt, 0};
    }
    // -f applies to the input when it comes before -i, else to the output, as in ffmpeg.
    bool seen_input = false;
    for (const auto& opt : parsed.options) {
      if (opt.string_key == "i") seen_input = true;
      if (opt.string_key == "f" && !opt.value.empty())
        (seen_input ? o.output_format : o.input_format) = opt.value[0];
    }
    if (o.input.empty()) bad("no input: give one with -i INPUT");
    if (o.output.empty()) bad("no output: give one with -o OUTPUT");
    if (!ss.empty()) {
      const auto v = parse_time(ss);
      if (!v) bad("-ss: '" + ss + "' is not a time ([HH:]MM:SS[.m] or seconds)");
      o.start = *v;
    }
    if (!t.empty()) {
      const auto v = parse_time(t);
      if (!v || *v <= 0) bad("-t: '" + t + "' is not a positive duration");
      o.duration = *v;
    }
    if (vm.count("segment") + vm.count("join") + vm.count("segments") > 1)
      bad("--segment, --join and --segments are different steps: give one");
    if (vm.count("segment")) {
      const auto slash = segment.find('/');
      const int k = util::whole_number(segment.substr(0, slash)).value_or(0);
      const int n =
          slash == std::string::npos ? 0 : util::whole_number(segment.substr(slash + 1)).value_or(0);
      if (k < 1 || n < 1 || k > n || n > kMaxPieces)
        bad("--segment: '" + segment + "' is not K/N with 1 <= K <= N <= " + std::to_string(kMaxPieces));
      o.pieces = PieceJob{PieceJob::Step::Colour, k, n};
    }
    for (const auto& [name, n, step] : {std::tuple{"--join", join, PieceJob::Step::Join},
                                        std::tuple{"--segments", segments, PieceJob::Step::All}}) {
      if (vm.count(name + 2) == 0) continue;
      if (n < 1 || n > kMaxPieces)
        bad(std::string(name) + ": " + std::to_string(n) + " is outside 1-" + std::to_string(kMaxPieces));
      o.pieces = PieceJob{step, 0, n};
    }
    if (!o.work_dir.empty() && !o.pieces) bad("--work-dir: only for --segment, --join and --segments");
    if (o.pieces && (!ss.empty() || !t.empty()))
      bad("-ss and -t do not combine with pieces: pieces cut the whole input");
    if (o.pieces && o.preview) bad("--preview does not combine with pieces");
    for (const auto& r : references) {
      const auto equals = r.find('=');
      const auto at = equals == std::string::npos ? std::nullopt : parse_time(r.substr(0, equals));
      if (!at || equals + 1 >= r.size())
        bad("--reference: '" + r + "' is not TIME=IMAGE (TIME as [HH:]MM:SS[.m] or seconds)");
      o.references.push_back({at, std::nullopt, r.substr(equals + 1)});
    }
    if (o.pieces && (!o.references.empty() || !o.references_dir.empty()))
      bad("--reference and --references do not combine with pieces yet: colour the film in one run");
    if (!crf.empty()) o.codec_options["crf"] = crf;
    if (!preset.empty()) o.codec_options["preset"] = preset;
    if (!bitrate.empty()) o.codec_options["b"] = bitrate;
    engine_flags.apply(vm, o.engine);
    if (!o.hwaccel.empty() && o.hwaccel != "cuda" && o.hwaccel != "none")
      bad("-hwaccel: '" + o.hwaccel + "' is not cuda or none");
    // 0 stands for "not given" (1 on the CPU, 8 on CUDA); a user's value must be a batch.
    if (vm.count("batch") && (o.batch < 1 || o.batch > 256))
      bad("--batch: " + std::to_string(o.batch) + " is outside 1-256");
    bool known_level = false;
    for (const auto& l : kLogLevels)
      if (log_level == l.name) {
        o.log_level = l.level;
        known_level = true;
      }
    if (!known_level) bad("-loglevel: unknown level '" + log_level + "'");
    if (vm.count("stats")) o.stats = true;
    if (vm.count("nostats")) o.stats = false;
    return {o, 0};
  } catch (const po::error& e) {
    std::cerr << "colorize: " << e.what() << "\n(colorize --help lists the options)\n";
    return {std::nullopt, 2};
  }
}

}  // namespace colorize::cli
