// Text that is a whole number and nothing else: "12" and "-3", not "12a", "", " 1" or beyond int's range.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace colorize::util {

inline std::optional<int> whole_number(const std::string& text) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::logic_error&) {  // invalid_argument, out_of_range
    return std::nullopt;
  }
  if (used == 0 || used != text.size() || text.front() == ' ' || text.front() == '+') return std::nullopt;
  return value;
}

}  // namespace colorize::util
