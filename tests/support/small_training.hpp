// Test helper: a trainer small enough to take steps in milliseconds (ngf 8, 5 levels, ndf 8, 32x32).
#pragma once

#include <cstdint>

#include "training/trainer.hpp"

namespace colorize::test {

inline training::TrainOptions small_train_options(std::uint64_t seed) {
  training::TrainOptions o;
  o.generator = {8, 5, 1, 2};
  o.ndf = 8;
  o.batch = 2;
  o.size = 32;
  o.steps = 100;
  o.seed = seed;
  return o;
}

}  // namespace colorize::test
