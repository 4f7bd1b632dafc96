// CUDA kernels of the engine's colour passes: thread indexing around the per-pixel functions of
// kernel_pixels.hpp, which the CPU tests check against the reference.
#include "color/frame_kernels.hpp"

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "color/kernel_pixels.hpp"

namespace colorize::color::cuda {
namespace {

using kernels::ComposeSource;
using kernels::InputTarget;
using kernels::Matrices;
using kernels::MutablePixels;
using kernels::Pixels;

const dim3 kBlock(32, 8);

dim3 grid_for(int width, int height, dim3 block = kBlock) {
  return dim3((static_cast<unsigned>(width) + block.x - 1) / block.x,
              (static_cast<unsigned>(height) + block.y - 1) / block.y);
}

void check_launch(const char* what) {
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}

__global__ void area_input_kernel(Pixels f, Matrices m, InputTarget t) {
  const int ox = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int oy = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (ox < t.net_width && oy < t.net_height) kernels::area_input_pixel(f, m, t, ox, oy);
}

__global__ void lightness_kernel(Pixels f, Matrices m, float* L, std::ptrdiff_t stride) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x < f.width && y < f.height) L[y * stride + x] = kernels::lightness_at(f, m, x, y);
}

__global__ void bilinear_input_kernel(const float* L, std::ptrdiff_t stride, int width, int height,
                                      InputTarget t) {
  const int ox = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int oy = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (ox < t.net_width && oy < t.net_height)
    kernels::bilinear_input_pixel(L, stride, width, height, t, ox, oy);
}

__global__ void compose_rgb_kernel(ComposeSource s, Matrices m, MutablePixels f) {
  const int x = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int y = static_cast<int>(blockIdx.y * blockDim.y + threadIdx.y);
  if (x < f.width && y < f.height)
    kernels::write_rgb_pixel(f, m, kernels::compose_linear(s, m, f.width, f.height, x, y), x, y);
}

// 4:2:0 output: a block writes a tile of kTile x kTile chroma samples and the 2 kTile x 2 kTile luma
// pixels under them. Each chroma sample filters the Cb, Cr of luma pixels 2c - 1 .. 2c + 2 on each axis,
// so the block computes its luma tile with a one-pixel border into shared memory (the border pixels
// are computed by both neighbouring blocks; only their owner writes their Y').
constexpr int kTile = 16;
constexpr int kSpan = 2 * kTile + 2;

__global__ void compose_yuv420_kernel(ComposeSource s, Matrices m, MutablePixels f) {
  __shared__ float cb[kSpan][kSpan];
  __shared__ float cr[kSpan][kSpan];
  const int cx0 = static_cast<int>(blockIdx.x) * kTile, cy0 = static_cast<int>(blockIdx.y) * kTile;
  const int gx0 = 2 * cx0 - 1, gy0 = 2 * cy0 - 1;  // luma position of shared element [0][0]
  const int thread = static_cast<int>(threadIdx.y * blockDim.x + threadIdx.x);
  const int threads = static_cast<int>(blockDim.x * blockDim.y);
  for (int i = thread; i < kSpan * kSpan; i += threads) {
    const int tx = i % kSpan, ty = i / kSpan;
    const int x = gx0 + tx, y = gy0 + ty;
    if (x < 0 || y < 0 || x >= f.width || y >= f.height) continue;  // no chroma tap reads these
    const YuvFloat v = kernels::yuv_of(f, kernels::compose_linear(s, m, f.width, f.height, x, y));
    const bool owned = tx >= 1 && tx <= 2 * kTile && ty >= 1 && ty <= 2 * kTile;
    if (owned) f.data[0][y * f.stride[0] + x] = to_code(v.y);
    cb[ty][tx] = v.cb;
    cr[ty][tx] = v.cr;
  }
  __syncthreads();
  const int cx = cx0 + static_cast<int>(threadIdx.x), cy = cy0 + static_cast<int>(threadIdx.y);
  if (cx < chroma_extent(f.width) && cy < chroma_extent(f.height))
    kernels::write_chroma(f, cx, cy, [&](int x, int y) {
      return YuvFloat{0.0f, cb[y - gy0][x - gx0], cr[y - gy0][x - gx0]};
    });
}

}  // namespace

bool device_available(std::string* why_not) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    if (why_not) *why_not = e != cudaSuccess ? cudaGetErrorString(e) : "no CUDA device";
    cudaGetLastError();  // clear the sticky error this call may leave
    return false;
  }
  return true;
}

void frame_to_network_input(const FrameView& frame, const Plane& L, const Plane& net, cudaStream_t stream) {
  validate(frame, "input frame", Memory::Cuda);
  validate(L, frame.width, frame.height, "L");
  if (net.data == nullptr || net.width < 1 || net.height < 1 || net.stride < net.width)
    throw std::invalid_argument("network input plane is empty or its stride is short");
  const Pixels f = kernels::pixels_of(frame);
  const Matrices m = kernels::matrices();
  const InputTarget t{L.data, L.stride, net.data, net.stride, net.width, net.height};
  if (net.width <= frame.width && net.height <= frame.height) {
    area_input_kernel<<<grid_for(net.width, net.height), kBlock, 0, stream>>>(f, m, t);
    check_launch("frame_to_network_input");
    return;
  }
  lightness_kernel<<<grid_for(frame.width, frame.height), kBlock, 0, stream>>>(f, m, L.data, L.stride);
  check_launch("frame_to_network_input (lightness)");
  bilinear_input_kernel<<<grid_for(net.width, net.height), kBlock, 0, stream>>>(L.data, L.stride, frame.width,
                                                                                frame.height, t);
  check_launch("frame_to_network_input (resize)");
}

void lab_to_frame(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b,
                  const MutableFrameView& frame, cudaStream_t stream) {
  validate(frame, "output frame", Memory::Cuda);
  validate_lab(L, a, b, frame.width, frame.height);
  if (a.stride != b.stride) throw std::invalid_argument("planes a and b must have one stride");
  const ComposeSource s{L.data, L.stride, a.data, b.data, a.stride, a.width, a.height};
  const MutablePixels f = kernels::pixels_of(frame);
  const Matrices m = kernels::matrices();
  if (is_yuv420(frame.format)) {
    const dim3 block(kTile, kTile);
    compose_yuv420_kernel<<<grid_for(chroma_extent(frame.width), chroma_extent(frame.height), block), block,
                            0, stream>>>(s, m, f);
  } else {
    compose_rgb_kernel<<<grid_for(frame.width, frame.height), kBlock, 0, stream>>>(s, m, f);
  }
  check_launch("lab_to_frame");
}

}  // namespace colorize::color::cuda
