// Motion between two consecutive frames, from DIS optical flow (Kroeger et al. 2016, OpenCV's
// implementation) on L*, and planes of the earlier frame moved along it into the later frame's
// geometry. Shared by temporal stabilisation and by the motion-compensated flicker measure.
#pragma once

#include <memory>

#include "color/plane.hpp"

namespace colorize::engine {

class MotionWarp {
 public:
  MotionWarp();
  ~MotionWarp();
  MotionWarp(const MotionWarp&) = delete;
  MotionWarp& operator=(const MotionWarp&) = delete;

  // Finds, for every pixel of `current`, where it was in `previous` (both L*, 0..100, same size).
  void estimate(const color::ConstPlane& previous_L, const color::ConstPlane& current_L);
  // Sets the motion directly: pixel (x, y) of the later frame came from (x + dx(x, y), y + dy(x, y)).
  // estimate() ends here; tests use it to check warp()'s arithmetic against a known motion.
  void set_motion(const color::ConstPlane& dx, const color::ConstPlane& dy);
  // Writes `previous_plane` (a plane of the earlier frame) moved to the later frame: out(x) =
  // previous_plane(x + flow(x)), bilinear, edges replicated. out must not overlap previous_plane.
  void warp(const color::ConstPlane& previous_plane, const color::Plane& out) const;
  // Sets `plane` (the later frame's size) to 0 where the pixel came from outside the earlier frame
  // (the picture moved in from beyond its edge), where warp() can only repeat the edge.
  void zero_outside(const color::Plane& plane) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::engine
