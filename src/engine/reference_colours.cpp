#include "engine/reference_colours.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <stdexcept>
#include <string>

#include "color/area_shrink.hpp"
#include "color/frame_lab.hpp"

#ifdef COLORIZE_HAVE_TEMPORAL
#include <torch/torch.h>

#include "engine/colorizer.hpp"
#include "engine/colour_passes.hpp"
#include "engine/temporal/colour_carry.hpp"
#include "engine/temporal/motion_warp.hpp"
#include "engine/tensor_planes.hpp"
#endif

namespace colorize::engine {

#ifdef COLORIZE_HAVE_TEMPORAL
namespace {

constexpr float kSmallestWeight = 1.0f / 255.0f;  // below this a guide is not kept (stored in 8 bits)

// Planes are copied through torch to resize them the way the colour passes resize L*: an area mean when
// shrinking on both axes, else bilinear (half-pixel centres).
void resize_plane(const color::ConstPlane& from, OwnedPlane& to, int width, int height) {
  to.resize(width, height);
  const torch::Tensor in = torch::from_blob(
      const_cast<float*>(from.data), {1, 1, from.height, from.width},
      {from.height * from.stride, from.height * from.stride, from.stride, 1}, torch::kFloat32);
  const torch::Tensor out = width <= from.width && height <= from.height
                                ? torch::adaptive_avg_pool2d(in, {height, width})
                                : torch::upsample_bilinear2d(in, {height, width}, /*align_corners=*/false);
  const torch::Tensor c = out.contiguous();
  std::copy(c.data_ptr<float>(), c.data_ptr<float>() + c.numel(), to.view().data);
}

float max_of(const OwnedPlane& p) {
  const color::ConstPlane v = p.view();
  float m = 0;
  for (int y = 0; y < v.height; ++y)
    for (int x = 0; x < v.width; ++x) m = std::max(m, v.row(y)[x]);
  return m;
}

// Pearson correlation of two planes' values (1 when one is the other brightened or darkened), or 1 when
// both are flat (nothing to compare).
double correlation(const color::ConstPlane& p, const color::ConstPlane& q) {
  const double n = static_cast<double>(p.width) * p.height;
  double sp = 0, sq = 0, spp = 0, sqq = 0, spq = 0;
  for (int y = 0; y < p.height; ++y)
    for (int x = 0; x < p.width; ++x) {
      const double u = p.row(y)[x], v = q.row(y)[x];
      sp += u;
      sq += v;
      spp += u * u;
      sqq += v * v;
      spq += u * v;
    }
  const double vp = spp / n - (sp / n) * (sp / n), vq = sqq / n - (sq / n) * (sq / n);
  constexpr double kFlat = 4.0;  // variance of L*: a standard deviation of 2 or less is a flat picture
  if (vp < kFlat && vq < kFlat) return 1.0;
  return (spq / n - (sp / n) * (sq / n)) / std::sqrt(std::max(vp, 1e-9) * std::max(vq, 1e-9));
}

// A reference's a*b* at the network's size of its frame.
struct ReferenceColour {
  OwnedPlane a, b;
};

// One direction's carried reference at a frame: per pixel, where it lies in the reference's frame (the
// motions between composed, so the colour is sampled once from the reference instead of moved frame by
// frame, which would blur it a little more at every step) and the weight it carries; and how many
// frames from the reference.
struct Carried {
  std::shared_ptr<const ReferenceColour> colour;
  OwnedPlane x, y, weight;
  long distance = 0;
};

// At the reference's own frame: every pixel where it is, with all its weight.
Carried carried_from(std::shared_ptr<const ReferenceColour> colour) {
  Carried c;
  const int w = colour->a.width(), h = colour->a.height();
  c.colour = std::move(colour);
  c.x.resize(w, h);
  c.y.resize(w, h);
  c.weight.resize(w, h);
  c.weight.fill(1.0f);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      c.x.view().row(y)[x] = static_cast<float>(x);
      c.y.view().row(y)[x] = static_cast<float>(y);
    }
  return c;
}

struct ReferencePicture {
  std::optional<double> seconds;
  std::optional<long> frame;
  std::string label;
  OwnedPlane L, a, b;  // at most 2 x render_size on the short side
  bool matched = false;
};

// A frame waiting for a reference later in its shot: its L* and what came forward from an earlier one.
struct HeldFrame {
  long index = 0;
  OwnedPlane L;
  std::optional<Carried> forward;
};

struct StoredGuide {
  long offset = 0;
  int width = 0, height = 0;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

struct ReferenceColours::State {
  ReferenceOptions options;
  std::vector<ReferencePicture> references;
  std::unique_ptr<ColourPasses> passes = make_colour_passes(torch::Device(torch::kCPU));
  torch::Tensor l_full, l_small;
  StageTimes times;
  MotionWarp motion;
  MotionWarp sampler;  // reads a reference's colour at the positions carried to a frame
  long frames = 0;
  OwnedPlane previous_L;  // the last frame's, for the motion to the next
  std::optional<Carried> forward;
  std::deque<HeldFrame> held;
  OwnedPlane warped_L, warped, match;
  std::unique_ptr<std::FILE, FileCloser> store;
  long store_size = 0;
  std::map<long, StoredGuide> guides;
  std::vector<std::string> warnings;
  int used = 0;
  bool finished = false;

  void lightness(const color::FrameView& frame, OwnedPlane& L);
  ReferencePicture* reference_for(long index, double seconds);
  bool reference_ahead(long index, double seconds) const;
  bool move(const color::ConstPlane& from_L, const OwnedPlane& to_L);
  void carry(const OwnedPlane& to_L, Carried& c);
  void close_shot();
  void finish_frame(long index, const Carried* forward, const Carried* backward);
  void colour_of(const Carried& c, OwnedPlane& a, OwnedPlane& b);
  void write(long index, const OwnedPlane& a, const OwnedPlane& b, const OwnedPlane& weight);
};

void ReferenceColours::State::lightness(const color::FrameView& frame, OwnedPlane& L) {
  const auto [w, h] = Colorizer::inference_size(frame.width, frame.height, options.render_size);
  if (!l_full.defined() || l_full.size(2) != frame.height || l_full.size(3) != frame.width)
    l_full = torch::empty({1, 1, frame.height, frame.width});
  if (!l_small.defined() || l_small.size(2) != h || l_small.size(3) != w)
    l_small = torch::empty({1, 1, h, w});
  passes->to_lightness({frame}, l_full, l_small, times);
  L.copy_from(plane_of(l_small[0], 0));
}

ReferencePicture* ReferenceColours::State::reference_for(long index, double seconds) {
  ReferencePicture* found = nullptr;
  for (auto& r : references) {
    if (r.matched) continue;
    const bool here = r.frame ? *r.frame == index : seconds >= *r.seconds - options.tolerance_seconds;
    if (!here) continue;
    r.matched = true;
    if (found)
      warnings.push_back("two references for one frame: " + found->label + " and " + r.label + "; using " +
                         r.label);
    found = &r;
  }
  return found;
}

bool ReferenceColours::State::reference_ahead(long index, double seconds) const {
  return std::any_of(references.begin(), references.end(), [&](const ReferencePicture& r) {
    return !r.matched && (r.frame ? *r.frame > index : *r.seconds - options.tolerance_seconds > seconds);
  });
}

// The motion from the frame whose L* is from_L to the one whose L* is to_L; returns whether they belong
// to different shots (the moved lightness explains too little of the later frame).
bool ReferenceColours::State::move(const color::ConstPlane& from_L, const OwnedPlane& to_L) {
  motion.estimate(from_L, to_L.view());
  warped_L.resize(to_L.width(), to_L.height());
  motion.warp(from_L, warped_L.view());
  return mean_abs_difference(to_L.view(), warped_L.view()) > static_cast<double>(options.cut_threshold);
}

// Carries `c` along the last move() into the later frame (L* to_L), its weight falling where the moved
// lightness does not match and where the picture came in from beyond the edge.
void ReferenceColours::State::carry(const OwnedPlane& to_L, Carried& c) {
  const int w = to_L.width(), h = to_L.height();
  // The share kept: 1 while the moved lightness matches within the tolerance (averaged over a 5x5
  // neighbourhood, so that noise and the flow's small errors cost nothing however many frames the
  // reference travels), falling as exp(-(excess / sigma)^2) beyond it (occlusions, things entering).
  match.resize(w, h);
  {
    const auto tensor = [](OwnedPlane& p) {
      return torch::from_blob(p.view().data, {1, 1, p.height(), p.width()}, torch::kFloat32);
    };
    OwnedPlane& to = const_cast<OwnedPlane&>(to_L);  // read only
    const torch::Tensor error = (tensor(to) - tensor(warped_L)).abs_();
    const torch::Tensor local =
        torch::avg_pool2d(error, 5, 1, 2, /*ceil_mode=*/false, /*count_include_pad=*/false);
    const torch::Tensor excess = (local - options.match_tolerance).clamp_min_(0.0f) / options.match_sigma;
    tensor(match).copy_(torch::exp(-(excess * excess)));
  }
  warped.resize(w, h);
  for (OwnedPlane* p : {&c.x, &c.y, &c.weight}) {
    motion.warp(p->view(), warped.view());
    p->copy_from(warped.view());
  }
  motion.zero_outside(c.weight.view());
  for (int y = 0; y < h; ++y) {
    float* weight = c.weight.view().row(y);
    const float* m = match.view().row(y);
    for (int x = 0; x < w; ++x) weight[x] *= m[x];
  }
  ++c.distance;
}

// Frames held for a reference that did not come in their shot keep what came forward alone.
void ReferenceColours::State::close_shot() {
  for (auto& f : held) finish_frame(f.index, f.forward ? &*f.forward : nullptr, nullptr);
  held.clear();
  forward.reset();
}

// A frame's guide from the references before and after it in its shot: each weighted by its own
// weight and by the other's distance (the nearer reference counts more), so that a frame on a reference
// takes it alone and one halfway takes both equally.
void ReferenceColours::State::finish_frame(long index, const Carried* f, const Carried* b) {
  if (!f && !b) return;
  if (!f || !b) {
    const Carried& only = f ? *f : *b;
    if (max_of(only.weight) < kSmallestWeight) return;
    OwnedPlane a, bb;
    colour_of(only, a, bb);
    write(index, a, bb, only.weight);
    return;
  }
  const float span = static_cast<float>(f->distance + b->distance);
  const float share_f = span > 0 ? static_cast<float>(b->distance) / span : 0.5f;
  const int w = f->weight.width(), h = f->weight.height();
  OwnedPlane fa, fb, ba, bb;
  colour_of(*f, fa, fb);
  colour_of(*b, ba, bb);
  OwnedPlane weight;
  weight.resize(w, h);
  for (int y = 0; y < h; ++y) {
    float *pfa = fa.view().row(y), *pfb = fb.view().row(y);
    const float *pba = ba.view().row(y), *pbb = bb.view().row(y);
    const float *fw = f->weight.view().row(y), *bw = b->weight.view().row(y);
    float* ow = weight.view().row(y);
    for (int x = 0; x < w; ++x) {
      const float wf = fw[x] * share_f, wb = bw[x] * (1.0f - share_f);
      const float total = wf + wb;
      const float inv = total > 0 ? 1.0f / total : 0.0f;
      pfa[x] = (wf * pfa[x] + wb * pba[x]) * inv;  // the result in the forward planes
      pfb[x] = (wf * pfb[x] + wb * pbb[x]) * inv;
      ow[x] = total;
    }
  }
  if (max_of(weight) >= kSmallestWeight) write(index, fa, fb, weight);
}

// The reference's colour where each pixel of the carried frame lies in it (bilinear).
void ReferenceColours::State::colour_of(const Carried& c, OwnedPlane& a, OwnedPlane& b) {
  const int w = c.x.width(), h = c.x.height();
  OwnedPlane dx, dy;
  dx.resize(w, h);
  dy.resize(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      dx.view().row(y)[x] = c.x.view().row(y)[x] - static_cast<float>(x);
      dy.view().row(y)[x] = c.y.view().row(y)[x] - static_cast<float>(y);
    }
  sampler.set_motion(dx.view(), dy.view());
  a.resize(w, h);
  b.resize(w, h);
  sampler.warp(c.colour->a.view(), a.view());
  sampler.warp(c.colour->b.view(), b.view());
}

// Appended to the temporary file: a* and b* rounded to whole units (int8), the weight in 255ths.
void ReferenceColours::State::write(long index, const OwnedPlane& a, const OwnedPlane& b,
                                    const OwnedPlane& weight) {
  const int w = a.width(), h = a.height();
  const std::size_t n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
  std::vector<std::int8_t> bytes(3 * n);
  std::size_t i = 0;
  for (const OwnedPlane* p : {&a, &b})
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        bytes[i++] = static_cast<std::int8_t>(std::lround(std::clamp(p->view().row(y)[x], -127.0f, 127.0f)));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const long q = std::lround(std::clamp(weight.view().row(y)[x], 0.0f, 1.0f) * 255.0f);
      bytes[i++] = static_cast<std::int8_t>(static_cast<std::uint8_t>(q));
    }
  if (!store) {
    store.reset(std::tmpfile());
    if (!store) throw std::runtime_error("reference colours: cannot create a temporary file");
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), store.get()) != bytes.size() ||
      std::fflush(store.get()) != 0)
    throw std::runtime_error("reference colours: cannot write the temporary file (disk full?)");
  guides[index] = {store_size, w, h};
  store_size += static_cast<long>(bytes.size());
}

ReferenceColours::ReferenceColours(const std::vector<Reference>& references, const ReferenceOptions& options)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.options = options;
  for (const auto& r : references) {
    if (!r.seconds && !r.frame)
      throw std::invalid_argument("reference " + r.label + ": neither a time nor a frame number");
    ReferencePicture p;
    p.seconds = r.seconds;
    p.frame = r.frame;
    p.label = r.label;
    OwnedPlane L, a, b;
    L.resize(r.image.width, r.image.height);
    a.resize(r.image.width, r.image.height);
    b.resize(r.image.width, r.image.height);
    color::frame_to_lab(r.image, L.view(), a.view(), b.view());
    // Kept at most twice the render size: a reference is only ever seen at the network's size.
    const auto [w, h] = Colorizer::inference_size(r.image.width, r.image.height, 2 * options.render_size);
    if (w < r.image.width && h < r.image.height) {
      for (auto [from, to] : {std::pair{&L, &p.L}, std::pair{&a, &p.a}, std::pair{&b, &p.b}}) {
        to->resize(w, h);
        color::area_shrink(from->view(), to->view());
      }
    } else {
      p.L = std::move(L);
      p.a = std::move(a);
      p.b = std::move(b);
    }
    s.references.push_back(std::move(p));
  }
}

void ReferenceColours::add(const color::FrameView& frame, double seconds) {
  State& s = *state_;
  if (s.finished) throw std::logic_error("ReferenceColours::add after finish()");
  const long index = s.frames++;
  OwnedPlane L;
  s.lightness(frame, L);
  const int w = L.width(), h = L.height();

  // Where this frame stands: in the shot of the frames before, or the start of another.
  const bool sized_alike = s.previous_L.width() == w && s.previous_L.height() == h && index > 0;
  const bool looks_back = s.forward || !s.held.empty();
  bool cut = !sized_alike;
  if (sized_alike && looks_back) {
    cut = s.move(s.previous_L.view(), L);
    if (!cut && s.forward) s.carry(L, *s.forward);
  }
  if (cut) s.close_shot();
  if (s.forward && max_of(s.forward->weight) < kSmallestWeight) s.forward.reset();

  ReferencePicture* r = s.reference_for(index, seconds);
  OwnedPlane ra, rb, rL;
  if (r) {
    resize_plane(r->L.view(), rL, w, h);
    resize_plane(r->a.view(), ra, w, h);
    resize_plane(r->b.view(), rb, w, h);
    // Compared at a coarse size, where a photograph taken a little to the side still lines up.
    const auto [cw, ch] = Colorizer::inference_size(w, h, std::min({32, w, h}));
    OwnedPlane coarse_frame, coarse_reference;
    resize_plane(L.view(), coarse_frame, cw, ch);
    resize_plane(rL.view(), coarse_reference, cw, ch);
    const double c = correlation(coarse_frame.view(), coarse_reference.view());
    if (c < static_cast<double>(s.options.min_correlation)) {
      char text[64];
      std::snprintf(text, sizeof text, "%.2f", c);
      s.warnings.push_back("the reference " + r->label +
                           " does not match its frame: its lightness correlates " + text +
                           " with the frame's (another shot, or the wrong time?); left out");
      r = nullptr;
    }
  }
  if (r) {
    // Backwards through the frames held for it, from this frame to the shot's start or the reference
    // before; each takes what came forward too.
    auto colour = std::make_shared<ReferenceColour>();
    colour->a = std::move(ra);
    colour->b = std::move(rb);
    Carried back = carried_from(colour);
    const OwnedPlane* later = &L;
    for (auto it = s.held.rbegin(); it != s.held.rend(); ++it) {
      s.move(later->view(), it->L);  // within the shot: the cuts were found on the way forward
      s.carry(it->L, back);
      s.finish_frame(it->index, it->forward ? &*it->forward : nullptr, &back);
      later = &it->L;
    }
    s.held.clear();
    Carried here = carried_from(colour);
    s.finish_frame(index, &here, nullptr);
    s.forward = std::move(here);
    ++s.used;
  } else if (s.reference_ahead(index, seconds)) {
    s.held.push_back({index, L, s.forward});
  } else {
    s.finish_frame(index, s.forward ? &*s.forward : nullptr, nullptr);
  }
  s.previous_L = std::move(L);
}

void ReferenceColours::finish() {
  State& s = *state_;
  if (s.finished) return;
  s.close_shot();
  s.finished = true;
  for (const auto& r : s.references)
    if (!r.matched)
      s.warnings.push_back("the reference " + r.label + " matches no frame (the input has " +
                           std::to_string(s.frames) + " frames in its range); left out");
}

std::shared_ptr<const ColourGuide> ReferenceColours::guide(long index) const {
  const State& s = *state_;
  if (!s.finished) throw std::logic_error("ReferenceColours::guide before finish()");
  const auto it = s.guides.find(index);
  if (it == s.guides.end()) return nullptr;
  const StoredGuide& g = it->second;
  const std::size_t n = static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height);
  std::vector<std::int8_t> bytes(3 * n);
  // pread: no shared file position, so guides may be read from any thread.
  if (::pread(fileno(s.store.get()), bytes.data(), bytes.size(), g.offset) !=
      static_cast<ssize_t>(bytes.size()))
    throw std::runtime_error("reference colours: cannot read the temporary file back");
  auto out = std::make_shared<ColourGuide>();
  out->width = g.width;
  out->height = g.height;
  out->a.resize(n);
  out->b.resize(n);
  out->weight.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out->a[i] = bytes[i];
    out->b[i] = bytes[n + i];
    out->weight[i] = static_cast<float>(static_cast<std::uint8_t>(bytes[2 * n + i])) / 255.0f;
  }
  return out;
}

const std::vector<std::string>& ReferenceColours::warnings() const { return state_->warnings; }
int ReferenceColours::references_used() const { return state_->used; }
long ReferenceColours::frames_guided() const { return static_cast<long>(state_->guides.size()); }

ReferenceColours::~ReferenceColours() = default;

#else  // no OpenCV video module: no motion to carry references along

struct ReferenceColours::State {
  std::vector<std::string> warnings;
};

ReferenceColours::ReferenceColours(const std::vector<Reference>&, const ReferenceOptions&) {
  throw std::invalid_argument(
      "reference colours need OpenCV's video module, and this build has none (install libopencv-video-dev "
      "and rebuild)");
}
ReferenceColours::~ReferenceColours() = default;
void ReferenceColours::add(const color::FrameView&, double) {}
void ReferenceColours::finish() {}
std::shared_ptr<const ColourGuide> ReferenceColours::guide(long) const { return nullptr; }
const std::vector<std::string>& ReferenceColours::warnings() const { return state_->warnings; }
int ReferenceColours::references_used() const { return 0; }
long ReferenceColours::frames_guided() const { return 0; }

#endif

}  // namespace colorize::engine
