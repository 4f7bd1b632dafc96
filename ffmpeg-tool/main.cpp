// colorize: any FFmpeg input to a colorized output, audio and everything else kept.
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "ffmpeg-tool/long_film.hpp"
#include "ffmpeg-tool/options.hpp"
#include "ffmpeg-tool/transcode.hpp"
#include "media/av_util.hpp"

namespace {

namespace fs = std::filesystem;
using colorize::cli::Options;

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
  g_signal = sig;
  g_stop = true;
}

int run(const Options& o) {
  // A piece of a long film goes into the work directory; only a join writes the output.
  const bool writes_output = !o.pieces || o.pieces->step != colorize::cli::PieceJob::Step::Colour;
  colorize::cli::Destination destination;
  try {
    if (writes_output)
      destination = colorize::cli::plan_destination(o.output, o.output_format, o.overwrite, getpid());
    else
      destination.kind = colorize::cli::Destination::Kind::None;
  } catch (const std::exception& e) {
    std::cerr << "colorize: " << e.what() << "\n";
    return 1;
  }
  const bool to_file = destination.kind == colorize::cli::Destination::Kind::File;
  std::error_code ec;
  if (to_file && fs::exists(o.input, ec) && fs::exists(destination.path, ec) &&
      fs::equivalent(o.input, destination.path, ec)) {
    std::cerr << "colorize: the output would overwrite the input '" << o.input << "'\n";
    return 1;
  }
  if (destination.url == "pipe:1" && o.progress == "-") {
    std::cerr << "colorize: -progress - and the output both want standard output; give -progress a file\n";
    return 1;
  }
  std::string model;
  try {
    model = colorize::engine::find_model(o.engine.model_path);
  } catch (const std::exception& e) {
    std::cerr << "colorize: " << e.what() << "\n";
    return 1;
  }
  if (o.log_level >= AV_LOG_VERBOSE) std::cerr << "colorize: model '" << model << "'\n";
  colorize::cli::Progress progress(o.stats.value_or(isatty(STDERR_FILENO) == 1 && o.log_level >= AV_LOG_INFO),
                                   o.progress);
  // Whatever happens, no temporary file stays behind.
  const auto discard = [&] {
    if (to_file) fs::remove(destination.temporary_path, ec);
  };
  const auto interrupted = [&] {
    discard();
    std::cerr << "colorize: interrupted; "
              << (to_file || o.pieces ? "nothing was written to '" + o.output + "'"
                                      : "the output is incomplete");
    if (o.pieces)
      std::cerr << "; the finished pieces stay in '" << colorize::cli::work_dir_of(o).string()
                << "' for the next run";
    std::cerr << "\n";
    return 128 + g_signal.load();
  };
  try {
    if (o.pieces) {
      const long frames = colorize::cli::run_pieces(o, model, destination, g_stop, progress);
      if (g_stop) return interrupted();
      if (writes_output && o.log_level >= AV_LOG_INFO)
        std::cerr << "colorize: joined " << frames << " frames into '" << o.output << "'\n";
      return 0;
    }
    colorize::engine::ColorizerOptions engine_options = o.engine;
    engine_options.model_path = model;
    colorize::engine::Colorizer colorizer(engine_options);
    const long frames = colorize::cli::transcode(o, colorizer, destination, g_stop, progress);
    if (g_stop) return interrupted();
    if (to_file) fs::rename(destination.temporary_path, destination.path);
    if (o.log_level >= AV_LOG_INFO)
      std::cerr << "colorize: wrote " << frames << " frames to '" << o.output << "'\n";
    return 0;
  } catch (const std::exception& e) {
    // A signal while the input opens (a network stream, a device) makes FFmpeg give up with "Immediate
    // exit requested": still an interruption, not a failure.
    // (g_stop alone is no sign: a failing stage sets it too, to stop the others.)
    if (g_signal.load() != 0) return interrupted();
    discard();
    std::cerr << "colorize: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Every frame allocates and frees the same frame-sized buffers (the network's activations above all).
  // By default glibc maps the large ones from the kernel and unmaps them again, and returns freed heap
  // to it, so each frame page-faults its memory in anew: about a fifth of the run at 360p. Kept in the
  // heap instead: 360p, ngf 32, 60 frames took 4.1 s instead of 4.9 s, 40 MB more resident.
  // One arena: a thread's own arena grows in heaps of at most 64 MB and maps what does not fit afresh,
  // so with some thread timings the network's buffers were still mapped anew every frame (640x480,
  // ngf 64, BGR0 out: 1.38 million page faults in 60 frames instead of 0.13, twice the run time).
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_ARENA_MAX, 1);
  const auto parsed = colorize::cli::parse_options(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  colorize::media::set_log_level(parsed.options->log_level);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // As ffmpeg: these end the run cleanly (the .part file removed, exit 128 + the signal); a closed
  // terminal (SIGHUP) or Ctrl-\ (SIGQUIT) would otherwise leave a .part file that no later run cleans.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaction(sig, &action, nullptr);
  // A reader that goes away (colorize -o - | head) makes the next write fail with EPIPE, an error
  // with a message, instead of killing the process silently; ffmpeg does the same.
  signal(SIGPIPE, SIG_IGN);
  return run(*parsed.options);
}
