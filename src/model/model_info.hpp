// What a model file says about its generator beyond the weights, and the error every problem with a
// model file raises. Free of LibTorch, so that the engine's public header compiles without torch headers.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include "model/generator_config.hpp"

namespace colorize::model {

// What a file says about its generator beyond the weights.
struct ModelInfo {
  GeneratorConfig generator;
  float input_scale = 50.0f;  // network input = L / input_scale + input_offset
  float input_offset = -1.0f;
  float output_scale = 110.0f;  // ab = network output * output_scale
  // Provenance and anything else: trained_on, steps, date, revision, ... Kept as written.
  std::map<std::string, std::string> provenance;
};

// Every problem with a model file: names the file and what is wrong with it.
class ModelFileError : public std::runtime_error {
 public:
  ModelFileError(const std::string& path, const std::string& problem);
};

}  // namespace colorize::model
