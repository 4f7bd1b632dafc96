#include "engine/gpu_colour.hpp"

#include <torch/torch.h>

#include <chrono>

#include "color/frame_kernels.hpp"
#include "engine/colorizer.hpp"
#include "engine/tensor_planes.hpp"

namespace colorize::engine {
namespace {

// LibTorch's kernels go to the device's default stream unless a stream guard says otherwise; ours join
// them there.
const cudaStream_t kTorchStream = nullptr;

}  // namespace

void GpuColour::to_lightness(const std::vector<color::FrameView>& in, const torch::Tensor& l_full,
                             const torch::Tensor& l_small, StageTimes& times) {
  const auto t0 = std::chrono::steady_clock::now();
  const int count = static_cast<int>(in.size());
  if (static_cast<int>(inputs_.size()) < count) inputs_.resize(static_cast<std::size_t>(count));
  // The input buffers may still be read by kernels enqueued for the previous batch.
  compute_done_.record(kTorchStream);
  compute_done_.make_wait(copies_.get());
  for (int i = 0; i < count; ++i) {
    color::FrameView source = in[static_cast<std::size_t>(i)];
    if (source.memory == color::Memory::Host) {
      color::cuda::DeviceFrame& frame = inputs_[static_cast<std::size_t>(i)];
      frame.upload(source, copies_.get());
      frame.make_wait(kTorchStream);
      source = frame.view();
    }
    // A frame already on the device (NVDEC's) is read in place. Its producer wrote it on the legacy
    // default stream, as FFmpeg's CUDA decoders do by default, which orders with this one.
    // L* at the network's size, as the CPU path has it (the temporal stabiliser reads it).
    color::cuda::frame_to_network_input(source, plane_of(l_full[i], 0), plane_of(l_small[i], 0),
                                        kTorchStream);
  }
  times.lightness += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void GpuColour::compose(const torch::Tensor& L, const torch::Tensor& ab, const color::MutableFrameView& out) {
  if (out.memory == color::Memory::Cuda) {  // written in place, finished before returning
    color::cuda::lab_to_frame(plane_of(L, 0), plane_of(ab, 0), plane_of(ab, 1), out, kTorchStream);
    color::cuda::check(cudaStreamSynchronize(kTorchStream), "cudaStreamSynchronize (compose)");
    return;
  }
  output_.reshape(out.format, out.width, out.height, out.yuv);
  color::cuda::lab_to_frame(plane_of(L, 0), plane_of(ab, 0), plane_of(ab, 1), output_.view(), kTorchStream);
  compute_done_.record(kTorchStream);
  compute_done_.make_wait(copies_.get());
  output_.start_download(copies_.get());
  output_.finish_download(out);
}

}  // namespace colorize::engine
