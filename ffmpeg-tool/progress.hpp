// Progress as ffmpeg shows it: a status line on the terminal (frame, fps, time, speed, ETA) and
// key=value blocks for scripts (-progress FILE|-).
#pragma once

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

namespace colorize::cli {

struct ProgressSnapshot {
  long frames = 0;
  double media_seconds = 0;             // output time reached
  std::optional<double> total_seconds;  // of the selected input range, when known
};

class Progress {
 public:
  // status_line: draw the terminal line on stderr; progress_path: "", "-" (stdout) or a file.
  Progress(bool status_line, const std::string& progress_path);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(const ProgressSnapshot& s);  // at most a few times a second
  void finish(const ProgressSnapshot& s);  // the last line and "progress=end"

 private:
  void write(const ProgressSnapshot& s, bool last);

  bool status_line_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::string format_clock(double seconds);  // 00:01:02.50

}  // namespace colorize::cli
