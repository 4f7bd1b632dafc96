#include "ffmpeg-tool/destination.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "media/output.hpp"

namespace colorize::cli {
namespace {

namespace fs = std::filesystem;

// A name beside the output, so the final rename stays within one file system.
fs::path temporary_name(const fs::path& output, int pid) {
  return output.parent_path() /
         ("." + output.filename().string() + ".colorize-" + std::to_string(pid) + ".part");
}

// Where a chain of symbolic links ends (the path itself when it is none): an output named by a link is
// written where the link points, as ffmpeg writes through it, and the link stays a link.
fs::path follow_links(fs::path path) {
  std::error_code ec;
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(path, ec)); ++hops) {
    const fs::path target = fs::read_symlink(path, ec);
    if (ec) break;
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
  return path;
}

}  // namespace

Destination plan_destination(const std::string& output, const std::string& format, bool overwrite, int pid) {
  Destination d;
  const bool standard_output = output == "-";
  d.url = standard_output ? "pipe:1" : output;
  // Throws when no muxer matches: standard output has no extension to tell one by.
  if (media::writes_no_file(media::guess_output_format(format, d.url))) {
    d.kind = Destination::Kind::None;
    return d;
  }
  const std::string protocol = media::protocol_of(d.url);
  if (protocol != "file") {
    d.kind = Destination::Kind::Stream;  // pipe:, udp://, rtmp://, ...
    return d;
  }
  d.path = follow_links(output.rfind("file:", 0) == 0 ? output.substr(5) : output).string();
  std::error_code ec;
  const fs::file_status status = fs::status(d.path, ec);
  if (fs::is_directory(status))
    throw std::invalid_argument("'" + d.path + "' is a folder, not a file to write");
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    // A FIFO, a character device (/dev/null, /dev/stdout), a socket: written into, never replaced.
    d.kind = Destination::Kind::Stream;
    d.url = d.path;
    return d;
  }
  if (fs::exists(status) && !overwrite)
    throw std::invalid_argument("'" + d.path + "' already exists; use -y to overwrite it");
  d.kind = Destination::Kind::File;
  d.temporary_path = temporary_name(d.path, pid).string();
  d.url = d.temporary_path;
  return d;
}

}  // namespace colorize::cli
