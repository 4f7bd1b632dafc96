// Frames through the engine one call at a time, for tests of the modes that finish every frame at once
// (temporal smoothing off or live): send(), then receive() into the given output.
#pragma once

#include <stdexcept>
#include <vector>

#include "engine/colorizer.hpp"

namespace colorize::test {

inline void colorize_now(engine::Colorizer& c, const std::vector<color::FrameView>& in,
                         const std::vector<color::MutableFrameView>& out) {
  std::vector<engine::TaggedFrame> frames;
  for (const auto& f : in) frames.push_back({f, {}, nullptr});
  c.send(std::move(frames));
  for (const auto& o : out)
    if (!c.receive(o)) throw std::logic_error("colorize_now: the engine held a frame back");
}

inline void colorize_now(engine::Colorizer& c, const color::FrameView& in,
                         const color::MutableFrameView& out) {
  colorize_now(c, std::vector<color::FrameView>{in}, std::vector<color::MutableFrameView>{out});
}

}  // namespace colorize::test
