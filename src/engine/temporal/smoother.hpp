// Temporal smoothing as the Colorizer sees it, whatever the mode: frames go in after the network, in
// stream order, and leave in the same order with their final a*b*, at once (off, live) or some frames
// later (file). One implementation per mode; make_smoother() picks one, and smoothers.cpp is the one
// place that knows whether this build has OpenCV's video module. Works at the network's size, on the CPU.
#pragma once

#include <memory>

#include "color/plane.hpp"
#include "engine/colorizer.hpp"

namespace colorize::engine {

class Smoother {
 public:
  virtual ~Smoother() = default;
  // Whether push() reads the planes (on the CUDA path they are then brought to the host first).
  virtual bool reads_planes() const = 0;
  // The next frame: L* (0..100) and the network's a*, b*, all one size. Returns whether it starts a new
  // scene (a cut, the first frame, a size change).
  virtual bool push(const color::ConstPlane& L, const color::Plane& a, const color::Plane& b) = 0;
  // Whether the oldest frame pushed and not yet popped is finished.
  virtual bool ready() const = 0;
  // Makes a and b (the planes pushed for the oldest frame) its final colour and forgets it; only when
  // ready().
  virtual void pop(const color::Plane& a, const color::Plane& b) = 0;
  // No frame follows (end of a stream or sequence): every frame held is finished, the next starts afresh.
  virtual void drain() = 0;
  // Forget everything, frames held included (a flushing seek).
  virtual void reset() = 0;
  // How many later frames a frame waits for.
  virtual int latency() const = 0;
};

// std::invalid_argument for live or file in a build without OpenCV's video module, or a bad look-ahead.
std::unique_ptr<Smoother> make_smoother(TemporalSmoothing mode, int lookahead);

}  // namespace colorize::engine
