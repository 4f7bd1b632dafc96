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

// A pix2pix-initialised generator with its last layer scaled by `gain`: pix2pix's initialisation gives
// faint colour, and a gain of about 25 gives colours the size of a trained model's, large enough for
// changes to show in 8-bit output.
inline void write_vivid_random_generator(const std::string& path, unsigned seed, int levels = 6) {
  torch::manual_seed(seed);
  model::UnetGenerator g(model::GeneratorConfig{4, levels, 1, 2});
  model::init_pix2pix_weights(*g);
  {
    torch::NoGradGuard no_grad;
    g->named_parameters(true)["model.model.3.weight"].mul_(25.0f);
  }
  model::save_generator(path, g, model::ModelInfo{});
}

}  // namespace colorize::test
