// Generator model files: safetensors (8-byte little-endian header length, a JSON header whose
// __metadata__ describes the model, then raw little-endian tensors), readable by Python's safetensors.
// The description travels with the weights, so any front end loads any model without extra flags.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include <torch/types.h>

#include "model/networks.hpp"

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

enum class StorageType { Float32, Float16 };

// Every problem with a model file: names the file and what is wrong with it.
class ModelFileError : public std::runtime_error {
 public:
  ModelFileError(const std::string& path, const std::string& problem);
};

struct LoadedGenerator {
  UnetGenerator net{nullptr};
  ModelInfo info;
};

// Writes atomically: a temporary file beside `path`, renamed over it only when complete.
void save_generator(const std::string& path, UnetGenerator& net, const ModelInfo& info,
                    StorageType storage = StorageType::Float32);

// Builds the generator the file describes, loads its weights (converted to float32) onto `device`, and
// returns it in eval mode with dropout off. Throws ModelFileError for a missing, truncated, corrupt,
// foreign or mismatched file.
LoadedGenerator load_generator(const std::string& path, torch::Device device = torch::kCPU);

}  // namespace colorize::model
