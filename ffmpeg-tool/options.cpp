#include "ffmpeg-tool/options.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <boost/program_options.hpp>
#include <cmath>
#include <cstring>
#include <iostream>
#include <sstream>
#include <vector>

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
  std::string device = "auto", precision = "fp32", log_level = "info", ss, t, crf, preset, bitrate;
  std::string temporal = engine::temporal_smoothing_available() ? "file" : "off";
  Options o;
  // clang-format off
  po::options_description io("Input and output");
  io.add_options()
      ("help,h", "print this help and exit")
      ("i", po::value<std::string>(&o.input)->value_name("INPUT"),
       "input: a file, URL, still image, or capture device (with -f v4l2, ...)")
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
  eng.add_options()
      ("model", po::value<std::string>(&o.model)->value_name("FILE"),
       "generator model file (.safetensors; default: the bundled default model)")
      ("device", po::value<std::string>(&device)->value_name("cpu|cuda|auto"), "where the network runs (default auto)")
      ("precision", po::value<std::string>(&precision)->value_name("fp32|bf16|fp16"),
       "network precision (default fp32; fp16 needs CUDA)")
      ("render-size", po::value<int>(&o.render_size)->value_name("N"),
       "short side, in pixels, at which the network runs (default 256, 16-4096)")
      ("batch", po::value<int>(&o.batch)->value_name("N"), "frames per network call (default 1 on CPU, 8 on CUDA)")
      ("temporal-smoothing", po::value<std::string>(&temporal)->value_name("off|live|file"),
       "carry colour along the motion between frames, reset at scene cuts: live from the frames before, "
       "file (default) also from the 8 after; off when this build has no OpenCV")
      ("preview", po::bool_switch(&o.preview), "write input | output side by side, for judging")
      ("threads", po::value<int>(&o.threads)->value_name("N"), "CPU threads for the network (default: all cores)");
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
  all.add(io).add(enc).add(eng).add(rep);

  try {
    const auto style = po::command_line_style::unix_style | po::command_line_style::allow_long_disguise;
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
    if (!crf.empty()) o.codec_options["crf"] = crf;
    if (!preset.empty()) o.codec_options["preset"] = preset;
    if (!bitrate.empty()) o.codec_options["b"] = bitrate;
    if (device == "cpu")
      o.device = engine::Device::Cpu;
    else if (device == "cuda")
      o.device = engine::Device::Cuda;
    else if (device != "auto")
      bad("--device: '" + device + "' is not cpu, cuda or auto");
    if (!o.hwaccel.empty() && o.hwaccel != "cuda" && o.hwaccel != "none")
      bad("-hwaccel: '" + o.hwaccel + "' is not cuda or none");
    if (precision == "bf16")
      o.precision = engine::Precision::BFloat16;
    else if (precision == "fp16")
      o.precision = engine::Precision::Float16;
    else if (precision != "fp32")
      bad("--precision: '" + precision + "' is not fp32, bf16 or fp16");
    if (const auto mode = engine::temporal_smoothing_named(temporal))
      o.temporal = *mode;
    else
      bad("--temporal-smoothing: '" + temporal + "' is not off, live or file");
    if (o.temporal != engine::TemporalSmoothing::Off && !engine::temporal_smoothing_available())
      bad("--temporal-smoothing " + temporal +
          ": this build has no OpenCV video module (libopencv-video-dev)");
    if (o.render_size < 16 || o.render_size > 4096)
      bad("--render-size: " + std::to_string(o.render_size) + " is outside 16-4096");
    if (o.batch < 0 || o.batch > 256) bad("--batch: " + std::to_string(o.batch) + " is outside 1-256");
    if (o.threads < 0 || o.threads > 1024)
      bad("--threads: " + std::to_string(o.threads) + " is not a thread count");
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
