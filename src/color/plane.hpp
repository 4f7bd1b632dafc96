// A view of one float image plane (L, a or b), stride in elements.
#pragma once

#include <cstddef>
#include <type_traits>

namespace colorize::color {

template <class T>
struct BasicPlane {
  T* data = nullptr;
  int width = 0;
  int height = 0;
  std::ptrdiff_t stride = 0;  // elements from one row to the next

  T* row(int y) const { return data + y * stride; }
  // A mutable plane converts to a read-only one (only defined for mutable planes: nvcc warns otherwise).
  template <class U = T, class = std::enable_if_t<!std::is_const_v<U>>>
  operator BasicPlane<const U>() const {  // NOLINT(google-explicit-constructor)
    return {data, width, height, stride};
  }
};

using Plane = BasicPlane<float>;
using ConstPlane = BasicPlane<const float>;

}  // namespace colorize::color
