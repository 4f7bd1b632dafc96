#include "engine/temporal/temporal_stabilizer.hpp"

#include <algorithm>

#include "engine/temporal/motion_warp.hpp"

namespace colorize::engine {

struct TemporalStabilizer::State {
  StabilizerOptions options;
  MotionWarp motion;
  bool has_previous = false;
  bool last_cut = true;
  OwnedPlane previous_L, previous_a, previous_b;  // the last frame: L* and the colour shown
  OwnedPlane warped_L, warped_a, warped_b, weights;

  void remember(const color::ConstPlane& L, const color::ConstPlane& a, const color::ConstPlane& b) {
    previous_L.copy_from(L);
    previous_a.copy_from(a);
    previous_b.copy_from(b);
    for (OwnedPlane* p : {&warped_L, &warped_a, &warped_b, &weights}) p->resize(L.width, L.height);
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

void TemporalStabilizer::apply(const color::ConstPlane& L, const color::Plane& a, const color::Plane& b,
                               const color::Plane* weights) {
  State& s = *state_;
  const auto no_carry = [&] {
    s.last_cut = true;
    if (weights)
      for (int y = 0; y < weights->height; ++y) std::fill_n(weights->row(y), weights->width, 0.0f);
  };
  if (!s.has_previous || s.previous_L.width() != L.width || s.previous_L.height() != L.height) {
    no_carry();
    s.remember(L, a, b);
    return;
  }
  s.motion.estimate(s.previous_L.view(), L);
  s.motion.warp(s.previous_L.view(), s.warped_L.view());
  // A scene cut: the previous frame, moved as well as the flow can, still does not look like this one.
  if (mean_abs_difference(L, s.warped_L.view()) > static_cast<double>(s.options.cut_threshold)) {
    no_carry();
  } else {
    s.last_cut = false;
    s.motion.warp(s.previous_a.view(), s.warped_a.view());
    s.motion.warp(s.previous_b.view(), s.warped_b.view());
    const color::Plane w = weights ? *weights : s.weights.view();
    carry_weights(L, s.warped_L.view(), s.options, w);
    blend_colour(a, b, s.warped_a.view(), s.warped_b.view(), w, a, b, s.options.keep_chroma);
  }
  s.remember(L, a, b);
}

}  // namespace colorize::engine
