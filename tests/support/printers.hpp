// Readable names for colour types in test output and CTest test names.
#pragma once

#include <ostream>

#include "color/frame_view.hpp"

namespace colorize::color {

inline void PrintTo(PixelFormat f, std::ostream* os) { *os << to_string(f); }

inline void PrintTo(ChromaSiting s, std::ostream* os) {
  *os << (s == ChromaSiting::Left ? "left" : s == ChromaSiting::Center ? "center" : "topleft");
}

}  // namespace colorize::color
