#include "engine/temporal/colour_carry.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "color/power.hpp"
#include "color/target_clones.hpp"

namespace colorize::engine {

void OwnedPlane::resize(int width, int height) {
  width_ = width;
  height_ = height;
  values_.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
}

void OwnedPlane::copy_from(const color::ConstPlane& source) {
  resize(source.width, source.height);
  for (int y = 0; y < height_; ++y) {
    const float* from = source.row(y);
    float* to = view().row(y);
    for (int x = 0; x < width_; ++x) to[x] = from[x];
  }
}

void OwnedPlane::fill(float value) { std::fill(values_.begin(), values_.end(), value); }

double mean_abs_difference(const color::ConstPlane& L, const color::ConstPlane& warped_L) {
  double total = 0;
  for (int y = 0; y < L.height; ++y) {
    const float* l = L.row(y);
    const float* w = warped_L.row(y);
    for (int x = 0; x < L.width; ++x) total += static_cast<double>(std::abs(l[x] - w[x]));
  }
  return total / (static_cast<double>(L.width) * L.height);
}

// exp as 2^(x log2 e) with color/power.hpp's polynomial: std::exp stays a scalar libm call per pixel.
COLORIZE_CLONES void carry_weights(const color::ConstPlane& L, const color::ConstPlane& warped_L,
                                   const StabilizerOptions& options, const color::Plane& weights) {
  const float carry = options.carry;
  constexpr float kLog2E = 1.44269504088896341f;
  const float scale = -kLog2E / (options.match_sigma * options.match_sigma);
  for (int y = 0; y < L.height; ++y) {
    const float* l = L.row(y);
    const float* wl = warped_L.row(y);
    float* w = weights.row(y);
    for (int x = 0; x < L.width; ++x) {
      const float e = l[x] - wl[x];
      w[x] = carry * color::exp2_clamped(e * e * scale);
    }
  }
}

COLORIZE_CLONES void blend_colour(const color::ConstPlane& own_a, const color::ConstPlane& own_b,
                                  const color::ConstPlane& warped_a, const color::ConstPlane& warped_b,
                                  const color::ConstPlane& weights, const color::Plane& out_a,
                                  const color::Plane& out_b, bool keep_chroma) {
  for (int y = 0; y < out_a.height; ++y) {
    const float *pa = own_a.row(y), *pb = own_b.row(y);
    const float *wa = warped_a.row(y), *wb = warped_b.row(y), *w = weights.row(y);
    float *oa = out_a.row(y), *ob = out_b.row(y);
    // ivdep: out may be own, element for element, which is no dependence between iterations.
    if (keep_chroma) {
#pragma GCC ivdep
      for (int x = 0; x < out_a.width; ++x) {
        const float own = chroma_of(pa[x], pb[x]);
        const float chroma = own + w[x] * (chroma_of(wa[x], wb[x]) - own);
        float a = pa[x] + w[x] * (wa[x] - pa[x]);
        float b = pb[x] + w[x] * (wb[x] - pb[x]);
        restore_chroma(a, b, chroma);
        oa[x] = a;
        ob[x] = b;
      }
    } else {
#pragma GCC ivdep
      for (int x = 0; x < out_a.width; ++x) {
        oa[x] = pa[x] + w[x] * (wa[x] - pa[x]);
        ob[x] = pb[x] + w[x] * (wb[x] - pb[x]);
      }
    }
  }
}

COLORIZE_CLONES void combine_two_sided(const color::ConstPlane& own_a, const color::ConstPlane& own_b,
                                       const color::ConstPlane& forward_a, const color::ConstPlane& forward_b,
                                       const color::ConstPlane& forward_weights,
                                       const color::ConstPlane& backward_a,
                                       const color::ConstPlane& backward_b,
                                       const color::ConstPlane& backward_weights,
                                       const StabilizerOptions& options, const color::Plane& out_a,
                                       const color::Plane& out_b) {
  const float own_share = 1.0f - options.carry;
  const bool keep_chroma = options.keep_chroma;
  for (int y = 0; y < out_a.height; ++y) {
    const float *pa = own_a.row(y), *pb = own_b.row(y);
    const float *fa = forward_a.row(y), *fb = forward_b.row(y), *wf = forward_weights.row(y);
    const float *ba = backward_a.row(y), *bb = backward_b.row(y), *wb = backward_weights.row(y);
    float *oa = out_a.row(y), *ob = out_b.row(y);
#pragma GCC ivdep
    for (int x = 0; x < out_a.width; ++x) {
      const float inv_sum = 1.0f / (wf[x] + wb[x] + own_share);
      float a = pa[x] + ((fa[x] - pa[x]) + (ba[x] - pa[x])) * inv_sum;
      float b = pb[x] + ((fb[x] - pb[x]) + (bb[x] - pb[x])) * inv_sum;
      const float own = chroma_of(pa[x], pb[x]);
      const float chroma =
          own + ((chroma_of(fa[x], fb[x]) - own) + (chroma_of(ba[x], bb[x]) - own)) * inv_sum;
      if (keep_chroma) restore_chroma(a, b, chroma);
      oa[x] = a;
      ob[x] = b;
    }
  }
}

}  // namespace colorize::engine
