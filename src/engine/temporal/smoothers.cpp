// The three temporal modes behind engine/temporal/smoother.hpp, and the one place that knows whether this
// build has OpenCV's video module (COLORIZE_HAVE_TEMPORAL).
#include <stdexcept>

#include "engine/temporal/smoother.hpp"
#ifdef COLORIZE_HAVE_TEMPORAL
#include "engine/temporal/lookahead_stabilizer.hpp"
#include "engine/temporal/temporal_stabilizer.hpp"
#endif

namespace colorize::engine {
namespace {

// Off: every frame as the network made it, finished at once.
class OffSmoother final : public Smoother {
 public:
  bool reads_planes() const override { return false; }
  bool push(const color::ConstPlane&, const color::Plane&, const color::Plane&) override {
    ++held_;
    return false;
  }
  bool ready() const override { return held_ > 0; }
  void pop(const color::Plane&, const color::Plane&) override { --held_; }
  void drain() override {}
  void reset() override { held_ = 0; }
  int latency() const override { return 0; }

 private:
  int held_ = 0;
};

#ifdef COLORIZE_HAVE_TEMPORAL
// Live: colour carried from the frames before, in place, finished at once.
class LiveSmoother final : public Smoother {
 public:
  bool reads_planes() const override { return true; }
  bool push(const color::ConstPlane& L, const color::Plane& a, const color::Plane& b) override {
    stabilizer_.apply(L, a, b);
    ++held_;
    return stabilizer_.last_was_cut();
  }
  bool ready() const override { return held_ > 0; }
  void pop(const color::Plane&, const color::Plane&) override { --held_; }
  void drain() override { stabilizer_.reset(); }
  void reset() override {
    stabilizer_.reset();
    held_ = 0;
  }
  int latency() const override { return 0; }

 private:
  TemporalStabilizer stabilizer_;
  int held_ = 0;
};

// File: also from the next `lookahead` frames; a frame is finished once they have come (or a cut, or
// the end).
class FileSmoother final : public Smoother {
 public:
  explicit FileSmoother(int lookahead) : stabilizer_(lookahead), lookahead_(lookahead) {}
  bool reads_planes() const override { return true; }
  bool push(const color::ConstPlane& L, const color::Plane& a, const color::Plane& b) override {
    return stabilizer_.push(L, a, b);
  }
  bool ready() const override { return stabilizer_.ready(); }
  void pop(const color::Plane& a, const color::Plane& b) override { stabilizer_.pop(a, b); }
  void drain() override { stabilizer_.drain(); }
  void reset() override { stabilizer_.reset(); }
  int latency() const override { return lookahead_; }

 private:
  LookaheadStabilizer stabilizer_;
  int lookahead_;
};
#endif

}  // namespace

bool temporal_smoothing_available() {
#ifdef COLORIZE_HAVE_TEMPORAL
  return true;
#else
  return false;
#endif
}

std::unique_ptr<Smoother> make_smoother(TemporalSmoothing mode, [[maybe_unused]] int lookahead) {
  switch (mode) {
    case TemporalSmoothing::Off:
      return std::make_unique<OffSmoother>();
#ifdef COLORIZE_HAVE_TEMPORAL
    case TemporalSmoothing::Live:
      return std::make_unique<LiveSmoother>();
    case TemporalSmoothing::File:
      return std::make_unique<FileSmoother>(lookahead);
#endif
    default:
      throw std::invalid_argument(
          "temporal smoothing needs OpenCV's video module, and this build has none "
          "(install libopencv-video-dev and rebuild, or turn temporal smoothing off)");
  }
}

}  // namespace colorize::engine
