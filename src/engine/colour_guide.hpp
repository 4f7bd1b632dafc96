// Colour a frame should take, decided outside the network (a colourist's reference frame carried along
// the motion, engine/reference_colours.hpp): a*, b* at the network's size for that frame
// (Colorizer::inference_size), and per pixel the share (0..1) it takes over the network's prediction.
// The engine blends it in before temporal smoothing, so smoothing carries it like any other colour.
#pragma once

#include <vector>

namespace colorize::engine {

struct ColourGuide {
  int width = 0, height = 0;
  std::vector<float> a, b, weight;  // width x height each, rows contiguous
};

}  // namespace colorize::engine
