#include "model/networks.hpp"

#include "model/batch_norm.hpp"
#include "model/up_conv.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace colorize::model {
namespace {

namespace nn = torch::nn;

nn::Conv2d down_conv(int in, int out, bool bias) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, 4).stride(2).padding(1).bias(bias));
}
nn::AnyModule up_conv(Upsampling kind, int in, int out, bool bias) {
  if (kind == Upsampling::Resize) return nn::AnyModule(ResizeConv(in, out, bias));
  return nn::AnyModule(UpConv(in, out, bias));
}
constexpr double kLeakySlope = 0.2;
nn::LeakyReLU leaky() { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(kLeakySlope)); }

// Pads the bottom and right by one where a size is odd: reflect where the size allows it (the row or
// column before the last, repeated), else replicate (a 1-pixel-wide level: the last one). By
// concatenation rather than F::pad: LibTorch 1.13 has neither reflection nor replication padding in
// bfloat16 on the CPU.
torch::Tensor pad_to_even(torch::Tensor x) {
  for (const int64_t dim : {2, 3}) {
    const int64_t n = x.size(dim);
    if (n % 2 != 0) x = torch::cat({x, x.narrow(dim, n > 1 ? n - 2 : 0, 1)}, dim);
  }
  return x;
}

}  // namespace

UnetBlockImpl::UnetBlockImpl(int outer, int inner, int input, Kind kind,
                             std::shared_ptr<UnetBlockImpl> inner_block, bool use_dropout,
                             Upsampling upsampling)
    : kind_(kind) {
  // BatchNorm follows every conv but the outermost down and innermost down, so those convs carry no bias
  // (networks.py: use_bias = False with BatchNorm), except the outermost up conv feeding tanh.
  nn::Sequential seq;
  switch (kind) {
    case Kind::Outermost:
      seq->push_back(down_conv(input, inner, false));
      seq->push_back(UnetBlock(inner_block));
      seq->push_back(nn::ReLU(true));
      seq->push_back(up_conv(upsampling, inner * 2, outer, true));
      seq->push_back(nn::Tanh());
      break;
    case Kind::Innermost:
      seq->push_back(leaky());
      seq->push_back(down_conv(input, inner, false));
      seq->push_back(nn::ReLU(true));
      seq->push_back(up_conv(upsampling, inner, outer, false));
      seq->push_back(SyncableBatchNorm2d(outer));
      break;
    case Kind::Middle:
      seq->push_back(leaky());
      seq->push_back(down_conv(input, inner, false));
      seq->push_back(SyncableBatchNorm2d(inner));
      seq->push_back(UnetBlock(inner_block));
      seq->push_back(nn::ReLU(true));
      seq->push_back(up_conv(upsampling, inner * 2, outer, false));
      seq->push_back(SyncableBatchNorm2d(outer));
      if (use_dropout) seq->push_back(nn::Dropout(0.5));
      break;
  }
  model_ = register_module("model", seq);
}

torch::Tensor UnetBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = model_->forward(pad_to_even(x));
  if (y.size(2) != x.size(2) || y.size(3) != x.size(3)) y = y.narrow(2, 0, x.size(2)).narrow(3, 0, x.size(3));
  if (kind_ == Kind::Outermost) return y;
  // networks.py's inner blocks start with an in-place LeakyReLU, which also rewrites the x that its
  // torch.cat([x, model(x)]) then reads: the skip carries LeakyReLU(x). Said explicitly here, so
  // weights trained in Python behave the same.
  return torch::cat({torch::nn::functional::leaky_relu(
                         x, torch::nn::functional::LeakyReLUFuncOptions().negative_slope(kLeakySlope)),
                     y},
                    1);
}

UnetGeneratorImpl::UnetGeneratorImpl(const GeneratorConfig& c) : config_(c) {
  TORCH_CHECK(c.levels >= 5, "U-Net needs at least 5 levels, got ", c.levels);
  TORCH_CHECK(c.ngf >= 1, "ngf must be positive, got ", c.ngf);
  using Kind = UnetBlockImpl::Kind;
  const int g = c.ngf;
  // Built from the inside out, as networks.py does: level i down pairs with level n - i up.
  auto block =
      std::make_shared<UnetBlockImpl>(g * 8, g * 8, g * 8, Kind::Innermost, nullptr, false, c.upsampling);
  for (int i = 0; i < c.levels - 5; ++i)
    block = std::make_shared<UnetBlockImpl>(g * 8, g * 8, g * 8, Kind::Middle, block, true, c.upsampling);
  block = std::make_shared<UnetBlockImpl>(g * 4, g * 8, g * 4, Kind::Middle, block, false, c.upsampling);
  block = std::make_shared<UnetBlockImpl>(g * 2, g * 4, g * 2, Kind::Middle, block, false, c.upsampling);
  block = std::make_shared<UnetBlockImpl>(g, g * 2, g, Kind::Middle, block, false, c.upsampling);
  block = std::make_shared<UnetBlockImpl>(c.output_channels, g, c.input_channels, Kind::Outermost, block,
                                          false, c.upsampling);
  model_ = register_module("model", UnetBlock(block));
}

torch::Tensor UnetGeneratorImpl::forward(const torch::Tensor& x) { return model_->forward(x); }

void UnetGeneratorImpl::set_dropout(bool enabled) {
  for (auto& m : modules(false))
    if (auto* d = m->as<nn::Dropout>()) d->train(enabled);
}

PatchDiscriminatorImpl::PatchDiscriminatorImpl(const DiscriminatorConfig& c) {
  nn::Sequential seq;
  seq->push_back(nn::Conv2d(nn::Conv2dOptions(c.input_channels, c.ndf, 4).stride(2).padding(1)));
  seq->push_back(leaky());
  int mult = 1;
  for (int n = 1; n <= c.layers; ++n) {
    const int prev = mult;
    mult = std::min(1 << n, 8);
    const int stride = n < c.layers ? 2 : 1;  // the last of these keeps the resolution
    seq->push_back(
        nn::Conv2d(nn::Conv2dOptions(c.ndf * prev, c.ndf * mult, 4).stride(stride).padding(1).bias(false)));
    seq->push_back(SyncableBatchNorm2d(c.ndf * mult));
    seq->push_back(leaky());
  }
  seq->push_back(nn::Conv2d(nn::Conv2dOptions(c.ndf * mult, 1, 4).stride(1).padding(1)));
  model_ = register_module("model", seq);
}

torch::Tensor PatchDiscriminatorImpl::forward(const torch::Tensor& x) { return model_->forward(x); }

void init_pix2pix_weights(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& m : module.modules(true)) {
    if (auto* conv = m->as<nn::Conv2d>()) {
      conv->weight.normal_(0.0, 0.02);
      if (conv->bias.defined()) conv->bias.zero_();
    } else if (auto* up = m->as<UpConvImpl>()) {
      up->weight.normal_(0.0, 0.02);
      if (up->bias.defined()) up->bias.zero_();
    } else if (auto* bn = m->as<SyncableBatchNorm2d>()) {
      bn->weight.normal_(1.0, 0.02);
      bn->bias.zero_();
    }
  }
}

const char* upsampling_name(Upsampling u) { return u == Upsampling::Resize ? "resize" : "transposed"; }

Upsampling upsampling_named(const std::string& name) {
  if (name == "transposed") return Upsampling::Transposed;
  if (name == "resize") return Upsampling::Resize;
  throw std::invalid_argument("upsampling must be transposed or resize, not '" + name + "'");
}

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t n = 0;
  for (const auto& p : module.parameters(true)) n += p.numel();
  return n;
}

double generator_flops(const GeneratorConfig& c, int height, int width) {
  double flops = 0;
  double h = height, w = width;
  for (int level = 0; level < c.levels; ++level) {
    // Channels around this level: outer (what comes in and goes out), inner (after the down conv).
    const double inner = c.ngf * std::min(1 << std::min(level, 3), 8);
    const double in = level == 0 ? c.input_channels : c.ngf * std::min(1 << std::min(level - 1, 3), 8);
    const double out = level == 0 ? c.output_channels : in;
    h = std::ceil(h / 2);  // odd sizes are padded by one before the stride-2 conv
    w = std::ceil(w / 2);
    const double up_in = level == c.levels - 1 ? inner : 2 * inner;  // the innermost has no skip
    // Transposed: 16 taps per input pixel of the level; resize: 9 per output pixel, 4 times as many.
    const double up_taps = c.upsampling == Upsampling::Resize ? 36 : 16;
    flops += 2.0 * h * w * (16 * in * inner + up_taps * up_in * out);
  }
  return flops;
}

}  // namespace colorize::model
