#include "engine/temporal_stabilizer.hpp"

#include <cmath>
#include <vector>

#include "engine/motion_warp.hpp"

namespace colorize::engine {

struct TemporalStabilizer::State {
  StabilizerOptions options;
  MotionWarp motion;
  bool has_previous = false;
  bool last_cut = true;
  int width = 0, height = 0;
  std::vector<float> previous_L, previous_a, previous_b;  // the last frame: L* and the colour shown
  std::vector<float> warped_L, warped_a, warped_b;

  color::Plane plane(std::vector<float>& v) { return {v.data(), width, height, width}; }
  void remember(const color::ConstPlane& L, const color::ConstPlane& a, const color::ConstPlane& b) {
    const std::size_t n = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    for (auto* v : {&previous_L, &previous_a, &previous_b, &warped_L, &warped_a, &warped_b}) v->resize(n);
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const std::size_t i =
            static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
        previous_L[i] = L.row(y)[x];
        previous_a[i] = a.row(y)[x];
        previous_b[i] = b.row(y)[x];
      }
    has_previous = true;
  }
};

TemporalStabilizer::TemporalStabilizer(const StabilizerOptions& options) : state_(std::make_unique<State>()) {
  state_->options = options;
}
TemporalStabilizer::~TemporalStabilizer() = default;

void TemporalStabilizer::reset() {
  state_->has_previous = false;
  state_->last_cut = true;
}

bool TemporalStabilizer::last_was_cut() const { return state_->last_cut; }

void TemporalStabilizer::apply(const color::ConstPlane& L, const color::Plane& a, const color::Plane& b) {
  State& s = *state_;
  if (!s.has_previous || s.width != L.width || s.height != L.height) {
    s.width = L.width;
    s.height = L.height;
    s.last_cut = true;
    s.remember(L, a, b);
    return;
  }
  s.motion.estimate(s.plane(s.previous_L), L);
  s.motion.warp(s.plane(s.previous_L), s.plane(s.warped_L));
  s.motion.warp(s.plane(s.previous_a), s.plane(s.warped_a));
  s.motion.warp(s.plane(s.previous_b), s.plane(s.warped_b));

  // A scene cut: the previous frame, moved as well as the flow can, still does not look like this one.
  double total_error = 0;
  for (int y = 0; y < L.height; ++y) {
    const float* l = L.row(y);
    const float* w = s.warped_L.data() + static_cast<std::ptrdiff_t>(y) * s.width;
    for (int x = 0; x < L.width; ++x) total_error += static_cast<double>(std::abs(l[x] - w[x]));
  }
  const double mean_error = total_error / (static_cast<double>(L.width) * L.height);
  s.last_cut = mean_error > static_cast<double>(s.options.cut_threshold);
  if (!s.last_cut) {
    // Per pixel: the carried colour's share falls with how badly the motion explains the pixel, so
    // occlusions and motion boundaries take the new prediction instead of a ghost.
    const float carry = s.options.carry;
    const float inv_sigma2 = 1.0f / (s.options.match_sigma * s.options.match_sigma);
    for (int y = 0; y < L.height; ++y) {
      const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(y) * s.width;
      const float* l = L.row(y);
      float* pa = a.row(y);
      float* pb = b.row(y);
      for (int x = 0; x < L.width; ++x) {
        const float e = l[x] - s.warped_L[static_cast<std::size_t>(row + x)];
        const float weight = carry * std::exp(-e * e * inv_sigma2);
        pa[x] += weight * (s.warped_a[static_cast<std::size_t>(row + x)] - pa[x]);
        pb[x] += weight * (s.warped_b[static_cast<std::size_t>(row + x)] - pb[x]);
      }
    }
  }
  s.remember(L, a, b);
}

}  // namespace colorize::engine
