#include "ffmpeg-tool/progress.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace colorize::cli {

std::string format_clock(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  const long centis = std::lround(seconds * 100);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld.%02ld", centis / 360000, centis / 6000 % 60,
                centis / 100 % 60, centis % 100);
  return buf;
}

Progress::Progress(bool status_line, const std::string& path) : status_line_(status_line) {
  if (path == "-") {
    file_ = stdout;
  } else if (!path.empty()) {
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr)
      throw std::runtime_error("-progress: cannot write '" + path + "': " + std::strerror(errno));
    owns_file_ = true;
  }
}

Progress::~Progress() {
  if (owns_file_) std::fclose(file_);
}

void Progress::update(const ProgressSnapshot& s) { write(s, false); }
void Progress::finish(const ProgressSnapshot& s) { write(s, true); }

void Progress::write(const ProgressSnapshot& s, bool last) {
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fps = wall > 0 ? static_cast<double>(s.frames) / wall : 0;
  const double speed = wall > 0 ? s.media_seconds / wall : 0;
  if (status_line_) {
    std::string eta = "N/A";
    if (s.total_seconds && speed > 0)
      eta = format_clock(std::max(0.0, (*s.total_seconds - s.media_seconds) / speed));
    std::fprintf(stderr, "\rframe=%6ld fps=%5.1f time=%s speed=%5.3gx eta=%s   ", s.frames, fps,
                 format_clock(s.media_seconds).c_str(), speed, eta.c_str());
    if (last) std::fputc('\n', stderr);
    std::fflush(stderr);
  }
  if (file_ != nullptr) {
    std::fprintf(file_, "frame=%ld\nfps=%.2f\nout_time_us=%lld\nout_time=%s\nspeed=%.3gx\nprogress=%s\n",
                 s.frames, fps, static_cast<long long>(std::llround(s.media_seconds * 1e6)),
                 format_clock(s.media_seconds).c_str(), speed, last ? "end" : "continue");
    std::fflush(file_);
  }
}

}  // namespace colorize::cli
