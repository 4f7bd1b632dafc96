// A frame in GPU memory, its planes packed one after another (each row exactly as long as it needs),
// with the page-locked host buffer its uploads and downloads go through. Buffers are kept from frame
// to frame and grow only when a larger frame comes.
#pragma once

#include <cuda_runtime_api.h>

#include "color/cuda_memory.hpp"
#include "color/frame_view.hpp"

namespace colorize::color::cuda {

class DeviceFrame {
 public:
  // Lays the planes out for a frame of this format, size and encoding (contents undefined).
  void reshape(PixelFormat format, int width, int height, YuvEncoding yuv);

  // Enqueues a copy of `host` (any strides) to the device on `stream`, reshaping to fit it. The host
  // frame may be reused as soon as this returns: it is copied into the page-locked buffer first.
  void upload(const FrameView& host, cudaStream_t stream);

  // Enqueues the copy of the device frame to the page-locked buffer on `stream`; finish_download then
  // waits for it and writes `host` (this frame's format and size, any strides).
  void start_download(cudaStream_t stream);
  void finish_download(const MutableFrameView& host);

  // Work enqueued on `stream` after this call waits for the last upload or download to finish.
  void make_wait(cudaStream_t stream) const { copied_.make_wait(stream); }

  // The device planes, for kernels.
  MutableFrameView view() const;

 private:
  struct Layout {
    std::ptrdiff_t offset[3]{}, stride[3]{};
    std::size_t bytes = 0;
  };
  Layout layout_;
  MutableFrameView shape_;  // format, size, encoding; pointers filled by view()
  DeviceBuffer device_;
  PinnedBuffer staging_;
  Event copied_;  // the last copy between staging_ and device_: staging_ is busy until it completes
};

}  // namespace colorize::color::cuda
