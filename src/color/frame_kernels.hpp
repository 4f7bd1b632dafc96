// The engine's two colour passes on the GPU (CUDA), for frames whose planes are in device memory:
// frame -> full-resolution L* and the network's input in one pass, and L* + the network's a*b* -> frame
// in one pass with the a*b* upsampling fused in. The CPU versions (frame_lab.hpp and the engine's
// resize) are the reference: the per-pixel arithmetic is shared (kernel_pixels.hpp) and the tests hold
// the GPU's output to within one code value of the CPU's.
//
// Every function only enqueues work on `stream` and returns; it throws std::invalid_argument for views
// that do not fit and std::runtime_error naming the CUDA error when a launch fails.
#pragma once

#include <cuda_runtime_api.h>

#include <string>

#include "color/frame_view.hpp"
#include "color/plane.hpp"

namespace colorize::color::cuda {

// Whether a CUDA device can be used here, and if not, why (the runtime's words).
bool device_available(std::string* why_not = nullptr);

// L: frame-sized, L* written. net: the network's input size; L* resized (an area mean when net is no
// larger than the frame on both axes, else bilinear with half-pixel centres: torch's adaptive_avg_pool2d
// and upsample_bilinear2d, as the CPU path). The engine normalises it for the model, as on the CPU.
void frame_to_network_input(const FrameView& frame, const Plane& L, const Plane& net, cudaStream_t stream);

// frame (any format) from L* (frame-sized) and a*, b* (any size, upsampled bilinearly on the fly).
void lab_to_frame(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b,
                  const MutableFrameView& frame, cudaStream_t stream);

}  // namespace colorize::color::cuda
