#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace colorize::util {
namespace {

// Closes the descriptor and removes the temporary file unless released.
class PendingFile {
 public:
  explicit PendingFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  ~PendingFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!done_) std::remove(path_.c_str());
  }
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  int fd() const { return fd_; }
  // Closes it for good: its data are on the disk; false (errno set) when the close fails.
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }
  void keep() { done_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool done_ = false;
};

[[noreturn]] void fail(const std::string& path, const char* what) {
  throw std::runtime_error("cannot write '" + path + "': " + what + std::strerror(errno));
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  const std::string tmp = path + ".tmp";
  PendingFile file(tmp);
  if (file.fd() < 0) fail(path, "");
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(file.fd(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(path, "");  // ENOSPC, EDQUOT, EIO, ...
    done += static_cast<std::size_t>(n);
  }
  // Delayed allocation can report a full disk only here; without fsync the rename could reach the
  // disk before the data and a power cut leave an empty file under the good name.
  if (::fsync(file.fd()) != 0) fail(path, "");
  if (!file.close()) fail(path, "");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(path, "renaming the finished file into place: ");
  file.keep();
}

}  // namespace colorize::util
