// Channel c of a contiguous C x H x W float tensor (CPU or CUDA) as a plane: how the engine hands its
// tensors to the colour passes and the stabilisers.
#pragma once

#include <torch/types.h>

#include "color/plane.hpp"

namespace colorize::engine {

inline color::Plane plane_of(const torch::Tensor& t, int64_t c) {
  const int h = static_cast<int>(t.size(1)), w = static_cast<int>(t.size(2));
  return {t[c].data_ptr<float>(), w, h, w};
}

}  // namespace colorize::engine
