// Generator model files: safetensors (8-byte little-endian header length, a JSON header whose
// __metadata__ describes the model, then raw little-endian tensors), readable by Python's safetensors.
// The description travels with the weights, so any front end loads any model without extra flags.
#pragma once

#include <string>
#include <vector>

#include <torch/types.h>

#include "model/model_info.hpp"
#include "model/networks.hpp"

namespace colorize::model {

enum class StorageType { Float32, Float16 };

struct LoadedGenerator {
  UnetGenerator net{nullptr};
  ModelInfo info;
};

// Writes atomically: a temporary file beside `path`, renamed over it only when complete.
void save_generator(const std::string& path, UnetGenerator& net, const ModelInfo& info,
                    StorageType storage = StorageType::Float32);

// Values of a tensor that are NaN or infinite (0 for integer tensors): one such weight makes every
// output pixel of the generator black. Model files with any are neither written nor loaded.
int64_t non_finite_count(const torch::Tensor& t);

// Builds the generator the file describes, loads its weights (converted to float32) onto `device`, and
// returns it in eval mode with dropout off. Throws ModelFileError for a missing, truncated, corrupt,
// foreign or mismatched file.
LoadedGenerator load_generator(const std::string& path, torch::Device device = torch::kCPU);
// The same from the file's bytes in memory; `name` names them in messages.
LoadedGenerator parse_generator(const std::vector<char>& bytes, const std::string& name,
                                torch::Device device = torch::kCPU);

}  // namespace colorize::model
