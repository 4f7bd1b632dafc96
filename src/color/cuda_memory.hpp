// RAII owners of CUDA runtime handles: device and pinned host memory, streams and events. Each frees
// its handle in its destructor and is movable, not copyable; every failing call throws
// std::runtime_error naming the call and the runtime's reason.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace colorize::color::cuda {

inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}

// A handle and the function that releases it.
template <class Handle, cudaError_t (*Release)(Handle)>
class Owned {
 public:
  Owned() = default;
  explicit Owned(Handle h) : handle_(h) {}
  ~Owned() {
    if (handle_) Release(handle_);
  }
  Owned(Owned&& other) noexcept : handle_(std::exchange(other.handle_, Handle{})) {}
  Owned& operator=(Owned&& other) noexcept {
    if (this != &other) {
      if (handle_) Release(handle_);
      handle_ = std::exchange(other.handle_, Handle{});
    }
    return *this;
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Handle get() const { return handle_; }

 private:
  Handle handle_{};
};

// Memory from Allocate, released with Release; reallocated (contents not kept) only when a larger size
// is asked for.
template <cudaError_t (*Allocate)(void**, std::size_t), cudaError_t (*Release)(void*)>
class Buffer {
 public:
  void reserve(std::size_t bytes) {
    if (bytes <= bytes_) return;
    memory_ = {};  // free first
    void* p = nullptr;
    check(Allocate(&p, bytes), "allocating CUDA memory");
    memory_ = Memory(p);
    bytes_ = bytes;
  }
  void* data() const { return memory_.get(); }
  std::size_t size() const { return bytes_; }

 private:
  using Memory = Owned<void*, Release>;
  Memory memory_;
  std::size_t bytes_ = 0;
};

using DeviceBuffer = Buffer<cudaMalloc, cudaFree>;
// Page-locked host memory, so that copies to and from the device run asynchronously at full speed.
using PinnedBuffer = Buffer<cudaMallocHost, cudaFreeHost>;

// A stream that does not synchronise with the legacy default stream.
class Stream {
 public:
  Stream() {
    cudaStream_t s = nullptr;
    check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
    stream_ = Handle(s);
  }
  cudaStream_t get() const { return stream_.get(); }
  void synchronize() const { check(cudaStreamSynchronize(stream_.get()), "cudaStreamSynchronize"); }

 private:
  using Handle = Owned<cudaStream_t, cudaStreamDestroy>;
  Handle stream_;
};

// An event without timing, for ordering work between streams.
class Event {
 public:
  Event() {
    cudaEvent_t e = nullptr;
    check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cudaEventCreateWithFlags");
    event_ = Handle(e);
  }
  cudaEvent_t get() const { return event_.get(); }
  void record(cudaStream_t s) const { check(cudaEventRecord(event_.get(), s), "cudaEventRecord"); }
  // Work enqueued on `s` after this call waits for the work recorded before.
  void make_wait(cudaStream_t s) const {
    check(cudaStreamWaitEvent(s, event_.get(), 0), "cudaStreamWaitEvent");
  }
  void synchronize() const { check(cudaEventSynchronize(event_.get()), "cudaEventSynchronize"); }

 private:
  using Handle = Owned<cudaEvent_t, cudaEventDestroy>;
  Handle event_;
};

}  // namespace colorize::color::cuda
