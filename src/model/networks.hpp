// The pix2pix networks for colorization: the U-Net generator (L -> ab) and the PatchGAN discriminator
// (L + ab -> real/fake per patch). Layer order and parameter names follow junyanz's networks.py
// (UnetGenerator / UnetSkipConnectionBlock / NLayerDiscriminator), so a state_dict exported from a
// Python pix2pix colorization model maps onto these modules name for name (docs/model-files.md).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include <cstdint>
#include <memory>
#include <string>

#include "model/generator_config.hpp"

namespace colorize::model {

// One level of the U-Net: x -> [down -> inner level -> up] concatenated with x. Sizes that are odd at
// a level are padded by one row or column (reflect) before going down and cropped after coming up, so
// any frame size runs without padding the whole input to a multiple of 2^levels.
class UnetBlockImpl : public torch::nn::Module {
 public:
  enum class Kind { Outermost, Middle, Innermost };
  // inner is the next level down (null for the innermost block).
  UnetBlockImpl(int outer_channels, int inner_channels, int input_channels, Kind kind,
                std::shared_ptr<UnetBlockImpl> inner, bool use_dropout, Upsampling upsampling);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  Kind kind_;
  torch::nn::Sequential model_{nullptr};
};
TORCH_MODULE(UnetBlock);

class UnetGeneratorImpl : public torch::nn::Module {
 public:
  explicit UnetGeneratorImpl(const GeneratorConfig& config);
  // x: N x 1 x H x W, L / 50 - 1. Returns N x 2 x H x W, ab / 110, for any H, W >= 1.
  torch::Tensor forward(const torch::Tensor& x);
  const GeneratorConfig& config() const { return config_; }
  // The seed's "noise": dropout in the three innermost decoder blocks. On in training; at inference
  // off by default, on when a user wants varied results. Leaves BatchNorm in its current mode.
  void set_dropout(bool enabled);

 private:
  GeneratorConfig config_;
  UnetBlock model_{nullptr};
};
TORCH_MODULE(UnetGenerator);

struct DiscriminatorConfig {
  int ndf = 64;
  int layers = 3;          // 3 gives the 70x70 receptive field of the pix2pix paper
  int input_channels = 3;  // L and ab
};

class PatchDiscriminatorImpl : public torch::nn::Module {
 public:
  explicit PatchDiscriminatorImpl(const DiscriminatorConfig& config);
  // x: N x 3 x H x W (L and ab, normalised). Returns N x 1 x h x w logits, one per patch.
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Sequential model_{nullptr};
};
TORCH_MODULE(PatchDiscriminator);

// pix2pix's "normal" initialisation: conv weights N(0, 0.02), biases 0, BatchNorm gamma N(1, 0.02), beta 0.
void init_pix2pix_weights(torch::nn::Module& module);

std::int64_t parameter_count(const torch::nn::Module& module);

// Floating-point operations (2 per multiply-add, convolutions only) of one generator forward pass on
// a height x width input, with the per-level padding the U-Net applies.
double generator_flops(const GeneratorConfig& config, int height, int width);

}  // namespace colorize::model
