// Where the colorized output goes, decided before any work starts. A file is written under a
// temporary name beside it and renamed when complete, so no run leaves a half-written file that looks
// finished. What is not a regular file is written directly, as ffmpeg does: standard output (-o -),
// pipes and devices that exist (a FIFO, /dev/null), protocol URLs (pipe:1, udp://...). Formats that
// write no file (-f null) get nothing opened at all.
#pragma once

#include <string>

namespace colorize::cli {

struct Destination {
  enum class Kind {
    File,    // written to temporary_path, renamed to path when complete
    Stream,  // written directly to url: a partial run leaves partial output, the exit status says so
    None,    // the muxer writes nothing (-f null)
  };
  Kind kind = Kind::File;
  std::string path;            // File: the final name
  std::string temporary_path;  // File: where it is written until complete
  std::string url;             // what the muxer opens: temporary_path, or the pipe, device or URL
};

// Throws std::invalid_argument with a message for the user (a folder, a missing -f for standard output,
// a file that exists without -y). `format` is -f's value or empty; `pid` makes the temporary name unique.
Destination plan_destination(const std::string& output, const std::string& format, bool overwrite, int pid);

}  // namespace colorize::cli
