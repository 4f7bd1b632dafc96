// Test helper: small generator files with known behaviour.
#pragma once

#include <torch/torch.h>

#include <string>

#include "model/model_file.hpp"

namespace colorize::test {

// An ngf-4, 8-level generator whose output is the constant (a, b) everywhere: the outermost up conv,
// which feeds tanh, gets zero weights and the bias atanh(ab / 110).
inline void write_constant_generator(const std::string& path, float a, float b) {
  model::UnetGenerator g(model::GeneratorConfig{4, 8, 1, 2});
  {
    torch::NoGradGuard no_grad;
    auto params = g->named_parameters(true);
    params["model.model.3.weight"].zero_();
    params["model.model.3.bias"].copy_(torch::atanh(torch::tensor({a, b}) / 110.0f));
  }
  model::save_generator(path, g, model::ModelInfo{});
}

// A pix2pix-initialised generator (seeded) with its last layer scaled by `gain`. Pix2pix's
// initialisation gives faint colour; a gain of about 25 gives colours the size of a trained model's,
// large enough for changes to show in 8-bit output.
inline void write_random_generator(const std::string& path, unsigned seed,
                                   const model::GeneratorConfig& config, float gain = 1.0f) {
  torch::manual_seed(seed);
  model::UnetGenerator g(config);
  model::init_pix2pix_weights(*g);
  if (gain != 1.0f) {
    torch::NoGradGuard no_grad;
    g->named_parameters(true)["model.model.3.weight"].mul_(gain);
  }
  model::save_generator(path, g, model::ModelInfo{});
}

}  // namespace colorize::test
