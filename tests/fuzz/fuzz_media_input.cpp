// libFuzzer target: media::Input (probe, demux, decode, flush) on any bytes, held in memory (a memfd,
// opened through its /proc path, so that seeking demuxers such as MP4 are reached too). Every frame
// decoded goes through the frame adapter as the CLI's would. A bad input must end in MediaError.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "media/frame_adapter.hpp"
#include "media/input.hpp"

namespace {

// An in-memory file holding the input, closed at the end of the run.
class MemoryFile {
 public:
  MemoryFile(const std::uint8_t* data, std::size_t size) : fd_(memfd_create("fuzz-input", MFD_CLOEXEC)) {
    for (std::size_t done = 0; fd_ >= 0 && done < size;) {
      const ssize_t n = write(fd_, data + done, size - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
  }
  ~MemoryFile() {
    if (fd_ >= 0) close(fd_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  colorize::media::set_log_level(AV_LOG_QUIET);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  MemoryFile file(data, size);
  if (!file.ok()) return 0;
  colorize::media::InputOptions options;
  options.url = file.path();
  options.decoder_threads = 1;  // deterministic, and no thread pool per input
  try {
    colorize::media::Input input(options);
    long frames = 0;
    input.run([&](AVFrame* frame) {
      if (const auto view = colorize::media::view_of(*frame))
        if (view->width != frame->width || view->height != frame->height) __builtin_trap();
      return ++frames < 50;  // enough to reach every path; a hostile header may promise millions
    });
  } catch (const colorize::media::MediaError&) {
  }
  return 0;
}
