// Temporal stabilisation of predicted colour: a per-frame colorizer's a*b* jump between adjacent frames
// in busy or moving scenes. This carries the colour already shown along the motion of the image (DIS
// optical flow on L*, from OpenCV) and blends it with the network's new prediction; where the motion
// does not explain the new frame (occlusions, motion boundaries) the new prediction wins, and at a scene
// cut the carried colour is dropped altogether, so colour never ghosts or crosses a cut.
//
// Causal: a frame's result depends on it and the frames before it only (live pipelines; no latency).
// Works at the network's resolution (L* and a*b* there), where flow is cheap and a*b* are smooth.
#pragma once

#include <memory>

#include "color/plane.hpp"
#include "engine/temporal/colour_carry.hpp"

namespace colorize::engine {

class TemporalStabilizer {
 public:
  explicit TemporalStabilizer(const StabilizerOptions& options = {});
  ~TemporalStabilizer();
  TemporalStabilizer(const TemporalStabilizer&) = delete;
  TemporalStabilizer& operator=(const TemporalStabilizer&) = delete;

  // One frame, in order: L (0..100) and the predicted a, b of the same size; a and b are replaced by
  // the stabilised colour. A size change starts afresh. `weights`, if given, receives each pixel's
  // share of the carried colour (0 throughout at a scene cut).
  void apply(const color::ConstPlane& L, const color::Plane& a, const color::Plane& b,
             const color::Plane* weights = nullptr);
  // Forget the past (a seek, a flush, a new stream).
  void reset();
  // Whether the last apply() took the frame as a scene cut (or as the first frame after a reset).
  bool last_was_cut() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::engine
