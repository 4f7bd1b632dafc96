// Test helpers for the GPU colour passes: random frames and L*a*b* planes, the CPU reference of each
// pass (the engine's CPU path), and a code-by-code comparison of two frames.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <type_traits>

#include "color/frame_lab.hpp"
#include "color/frame_view.hpp"
#include "color/plane.hpp"
#include "support/frame_buffer.hpp"

namespace colorize::test {

// A 2-D float tensor (contiguous, CPU) as a plane.
inline color::Plane plane_of(const torch::Tensor& t) {
  return {t.data_ptr<float>(), static_cast<int>(t.size(1)), static_cast<int>(t.size(0)), t.size(1)};
}

// Every used byte of every plane random (so 4:2:0 frames have colour), padding left alone.
inline void fill_random_frame(FrameBuffer& frame, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  const color::MutableFrameView v = frame.view();
  for (int p = 0; p < color::plane_count(v.format); ++p)
    for (int y = 0; y < color::plane_rows(v.format, p, v.height); ++y)
      for (int x = 0; x < color::min_row_bytes(v.format, p, v.width); ++x)
        v.row(p, y)[x] = static_cast<std::uint8_t>(byte(rng));
}

// The engine's CPU input path: L* of every pixel, then L* at the network's size (area mean when shrinking
// on both axes, else bilinear).
struct NetworkInput {
  torch::Tensor L, net;  // H x W, h x w
};
inline NetworkInput reference_network_input(const color::FrameView& frame, int net_width, int net_height) {
  torch::Tensor L = torch::empty({frame.height, frame.width});
  color::frame_to_lightness(frame, plane_of(L));
  const torch::Tensor batch = L.unsqueeze(0).unsqueeze(0);
  const torch::Tensor resized = net_width <= frame.width && net_height <= frame.height
                                    ? torch::adaptive_avg_pool2d(batch, {net_height, net_width})
                                    : torch::upsample_bilinear2d(batch, {net_height, net_width}, false);
  return {L, resized[0][0].contiguous()};
}

// Random L* (0..100) at full size and a*, b* (-80..80) at the network's size.
struct LabPlanes {
  torch::Tensor L, a, b;
};
inline LabPlanes random_lab(int width, int height, int ab_width, int ab_height, std::uint64_t seed) {
  torch::manual_seed(seed);
  return {torch::rand({height, width}) * 100.0f, torch::rand({ab_height, ab_width}) * 160.0f - 80.0f,
          torch::rand({ab_height, ab_width}) * 160.0f - 80.0f};
}

// The largest difference between two frames' codes (every used byte, alpha included) and how many differ.
struct CodeDifference {
  int max = 0;
  long differing = 0, total = 0;
};
inline CodeDifference compare_frames(const color::FrameView& a, const color::FrameView& b) {
  CodeDifference d;
  for (int p = 0; p < color::plane_count(a.format); ++p)
    for (int y = 0; y < color::plane_rows(a.format, p, a.height); ++y)
      for (int x = 0; x < color::min_row_bytes(a.format, p, a.width); ++x) {
        const int diff = std::abs(a.row(p, y)[x] - b.row(p, y)[x]);
        d.max = std::max(d.max, diff);
        d.differing += diff != 0;
        ++d.total;
      }
  return d;
}

// Test cases of the two passes, named for gtest by name_of.
struct InputCase {
  color::PixelFormat format;
  int width, height, net_width, net_height;
  color::YuvEncoding yuv{};
};
struct ComposeCase {
  color::PixelFormat format;
  int width, height, ab_width, ab_height;
  color::YuvEncoding yuv{};
};
inline std::string size_name(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}
struct CaseName {
  template <class Info>
  std::string operator()(const Info& info) const {
    const auto& c = info.param;
    if constexpr (std::is_same_v<std::decay_t<decltype(c)>, InputCase>)
      return std::string(color::to_string(c.format)) + "_" + size_name(c.width, c.height) + "_to_" +
             size_name(c.net_width, c.net_height) + "_" + std::to_string(info.index);
    else
      return std::string(color::to_string(c.format)) + "_" + size_name(c.width, c.height) + "_from_" +
             size_name(c.ab_width, c.ab_height) + "_" + std::to_string(info.index);
  }
};

}  // namespace colorize::test
