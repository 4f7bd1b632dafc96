// pix2pix's up-sampling layer, ConvTranspose2d(kernel 4, stride 2, padding 1), with its parameters named
// and shaped as torch's (weight: in x out x 4 x 4, bias: out), so state_dicts map unchanged.
//
// Why not torch's module: on the CPU, LibTorch 1.13 runs transposed convolutions with im2col/col2im
// (slow_conv_transpose2d), not oneDNN, and they took three quarters of the U-Net's time. Each output
// pixel of this layer depends on a 2x2 window of the input, with one of four 2x2 sub-kernels chosen by
// the output pixel's row and column parity. So the layer equals one ordinary 2x2 convolution with the
// four sub-kernels stacked as 4 x out output channels, whose four channel groups are then interleaved
// into the 2x output grid: the same multiply-adds, run by oneDNN (docs/performance.md has the numbers).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>

namespace colorize::model {

class UpConvImpl : public torch::nn::Module {
 public:
  UpConvImpl(int in_channels, int out_channels, bool bias);
  // x: N x in x H x W. Returns N x out x 2H x 2W.
  torch::Tensor forward(const torch::Tensor& x);
  // Whether forward(x) takes the four-phase path: CPU inference (no gradients) on layers large enough
  // for it to pay. Otherwise torch's transposed convolution runs (cuDNN on CUDA).
  bool runs_by_phases(const torch::Tensor& x) const;

  torch::Tensor weight;  // in x out x 4 x 4, as torch::nn::ConvTranspose2d
  torch::Tensor bias;    // out, or undefined

 private:
  struct PhaseKernels;
  // The stacked sub-kernels for the current weights, rebuilt only when the weights change.
  const PhaseKernels& phase_kernels();
  torch::Tensor forward_by_phases(const torch::Tensor& x);

  std::shared_ptr<PhaseKernels> cache_;
};
TORCH_MODULE(UpConv);

// Upsampling::Resize's layer: nearest-neighbour x2, then a 3x3 convolution (padding 1), its parameters
// those of that convolution ("conv.weight": out x in x 3 x 3, "conv.bias"). On a nearest-upsampled
// picture a 3x3 window covers 2x2 input pixels, the same windows as the transposed convolution's
// phases: the layer IS a transposed convolution whose 4x4 weight is a fixed linear function of the 3x3
// kernel (resize_conv_transposed_weight), with the four phases tied together. So it runs on UpConv's
// paths at UpConv's cost (autograd through the linear map when training), not at the 9/4 of an
// explicit upsample-then-convolve.
class ResizeConvImpl : public torch::nn::Module {
 public:
  ResizeConvImpl(int in_channels, int out_channels, bool bias);
  torch::Tensor forward(const torch::Tensor& x);
  // The explicit form, upsample then convolve: the definition, for the tests.
  torch::Tensor forward_explicitly(const torch::Tensor& x);

  torch::nn::Conv2d conv{nullptr};

 private:
  UpConv transposed_{nullptr};  // not registered: its weights are derived from conv's
  const void* derived_from_ = nullptr;
  int64_t derived_version_ = -1;
};
TORCH_MODULE(ResizeConv);

// The transposed-convolution weight (in x out x 4 x 4) equal to nearest x2 followed by a 3x3
// convolution with `kernel` (out x in x 3 x 3, padding 1).
torch::Tensor resize_conv_transposed_weight(const torch::Tensor& kernel);

// The four sub-kernels of a kernel-4, stride-2, padding-1 transposed convolution weight (in x out x 4 x 4)
// as one convolution weight (4 * out x in x 2 x 2), phase p = 2 * (row parity) + (column parity) in
// channels [p * out, (p + 1) * out). Exposed for the tests.
torch::Tensor up_conv_phase_kernels(const torch::Tensor& weight);

}  // namespace colorize::model
