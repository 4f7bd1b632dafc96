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

namespace colorize::engine {

struct StabilizerOptions {
  // Largest share of the carried colour in a pixel whose motion is explained perfectly; the new
  // prediction always keeps at least 1 - carry, so a wrong colour fades out within a few frames.
  float carry = 0.85f;
  // L* error (warped previous frame against this one) at which the carried colour's weight falls to
  // 1/e of carry: motion that does not explain a pixel hands it to the new prediction.
  float match_sigma = 4.0f;
  // Mean L* error of the warped previous frame above which the frame is a scene cut (state reset).
  float cut_threshold = 14.0f;
};

class TemporalStabilizer {
 public:
  explicit TemporalStabilizer(const StabilizerOptions& options = {});
  ~TemporalStabilizer();
  TemporalStabilizer(const TemporalStabilizer&) = delete;
  TemporalStabilizer& operator=(const TemporalStabilizer&) = delete;

  // One frame, in order: L (0..100) and the predicted a, b of the same size; a and b are replaced by
  // the stabilised colour. A size change starts afresh.
  void apply(const color::ConstPlane& L, const color::Plane& a, const color::Plane& b);
  // Forget the past (a seek, a flush, a new stream).
  void reset();
  // Whether the last apply() took the frame as a scene cut (or as the first frame after a reset).
  bool last_was_cut() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::engine
