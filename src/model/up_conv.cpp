#include "model/up_conv.hpp"

#include <torch/torch.h>

#include <cmath>
#include <mutex>

namespace colorize::model {
namespace {

constexpr int64_t kKernel = 4, kStride = 2, kPadding = 1;

// Where the phases pay, measured layer by layer (bench/bench_up_conv, docs/performance.md): from an input
// of 16x16 pixels on they ran 1.1x to 2.4x faster than torch's path; below it (the U-Net's innermost
// levels, a few pixels wide) they were no faster, and for the outermost layer's 2 output channels
// oneDNN's convolution of 4 x 2 channels was slower.
constexpr int64_t kMinPhaseArea = 256;
constexpr int64_t kMinPhaseOutChannels = 8;

}  // namespace

struct UpConvImpl::PhaseKernels {
  std::mutex mutex;
  // What the kernels were built from: the storage and version counters of weight and bias.
  const void* weight_data = nullptr;
  int64_t weight_version = 0;
  const void* bias_data = nullptr;
  int64_t bias_version = 0;
  torch::Tensor kernels;  // 4 * out x in x 2 x 2
  torch::Tensor bias;     // 4 * out (the bias once per phase), or undefined
};

torch::Tensor up_conv_phase_kernels(const torch::Tensor& weight) {
  TORCH_CHECK(weight.dim() == 4 && weight.size(2) == kKernel && weight.size(3) == kKernel,
              "up_conv_phase_kernels: expected an in x out x 4 x 4 weight, got ", weight.sizes());
  const int64_t in = weight.size(0), out = weight.size(1);
  // Output row 2m + p reads input rows m - 1 + p + t (t = 0, 1) through kernel row 3 - 2t - p: in the
  // kernel flipped both ways, row 2t + p. Columns alike. So the flipped kernel, split as
  // (in, out, t_row, p_row, t_col, p_col), holds every phase's 2x2 kernel; reorder to phases first.
  return weight.flip({2, 3})
      .reshape({in, out, 2, 2, 2, 2})
      .permute({3, 5, 1, 0, 2, 4})
      .reshape({4 * out, in, 2, 2});
}

UpConvImpl::UpConvImpl(int in_channels, int out_channels, bool with_bias)
    : cache_(std::make_shared<PhaseKernels>()) {
  // torch::nn::ConvTranspose2d's own initialisation (kaiming-uniform with a = sqrt(5) over fan-in).
  weight = register_parameter("weight", torch::empty({in_channels, out_channels, kKernel, kKernel}));
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (with_bias) {
    bias = register_parameter("bias", torch::empty({out_channels}));
    const double bound = 1.0 / std::sqrt(static_cast<double>(out_channels * kKernel * kKernel));
    torch::NoGradGuard no_grad;
    bias.uniform_(-bound, bound);
  }
}

bool UpConvImpl::runs_by_phases(const torch::Tensor& x) const {
  // Training keeps torch's path: a differentiable phase path (kernels stacked by autograd each step) ran
  // no faster there (colorize-train, ngf 16 and 64, side by side), the backward pass dominating. CUDA
  // keeps cuDNN's native transposed convolutions. In bfloat16 on the CPU always: LibTorch 1.13's
  // transposed convolution there checks its input as a forward convolution would and fails ("expected
  // input[1, 64, 2, 2] to have 32 channels"); the phases are forward convolutions.
  return x.is_cpu() && !torch::GradMode::is_enabled() && x.dim() == 4 &&
         (x.scalar_type() == torch::kBFloat16 ||
          (x.size(2) * x.size(3) >= kMinPhaseArea && weight.size(1) >= kMinPhaseOutChannels));
}

torch::Tensor UpConvImpl::forward(const torch::Tensor& x) {
  return runs_by_phases(x) ? forward_by_phases(x)
                           : torch::conv_transpose2d(x, weight, bias, kStride, kPadding);
}

const UpConvImpl::PhaseKernels& UpConvImpl::phase_kernels() {
  PhaseKernels& c = *cache_;
  const void* bias_data = bias.defined() ? bias.data_ptr() : nullptr;
  const int64_t bias_version = bias.defined() ? bias._version() : 0;
  // The type and device too: after module->to(), the allocator may hand the new weight the old one's
  // address, with the same version.
  if (!c.kernels.defined() || c.weight_data != weight.data_ptr() || c.weight_version != weight._version() ||
      c.bias_data != bias_data || c.bias_version != bias_version ||
      c.kernels.scalar_type() != weight.scalar_type() || c.kernels.device() != weight.device()) {
    c.kernels = up_conv_phase_kernels(weight).contiguous();
    c.bias = bias.defined() ? bias.repeat({4}) : torch::Tensor();
    c.weight_data = weight.data_ptr();
    c.weight_version = weight._version();
    c.bias_data = bias_data;
    c.bias_version = bias_version;
  }
  return c;
}

torch::Tensor UpConvImpl::forward_by_phases(const torch::Tensor& x) {
  torch::Tensor kernels, phase_bias;
  {
    std::lock_guard<std::mutex> lock(cache_->mutex);
    const PhaseKernels& c = phase_kernels();
    kernels = c.kernels;
    phase_bias = c.bias;
  }
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3), out = weight.size(1);
  // Padding 1 gives (h + 1) x (w + 1) windows; phase p of a row reads window rows p .. p + h - 1.
  const torch::Tensor y = torch::conv2d(x, kernels, phase_bias, 1, 1);
  torch::Tensor result = torch::empty({n, out, 2 * h, 2 * w}, x.options());
  torch::Tensor grid = result.view({n, out, h, 2, w, 2});  // [.., m, row parity, k, column parity]
  for (int64_t py = 0; py < 2; ++py)
    for (int64_t px = 0; px < 2; ++px)
      grid.select(5, px).select(3, py).copy_(
          y.narrow(1, (2 * py + px) * out, out).narrow(2, py, h).narrow(3, px, w));
  return result;
}

torch::Tensor resize_conv_transposed_weight(const torch::Tensor& kernel) {
  TORCH_CHECK(kernel.dim() == 4 && kernel.size(2) == 3 && kernel.size(3) == 3,
              "resize_conv_transposed_weight: expected an out x in x 3 x 3 kernel, got ", kernel.sizes());
  // One dimension: output 2m reads input m - 1 through tap 3 and input m through tap 1; output 2m + 1
  // reads m through tap 2 and m + 1 through tap 0. Upsampled, output 2m sees rows 2m - 1, 2m, 2m + 1
  // = inputs m - 1, m, m (kernel rows 0, 1, 2); output 2m + 1 sees inputs m, m, m + 1. So tap 3 = k0,
  // tap 1 = k1 + k2, tap 2 = k0 + k1, tap 0 = k2; the borders agree too (zeros outside either way).
  const torch::Tensor taps =
      torch::tensor({0.f, 0.f, 1.f, 0.f, 1.f, 1.f, 1.f, 1.f, 0.f, 1.f, 0.f, 0.f}, kernel.options())
          .view({4, 3});
  return torch::einsum("ac,bd,oicd->ioab", {taps, taps, kernel});
}

ResizeConvImpl::ResizeConvImpl(int in_channels, int out_channels, bool with_bias)
    : conv(register_module(
          "conv", torch::nn::Conv2d(
                      torch::nn::Conv2dOptions(in_channels, out_channels, 3).padding(1).bias(with_bias)))),
      transposed_(UpConv(in_channels, out_channels, with_bias)) {}

torch::Tensor ResizeConvImpl::forward(const torch::Tensor& x) {
  if (torch::GradMode::is_enabled())  // training: autograd through the linear map to the 3x3 kernel
    return torch::conv_transpose2d(x, resize_conv_transposed_weight(conv->weight), conv->bias, kStride,
                                   kPadding);
  if (derived_from_ != conv->weight.data_ptr() || derived_version_ != conv->weight._version() ||
      transposed_->weight.device() != conv->weight.device() ||
      transposed_->weight.scalar_type() != conv->weight.scalar_type()) {
    transposed_->to(conv->weight.device(), conv->weight.scalar_type());
    transposed_->weight.set_data(resize_conv_transposed_weight(conv->weight));
    if (conv->bias.defined()) transposed_->bias.set_data(conv->bias.clone());
    derived_from_ = conv->weight.data_ptr();
    derived_version_ = conv->weight._version();
  }
  return transposed_->forward(x);
}

torch::Tensor ResizeConvImpl::forward_explicitly(const torch::Tensor& x) {
  return conv->forward(torch::upsample_nearest2d(x, {2 * x.size(2), 2 * x.size(3)}));
}

}  // namespace colorize::model
