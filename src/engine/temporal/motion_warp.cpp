#include "engine/temporal/motion_warp.hpp"

#include <opencv2/core.hpp>
#include <opencv2/video/tracking.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "color/target_clones.hpp"

namespace colorize::engine {
namespace {

// A cv::Mat header over a float plane (no copy).
cv::Mat mat_of(const color::ConstPlane& p) {
  return cv::Mat(p.height, p.width, CV_32F, const_cast<float*>(p.data),  // read only
                 static_cast<std::size_t>(p.stride) * sizeof(float));
}

// One axis of a source position, clamped for edge replication: the tap pair starts at `first`, and the
// second tap takes `fraction` of the result. Positions at or past the last sample read it alone
// (first = size - 2, fraction 1); before the first, the first alone (fraction 0); NaN as 0.
struct Tap {
  std::int32_t first;
  float fraction;
};
Tap tap_of(float position, int size) {
  if (!(position > 0.0f) || size < 2) return {0, 0.0f};
  if (position >= static_cast<float>(size - 1)) return {size - 2, 1.0f};
  const float first = std::floor(position);
  return {static_cast<std::int32_t>(first), position - first};
}

// One row of a warp: o[x] = the bilinear sample of `in` at row x's taps, written (1 - t) u + t v so
// that fractions of 0 and 1 give a sample exactly. 32-bit sample indices (warp() checks the plane's
// extent), so the gathers of the AVX2 and AVX-512 variants take 8 and 16 lanes; o never overlaps in
// (warp() checks), without which GCC does not vectorise the gathers.
COLORIZE_CLONES void bilinear_row(const float* in, int in_stride, int step_x, int step_y,
                                  const std::int32_t* fx, const std::int32_t* fy, const float* tx,
                                  const float* ty, int width, float* __restrict o) {
  const int down = step_y * in_stride;
  for (int x = 0; x < width; ++x) {
    const int i = fy[x] * in_stride + fx[x];
    const float top = (1.0f - tx[x]) * in[i] + tx[x] * in[i + step_x];
    const float bottom = (1.0f - tx[x]) * in[i + down] + tx[x] * in[i + down + step_x];
    o[x] = (1.0f - ty[x]) * top + ty[x] * bottom;
  }
}

}  // namespace

struct MotionWarp::State {
  // The "fast" preset is accurate enough at the network's resolution and costs milliseconds there.
  cv::Ptr<cv::DISOpticalFlow> flow_method = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
  cv::Mat previous8, current8, flow;
  // Per pixel of the later frame, where it samples the earlier one, made once per motion: the
  // look-ahead warps along one flow up to three times per frame it covers. OpenCV's remap has no
  // vectorised path for float planes; these rows gather (bilinear_row).
  int width = 0, height = 0;
  std::vector<std::int32_t> first_x, first_y;
  std::vector<float> fraction_x, fraction_y;
  // Whether the pixel came from inside the earlier frame (within half a pixel of its edge samples).
  std::vector<std::uint8_t> inside;

  // The taps of a width x height motion; motion(x, y) gives (dx, dy), where pixel (x, y) came from.
  template <class Motion>
  void set_taps(int w, int h, const Motion& motion) {
    width = w;
    height = h;
    const std::size_t n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
    first_x.resize(n);
    first_y.resize(n);
    fraction_x.resize(n);
    fraction_y.resize(n);
    inside.resize(n);
    for (int y = 0; y < h; ++y) {
      const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(w);
      for (int x = 0; x < w; ++x) {
        const cv::Point2f d = motion(x, y);
        const float sx = static_cast<float>(x) + d.x, sy = static_cast<float>(y) + d.y;
        const Tap tx = tap_of(sx, w);
        const Tap ty = tap_of(sy, h);
        inside[row + x] = sx >= -0.5f && sx <= static_cast<float>(w) - 0.5f && sy >= -0.5f &&
                          sy <= static_cast<float>(h) - 0.5f;
        first_x[row + x] = tx.first;
        fraction_x[row + x] = tx.fraction;
        first_y[row + x] = ty.first;
        fraction_y[row + x] = ty.fraction;
      }
    }
  }
};

MotionWarp::MotionWarp() : state_(std::make_unique<State>()) {}
MotionWarp::~MotionWarp() = default;

void MotionWarp::estimate(const color::ConstPlane& previous_L, const color::ConstPlane& current_L) {
  State& s = *state_;
  // DIS refuses pictures with a side under its patch (8 pixels) or without a side of 12 (OpenCV 4.6:
  // "The input image must have either width or height >= 12"); a strip that thin (a 4097x3 frame is
  // 1024x1 at the network's size) is taken as still, and the lightness match decides what is carried.
  if (std::min(current_L.width, current_L.height) < 8 || std::max(current_L.width, current_L.height) < 12) {
    s.set_taps(current_L.width, current_L.height, [](int, int) { return cv::Point2f(0, 0); });
    return;
  }
  mat_of(previous_L).convertTo(s.previous8, CV_8U, 255.0 / 100.0);
  mat_of(current_L).convertTo(s.current8, CV_8U, 255.0 / 100.0);
  // calc(I0, I1) gives I0(x) ~ I1(x + flow(x)): with I0 the current frame, where x came from. DIS
  // starts from the flow it is handed when that has the right size; released, each pair's flow depends
  // on that pair alone (and never on a frame before a scene cut).
  s.flow.release();
  s.flow_method->calc(s.current8, s.previous8, s.flow);
  s.set_taps(s.flow.cols, s.flow.rows, [&](int x, int y) { return s.flow.at<cv::Point2f>(y, x); });
}

void MotionWarp::set_motion(const color::ConstPlane& dx, const color::ConstPlane& dy) {
  if (dx.width != dy.width || dx.height != dy.height)
    throw std::invalid_argument("MotionWarp::set_motion: dx and dy differ in size");
  state_->set_taps(dx.width, dx.height,
                   [&](int x, int y) { return cv::Point2f(dx.row(y)[x], dy.row(y)[x]); });
}

void MotionWarp::warp(const color::ConstPlane& previous_plane, const color::Plane& out) const {
  const State& s = *state_;
  if (previous_plane.width != s.width || previous_plane.height != s.height || out.width != s.width ||
      out.height != s.height)
    throw std::invalid_argument("MotionWarp::warp: planes differ in size from the estimated motion");
  if (s.width == 0 || s.height == 0) return;
  if (previous_plane.stride * previous_plane.height > std::numeric_limits<std::int32_t>::max())
    throw std::invalid_argument("MotionWarp::warp: plane too large");
  const float* in_end = previous_plane.row(previous_plane.height - 1) + previous_plane.width;
  const float* out_end = out.row(out.height - 1) + out.width;
  if (out.data < in_end && previous_plane.data < out_end)
    throw std::invalid_argument("MotionWarp::warp: the output overlaps the input");
  const int stride = static_cast<int>(previous_plane.stride);
  const int step_x = s.width > 1 ? 1 : 0, step_y = s.height > 1 ? 1 : 0;
#pragma omp parallel for schedule(static)
  for (int y = 0; y < s.height; ++y) {
    const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(s.width);
    bilinear_row(previous_plane.data, stride, step_x, step_y, s.first_x.data() + row, s.first_y.data() + row,
                 s.fraction_x.data() + row, s.fraction_y.data() + row, s.width, out.row(y));
  }
}

void MotionWarp::zero_outside(const color::Plane& plane) const {
  const State& s = *state_;
  if (plane.width != s.width || plane.height != s.height)
    throw std::invalid_argument("MotionWarp::zero_outside: the plane differs in size from the motion");
  for (int y = 0; y < s.height; ++y) {
    const std::uint8_t* in =
        s.inside.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(s.width);
    float* row = plane.row(y);
    for (int x = 0; x < s.width; ++x) row[x] = in[x] ? row[x] : 0.0f;
  }
}

}  // namespace colorize::engine
