// Temporal stabilisation for files, where output may come a few frames late: a frame's colour is carried
// from the frames before it (exactly what the live TemporalStabilizer computes) and, the same way but
// backwards along the motion, from up to `lookahead` frames after it; the two make one two-sided
// smoother. Both sides remove the lag a causal filter has, and its frame-to-frame noise falls several
// times further (for a steady carry c the weights are c^|k| around the frame, not (1 - c) c^k behind it).
//
// A frame is finished once `lookahead` frames follow it, or a scene cut does (colour never crosses a
// cut, in either direction), or drain() says no more frames follow. Works at the network's resolution.
#pragma once

#include <memory>

#include "color/plane.hpp"
#include "engine/temporal/colour_carry.hpp"

namespace colorize::engine {

class LookaheadStabilizer {
 public:
  explicit LookaheadStabilizer(int lookahead, const StabilizerOptions& options = {});
  ~LookaheadStabilizer();
  LookaheadStabilizer(const LookaheadStabilizer&) = delete;
  LookaheadStabilizer& operator=(const LookaheadStabilizer&) = delete;

  // The next frame of the stream: L (0..100) and the network's a, b, all one size (copied). Returns
  // whether it starts a new scene (the first frame, a cut, a size change, the first after drain()).
  bool push(const color::ConstPlane& L, const color::ConstPlane& a, const color::ConstPlane& b);
  // Whether the oldest frame held is finished.
  bool ready() const;
  // Writes the oldest frame's stabilised colour into a and b (its size) and forgets the frame; only
  // when ready().
  void pop(const color::Plane& a, const color::Plane& b);
  // No frame follows those held (end of stream): every one is finished, and the next push starts afresh.
  void drain();
  // Forget everything, the frames held included (a flushing seek).
  void reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::engine
