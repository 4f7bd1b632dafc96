// Temporal smoothing in the Colorizer: static scenes keep their colour exactly, noise flickers less,
// a hard cut and a reset start afresh, and no frame's result depends on a later frame.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "color/frame_lab.hpp"
#include "engine/colorizer.hpp"
#include "support/temp_dir.hpp"
#include "support/test_models.hpp"

namespace colorize::engine {
namespace {

constexpr int kW = 96, kH = 64;
using Frame = std::vector<std::uint8_t>;  // GRAY8 in, RGB24 out

// A textured scene: blobs and stripes, shifted by `shift` pixels; `scene` picks one of two unrelated
// scenes; `noise` adds that much uniform noise (8-bit codes) with the given seed.
Frame scene_frame(int scene, int shift, int noise = 0, unsigned seed = 0) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> n(-noise, noise);
  Frame f(static_cast<std::size_t>(kW) * kH);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      const double u = x + shift, v = y;
      const double value = scene == 0
                               ? 128 + 60 * std::sin(u / 9.0) * std::cos(v / 7.0) + 30 * std::sin(u / 2.5)
                               : 40 + 170 * ((static_cast<int>(u / 12) + static_cast<int>(v / 12)) % 2) +
                                     20 * std::cos(v / 3.0);
      f[static_cast<std::size_t>(y) * kW + x] =
          static_cast<std::uint8_t>(std::clamp(static_cast<int>(value) + (noise > 0 ? n(rng) : 0), 0, 255));
    }
  return f;
}

class Temporal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    test::write_random_generator(dir_->file("random.safetensors"), 21, model::GeneratorConfig{4, 6, 1, 2},
                                 25.0f);
  }
  static void TearDownTestSuite() { delete dir_; }

  static Colorizer make(TemporalSmoothing mode) {
    ColorizerOptions o;
    o.model_path = dir_->file("random.safetensors");
    o.device = Device::Cpu;
    o.render_size = kH;
    o.temporal = mode;
    return Colorizer(o);
  }
  // Colorizes frames in order, one call each, and returns the RGB24 results.
  static std::vector<Frame> run(Colorizer& c, const std::vector<Frame>& frames) {
    std::vector<Frame> out;
    for (const Frame& f : frames) out.push_back(colorize_one(c, f));
    return out;
  }
  static Frame colorize_one(Colorizer& c, const Frame& f) {
    Frame out(static_cast<std::size_t>(kW) * kH * 3);
    c.colorize(color::packed_frame(color::PixelFormat::Gray8, f.data(), kW, kH),
               color::packed_frame(color::PixelFormat::Rgb24, out.data(), kW, kH));
    return out;
  }
  // Mean absolute change of a* and b* between consecutive outputs.
  static double ab_change(const std::vector<Frame>& frames) {
    const int n = kW * kH;
    std::vector<float> L(n), a0(n), b0(n), a1(n), b1(n);
    double total = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      color::frame_to_lab(color::packed_frame(color::PixelFormat::Rgb24, frames[i].data(), kW, kH),
                          {L.data(), kW, kH, kW}, {a1.data(), kW, kH, kW}, {b1.data(), kW, kH, kW});
      if (i > 0)
        for (int p = 0; p < n; ++p)
          total += static_cast<double>(std::abs(a1[p] - a0[p]) + std::abs(b1[p] - b0[p]));
      std::swap(a0, a1);
      std::swap(b0, b1);
    }
    return total / (2.0 * n * static_cast<double>(frames.size() - 1));
  }
  static test::TempDir* dir_;
};
test::TempDir* Temporal::dir_ = nullptr;

TEST_F(Temporal, BuildHasIt) { EXPECT_TRUE(temporal_smoothing_available()); }

TEST_F(Temporal, StaticSceneKeepsExactlyTheSameColour) {
  Colorizer live = make(TemporalSmoothing::Live);
  const std::vector<Frame> out = run(live, std::vector<Frame>(6, scene_frame(0, 0)));
  Colorizer off = make(TemporalSmoothing::Off);
  const Frame alone = colorize_one(off, scene_frame(0, 0));
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], alone) << "frame " << i;
}

TEST_F(Temporal, NoiseFlickersLessThanFrameByFrame) {
  std::vector<Frame> frames;
  for (unsigned i = 0; i < 12; ++i) frames.push_back(scene_frame(0, 0, 12, i + 1));
  Colorizer off = make(TemporalSmoothing::Off), live = make(TemporalSmoothing::Live);
  const double flicker_off = ab_change(run(off, frames));
  const double flicker_live = ab_change(run(live, frames));
  EXPECT_GT(flicker_off, 0.5) << "the noise should move the prediction";
  EXPECT_LT(flicker_live, 0.6 * flicker_off) << "off " << flicker_off << ", live " << flicker_live;
}

TEST_F(Temporal, HardCutStartsAfresh) {
  std::vector<Frame> frames;
  for (int i = 0; i < 5; ++i) frames.push_back(scene_frame(0, i));
  frames.push_back(scene_frame(1, 0));  // the cut
  Colorizer live = make(TemporalSmoothing::Live);
  const std::vector<Frame> out = run(live, frames);
  Colorizer off = make(TemporalSmoothing::Off);
  EXPECT_EQ(out.back(), colorize_one(off, frames.back())) << "colour carried across the cut";
  EXPECT_EQ(live.stage_times().scene_cuts, 2) << "the first frame and the cut";
}

TEST_F(Temporal, MovingSceneIsNotACut) {
  std::vector<Frame> frames;
  for (int i = 0; i < 6; ++i) frames.push_back(scene_frame(0, 2 * i));
  Colorizer live = make(TemporalSmoothing::Live);
  run(live, frames);
  EXPECT_EQ(live.stage_times().scene_cuts, 1) << "only the first frame";
}

TEST_F(Temporal, NoFrameDependsOnALaterOne) {
  const std::vector<Frame> a = {scene_frame(0, 0), scene_frame(0, 1), scene_frame(0, 2)};
  const std::vector<Frame> b = {scene_frame(0, 0), scene_frame(0, 1), scene_frame(1, 2)};
  // One batch each: the frames run through the network together, the smoothing in order.
  const auto batch = [](Colorizer& c, const std::vector<Frame>& in) {
    std::vector<Frame> out(in.size(), Frame(static_cast<std::size_t>(kW) * kH * 3));
    std::vector<color::FrameView> views;
    std::vector<color::MutableFrameView> outs;
    for (std::size_t i = 0; i < in.size(); ++i) {
      views.push_back(color::packed_frame(color::PixelFormat::Gray8, in[i].data(), kW, kH));
      outs.push_back(color::packed_frame(color::PixelFormat::Rgb24, out[i].data(), kW, kH));
    }
    c.colorize(views, outs);
    return out;
  };
  Colorizer first = make(TemporalSmoothing::Live), second = make(TemporalSmoothing::Live);
  const std::vector<Frame> out_a = batch(first, a), out_b = batch(second, b);
  EXPECT_EQ(out_a[0], out_b[0]);
  EXPECT_EQ(out_a[1], out_b[1]);
  EXPECT_NE(out_a[2], out_b[2]);
  Colorizer sequential = make(TemporalSmoothing::Live);
  EXPECT_EQ(run(sequential, a), out_a) << "a batch gives what frame-by-frame calls give";
}

// A new frame size mid-stream (a renegotiation, a resolution switch) starts afresh, with no error.
TEST_F(Temporal, NewFrameSizeStartsAfresh) {
  Colorizer live = make(TemporalSmoothing::Live);
  run(live, {scene_frame(0, 0), scene_frame(0, 1)});
  // The same scene at half the width: the left half of the frame.
  const int w = kW / 2;
  const Frame full = scene_frame(0, 2);
  Frame half(static_cast<std::size_t>(w) * kH);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < w; ++x)
      half[static_cast<std::size_t>(y) * w + x] = full[static_cast<std::size_t>(y) * kW + x];
  const auto colorize_half = [&](Colorizer& c) {
    Frame out(static_cast<std::size_t>(w) * kH * 3);
    c.colorize(color::packed_frame(color::PixelFormat::Gray8, half.data(), w, kH),
               color::packed_frame(color::PixelFormat::Rgb24, out.data(), w, kH));
    return out;
  };
  Colorizer off = make(TemporalSmoothing::Off);
  EXPECT_EQ(colorize_half(live), colorize_half(off));
  EXPECT_EQ(live.stage_times().scene_cuts, 2) << "the first frame and the size change";
}

TEST_F(Temporal, ResetForgetsThePast) {
  Colorizer live = make(TemporalSmoothing::Live);
  run(live, {scene_frame(0, 0, 12, 1), scene_frame(0, 0, 12, 2)});
  live.reset_temporal();
  const Frame next = scene_frame(0, 0, 12, 3);
  Colorizer off = make(TemporalSmoothing::Off);
  EXPECT_EQ(colorize_one(live, next), colorize_one(off, next));
}

}  // namespace
}  // namespace colorize::engine
