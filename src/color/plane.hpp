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

// Throws std::invalid_argument naming the plane when it is null, not width x height, or its stride is
// shorter than a row.
void validate(const ConstPlane& plane, int width, int height, const char* name);
// The planes of a compose (lab_to_frame, on the CPU or the GPU): L frame-sized, a and b of one size of
// their own, at least one sample.
void validate_lab(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b, int width, int height);

}  // namespace colorize::color
