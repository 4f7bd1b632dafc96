// The pieces both temporal smoothing modes are made of: an owned float plane, the scene-cut measure,
// and the per-pixel blend of colour carried along the motion into a frame's own prediction.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "color/plane.hpp"

namespace colorize::engine {

struct StabilizerOptions {
  // Largest share of the carried colour in a pixel whose motion is explained perfectly; the new
  // prediction always keeps at least 1 - carry, so a wrong colour fades out within a few frames.
  float carry = 0.85f;
  // L* error (warped neighbour frame against this one) at which the carried colour's weight falls to
  // 1/e of carry: motion that does not explain a pixel hands it to the frame's own prediction.
  float match_sigma = 4.0f;
  // Mean L* error of the warped neighbour frame above which two frames belong to different scenes.
  float cut_threshold = 14.0f;
  // Blending colours of different hue shortens the a*b* vector (greys the colour). With this on, a
  // blend keeps the blended length of the vectors instead (at most kMaxChromaGain times the shortened
  // one), so smoothing steadies hue without taking saturation.
  bool keep_chroma = true;
};

inline constexpr float kMaxChromaGain = 2.0f;

inline float chroma_of(float a, float b) { return std::sqrt(a * a + b * b); }

// (a, b) scaled to length `chroma` where blending made it shorter; see keep_chroma. Branch-free, so
// the blend loops vectorise.
inline void restore_chroma(float& a, float& b, float chroma) {
  const float gain = std::clamp(chroma / std::max(chroma_of(a, b), 1e-3f), 1.0f, kMaxChromaGain);
  a *= gain;
  b *= gain;
}

// A float plane that owns its values, rows contiguous.
class OwnedPlane {
 public:
  void resize(int width, int height);
  void copy_from(const color::ConstPlane& source);  // resizes to the source
  void fill(float value);
  color::Plane view() { return {values_.data(), width_, height_, width_}; }
  color::ConstPlane view() const { return {values_.data(), width_, height_, width_}; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  std::vector<float> values_;
  int width_ = 0, height_ = 0;
};

// Mean |L - warped_L|: how badly the motion explains this frame (scene cuts).
double mean_abs_difference(const color::ConstPlane& L, const color::ConstPlane& warped_L);

// The share of a neighbour's colour, moved into this frame, that each pixel takes:
// carry * exp(-(L - warped_L)^2 / match_sigma^2), so occlusions and motion boundaries (where the moved
// L* does not match) keep their own prediction instead of a ghost.
void carry_weights(const color::ConstPlane& L, const color::ConstPlane& warped_L,
                   const StabilizerOptions& options, const color::Plane& weights);

// out = own + weight * (warped - own) for a* and b* (out may be own), with keep_chroma.
void blend_colour(const color::ConstPlane& own_a, const color::ConstPlane& own_b,
                  const color::ConstPlane& warped_a, const color::ConstPlane& warped_b,
                  const color::ConstPlane& weights, const color::Plane& out_a, const color::Plane& out_b,
                  bool keep_chroma);

// The look-ahead's two-sided smoother from its one-sided parts: forward = own + w_f (past - own) and
// backward = own + w_b (future - own) combine into (w_f past + w_b future + (1 - carry) own) /
// (w_f + w_b + 1 - carry), for a steady carry c the kernel c^|k| over the frames around, normalised.
// Written as own + ((forward - own) + (backward - own)) / sum, so a frame whose neighbours agree with
// it keeps its colour exactly. With keep_chroma.
void combine_two_sided(const color::ConstPlane& own_a, const color::ConstPlane& own_b,
                       const color::ConstPlane& forward_a, const color::ConstPlane& forward_b,
                       const color::ConstPlane& forward_weights, const color::ConstPlane& backward_a,
                       const color::ConstPlane& backward_b, const color::ConstPlane& backward_weights,
                       const StabilizerOptions& options, const color::Plane& out_a,
                       const color::Plane& out_b);

}  // namespace colorize::engine
