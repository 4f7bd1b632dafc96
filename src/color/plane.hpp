// A view of one float image plane (L, a or b), stride in elements.
#pragma once

#include <cstddef>

namespace colorize::color {

template <class T>
struct BasicPlane {
  T* data = nullptr;
  int width = 0;
  int height = 0;
  std::ptrdiff_t stride = 0;  // elements from one row to the next

  T* row(int y) const { return data + y * stride; }
  operator BasicPlane<const T>() const { return {data, width, height, stride}; }  // NOLINT
};

using Plane = BasicPlane<float>;
using ConstPlane = BasicPlane<const float>;

}  // namespace colorize::color
