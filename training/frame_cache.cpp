#include "training/frame_cache.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace colorize::training {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& folder) {
  throw std::runtime_error("frame cache in '" + folder + "': " + what + ": " + std::strerror(errno));
}

}  // namespace

FrameCacheFile::FrameCacheFile(const std::string& folder) : folder_(folder) {
  std::string name = folder + "/colorize-frames-XXXXXX";
  std::vector<char> path(name.begin(), name.end());
  path.push_back('\0');
  fd_ = ::mkstemp(path.data());
  if (fd_ < 0) fail("cannot create a file", folder_);
  ::unlink(path.data());  // the open descriptor keeps it until we close it
}

FrameCacheFile::~FrameCacheFile() {
  if (mapped_ != nullptr) ::munmap(const_cast<std::uint8_t*>(mapped_), size_);
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t FrameCacheFile::append(const std::uint8_t* data, std::size_t size) {
  std::lock_guard lock(mutex_);
  if (mapped_ != nullptr) throw std::logic_error("frame cache: append after map");
  const std::uint64_t offset = size_;
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write decoded frames (disk full?)", folder_);
    done += static_cast<std::size_t>(n);
  }
  size_ += size;
  return offset;
}

void FrameCacheFile::map() {
  std::lock_guard lock(mutex_);
  if (mapped_ != nullptr || size_ == 0) return;
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) fail("cannot map the decoded frames", folder_);
  mapped_ = static_cast<const std::uint8_t*>(p);
}

}  // namespace colorize::training
