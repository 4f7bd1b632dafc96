#include "engine/temporal/lookahead_stabilizer.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/temporal/motion_warp.hpp"
#include "engine/temporal/temporal_stabilizer.hpp"

namespace colorize::engine {
namespace {

struct Frame {
  OwnedPlane L, a, b;               // the network's colour
  OwnedPlane forward_a, forward_b;  // carried from the frames before (the live result)
  OwnedPlane forward_weight;        // the share of the carried colour in forward_a, forward_b
  bool starts_scene = true;
  // Motion from the next frame back into this one, and the share of the next frame's colour each pixel
  // takes along it; set when the next frame arrives in the same scene.
  MotionWarp from_next;
  OwnedPlane next_weight;
};

}  // namespace

struct LookaheadStabilizer::State {
  explicit State(const StabilizerOptions& o) : options(o), forward(o) {}
  int lookahead = 0;
  StabilizerOptions options;
  TemporalStabilizer forward;  // the live pass, with the same options
  std::deque<std::unique_ptr<Frame>> held;
  std::vector<std::unique_ptr<Frame>> spare;  // popped frames, reused: their flow state is costly to make
  bool ended = false;                         // drain(): nothing follows the last frame held
  OwnedPlane back_a, back_b, warped_a, warped_b, next_L_warped, no_weight;

  // Frames after held[0] in its scene that the backward pass may use.
  std::size_t frames_after_front() const {
    std::size_t n = 0;
    while (n + 1 < held.size() && n < static_cast<std::size_t>(lookahead) && !held[n + 1]->starts_scene) ++n;
    return n;
  }
};

LookaheadStabilizer::LookaheadStabilizer(int lookahead, const StabilizerOptions& options)
    : state_(std::make_unique<State>(options)) {
  if (lookahead < 1)
    throw std::invalid_argument("look-ahead must be at least one frame, got " + std::to_string(lookahead));
  state_->lookahead = lookahead;
}
LookaheadStabilizer::~LookaheadStabilizer() = default;

bool LookaheadStabilizer::push(const color::ConstPlane& L, const color::ConstPlane& a,
                               const color::ConstPlane& b) {
  State& s = *state_;
  if (s.ended) {
    s.forward.reset();
    s.ended = false;
  }
  std::unique_ptr<Frame> f;
  if (s.spare.empty()) {
    f = std::make_unique<Frame>();
  } else {
    f = std::move(s.spare.back());
    s.spare.pop_back();
  }
  f->L.copy_from(L);
  f->a.copy_from(a);
  f->b.copy_from(b);
  f->forward_a.copy_from(a);
  f->forward_b.copy_from(b);
  f->forward_weight.resize(L.width, L.height);
  const color::Plane forward_weight = f->forward_weight.view();
  s.forward.apply(L, f->forward_a.view(), f->forward_b.view(), &forward_weight);
  f->starts_scene = s.forward.last_was_cut() || s.held.empty();
  if (!f->starts_scene) {
    Frame& previous = *s.held.back();
    previous.from_next.estimate(f->L.view(), previous.L.view());
    s.next_L_warped.resize(L.width, L.height);
    previous.from_next.warp(f->L.view(), s.next_L_warped.view());
    previous.next_weight.resize(L.width, L.height);
    carry_weights(previous.L.view(), s.next_L_warped.view(), s.options, previous.next_weight.view());
  }
  s.held.push_back(std::move(f));
  return s.held.back()->starts_scene;
}

bool LookaheadStabilizer::ready() const {
  const State& s = *state_;
  if (s.held.empty()) return false;
  const std::size_t after = s.frames_after_front();
  return s.ended || after == static_cast<std::size_t>(s.lookahead) || after + 1 < s.held.size();
}

void LookaheadStabilizer::pop(const color::Plane& a, const color::Plane& b) {
  if (!ready()) throw std::logic_error("LookaheadStabilizer::pop: the oldest frame is not finished");
  State& s = *state_;
  const std::size_t last = s.frames_after_front();
  // Backwards from the furthest frame of the look-ahead: each frame's own colour, with the colour of
  // the frame after it carried in along the motion.
  s.back_a.copy_from(s.held[last]->a.view());
  s.back_b.copy_from(s.held[last]->b.view());
  for (std::size_t i = last; i-- > 0;) {
    Frame& f = *s.held[i];
    s.warped_a.resize(f.L.width(), f.L.height());
    s.warped_b.resize(f.L.width(), f.L.height());
    f.from_next.warp(s.back_a.view(), s.warped_a.view());
    f.from_next.warp(s.back_b.view(), s.warped_b.view());
    blend_colour(f.a.view(), f.b.view(), s.warped_a.view(), s.warped_b.view(), f.next_weight.view(),
                 s.back_a.view(), s.back_b.view(), s.options.keep_chroma);
  }
  // The backward colour's weight in the front frame: none when nothing follows it in its scene.
  if (last == 0) {
    s.no_weight.resize(a.width, a.height);
    s.no_weight.fill(0.0f);
  }
  const color::ConstPlane back_weight = last > 0 ? s.held.front()->next_weight.view() : s.no_weight.view();
  const Frame& front = *s.held.front();
  combine_two_sided(front.a.view(), front.b.view(), front.forward_a.view(), front.forward_b.view(),
                    front.forward_weight.view(), s.back_a.view(), s.back_b.view(), back_weight, s.options, a,
                    b);
  s.spare.push_back(std::move(s.held.front()));
  s.held.pop_front();
  if (s.held.empty() && s.ended) {
    s.forward.reset();
    s.ended = false;
  }
}

void LookaheadStabilizer::drain() {
  if (state_->held.empty())
    state_->forward.reset();
  else
    state_->ended = true;  // the forward state is reset once the last of them is gone, or at the next push
}

void LookaheadStabilizer::reset() {
  State& s = *state_;
  while (!s.held.empty()) {
    s.spare.push_back(std::move(s.held.front()));
    s.held.pop_front();
  }
  s.forward.reset();
  s.ended = false;
}

}  // namespace colorize::engine
