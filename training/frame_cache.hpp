// Decoded training frames kept on disk instead of in memory, for sets larger than RAM: written once to
// a file in a folder of the user's choice and read back through a read-only memory map, so the
// operating system keeps in memory what fits and pages in what the batches touch. The file is unlinked
// as soon as it is created: it never outlives the run, not even a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace colorize::training {

class FrameCacheFile {
 public:
  // Creates the (already unlinked) file in `folder`; throws std::runtime_error with the system's reason.
  explicit FrameCacheFile(const std::string& folder);
  ~FrameCacheFile();
  FrameCacheFile(const FrameCacheFile&) = delete;
  FrameCacheFile& operator=(const FrameCacheFile&) = delete;

  // Appends bytes (thread-safe) and returns their offset in the file; throws when the disk is full.
  std::uint64_t append(const std::uint8_t* data, std::size_t size);
  // After the last append: maps the whole file read-only. data() is valid from then until destruction.
  void map();
  const std::uint8_t* data() const { return mapped_; }
  std::uint64_t size() const { return size_; }

 private:
  std::string folder_;
  int fd_ = -1;
  std::mutex mutex_;
  std::uint64_t size_ = 0;
  const std::uint8_t* mapped_ = nullptr;
};

}  // namespace colorize::training
