// Temporal smoothing in the Colorizer: static scenes keep their colour exactly, noise flickers less,
// a hard cut and a reset start afresh, no live frame depends on a later frame, and a file-mode frame
// depends on no frame past its look-ahead and comes out exactly that late; the look-ahead's options reach
// its live pass.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "color/frame_lab.hpp"
#include "engine/colorizer.hpp"
#include "engine/temporal/lookahead_stabilizer.hpp"
#include "support/engine_calls.hpp"
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

  static Colorizer make(TemporalSmoothing mode, int lookahead = 8) {
    ColorizerOptions o;
    o.model_path = dir_->file("random.safetensors");
    o.device = Device::Cpu;
    o.render_size = kH;
    o.temporal = mode;
    o.lookahead = lookahead;
    return Colorizer(o);
  }
  // Any mode, through send() and receive() as the CLI drives it: frames in one at a time, each
  // finished frame taken as soon as there is one, the rest after drain().
  static std::vector<Frame> stream(Colorizer& c, const std::vector<Frame>& frames) {
    std::vector<Frame> out;
    const auto take_finished = [&] {
      for (;;) {
        Frame f(static_cast<std::size_t>(kW) * kH * 3);
        if (!c.receive(color::packed_frame(color::PixelFormat::Rgb24, f.data(), kW, kH))) return;
        out.push_back(std::move(f));
      }
    };
    for (const Frame& f : frames) {
      c.send({color::packed_frame(color::PixelFormat::Gray8, f.data(), kW, kH)});
      take_finished();
    }
    c.flush();
    take_finished();
    return out;
  }
  // Colorizes frames in order, one call each, and returns the RGB24 results.
  static std::vector<Frame> run(Colorizer& c, const std::vector<Frame>& frames) {
    std::vector<Frame> out;
    for (const Frame& f : frames) out.push_back(colorize_one(c, f));
    return out;
  }
  static Frame colorize_one(Colorizer& c, const Frame& f) {
    Frame out(static_cast<std::size_t>(kW) * kH * 3);
    test::colorize_now(c, color::packed_frame(color::PixelFormat::Gray8, f.data(), kW, kH),
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

// A strip too thin for optical flow (2048x2 is 256x1 at render size 64; DIS needs 8 pixels a side):
// both smoothing modes colour it, taking it as still, where they once failed with OpenCV's error.
TEST_F(Temporal, StripsTooThinForOpticalFlowAreSmoothedAsStill) {
  constexpr int w = 2048, h = 2;
  std::vector<std::uint8_t> gray(static_cast<std::size_t>(w) * h);
  for (std::size_t i = 0; i < gray.size(); ++i) gray[i] = static_cast<std::uint8_t>((i * 7) % 256);
  for (TemporalSmoothing mode : {TemporalSmoothing::Live, TemporalSmoothing::File}) {
    Colorizer c = make(mode);
    for (int i = 0; i < 4; ++i) c.send(color::packed_frame(color::PixelFormat::Gray8, gray.data(), w, h));
    c.flush();
    std::vector<std::uint8_t> out(static_cast<std::size_t>(w) * h * 3);
    int received = 0;
    while (c.receive(color::packed_frame(color::PixelFormat::Rgb24, out.data(), w, h))) ++received;
    EXPECT_EQ(received, 4);
  }
}

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
    test::colorize_now(c, views, outs);
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
    test::colorize_now(c, color::packed_frame(color::PixelFormat::Gray8, half.data(), w, kH),
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

TEST_F(Temporal, StreamingGivesWhatColorizeGives) {
  std::vector<Frame> frames;
  for (int i = 0; i < 5; ++i) frames.push_back(scene_frame(0, i, 8, static_cast<unsigned>(i)));
  Colorizer a = make(TemporalSmoothing::Live), b = make(TemporalSmoothing::Live);
  EXPECT_EQ(stream(a, frames), run(b, frames));
}

TEST_F(Temporal, FileStaticSceneKeepsExactlyTheSameColour) {
  Colorizer file = make(TemporalSmoothing::File, 3);
  const std::vector<Frame> out = stream(file, std::vector<Frame>(6, scene_frame(0, 0)));
  Colorizer off = make(TemporalSmoothing::Off);
  const Frame alone = colorize_one(off, scene_frame(0, 0));
  ASSERT_EQ(out.size(), 6u);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], alone) << "frame " << i;
}

TEST_F(Temporal, FileFramesComeOutLookaheadLate) {
  constexpr int kLookahead = 3;
  Colorizer file = make(TemporalSmoothing::File, kLookahead);
  Frame out(static_cast<std::size_t>(kW) * kH * 3);
  const auto out_view = color::packed_frame(color::PixelFormat::Rgb24, out.data(), kW, kH);
  for (int i = 0; i < 6; ++i) {
    const Frame in = scene_frame(0, i);
    file.send({color::packed_frame(color::PixelFormat::Gray8, in.data(), kW, kH)});
    // Frame k is finished once frame k + kLookahead has been sent.
    EXPECT_EQ(file.receive(out_view).has_value(), i >= kLookahead) << "after frame " << i;
    EXPECT_EQ(file.frames_held(), std::min(i + 1, kLookahead)) << "after frame " << i;
  }
  file.flush();
  int rest = 0;
  while (file.receive(out_view)) ++rest;
  EXPECT_EQ(rest, kLookahead);
  EXPECT_EQ(file.frames_held(), 0);
}

TEST_F(Temporal, FileNoiseFlickersLessThanLive) {
  std::vector<Frame> frames;
  for (unsigned i = 0; i < 16; ++i) frames.push_back(scene_frame(0, 0, 12, i + 1));
  Colorizer off = make(TemporalSmoothing::Off), live = make(TemporalSmoothing::Live);
  Colorizer file = make(TemporalSmoothing::File, 4);
  const double flicker_off = ab_change(run(off, frames));
  const double flicker_live = ab_change(run(live, frames));
  const double flicker_file = ab_change(stream(file, frames));
  EXPECT_LT(flicker_file, 0.8 * flicker_live)
      << "off " << flicker_off << ", live " << flicker_live << ", file " << flicker_file;
}

// Colour crosses a cut in neither direction: the frames before it come out as if the stream ended
// there, the frames after it as if the stream began there.
TEST_F(Temporal, FileHardCutSeparatesBothSides) {
  std::vector<Frame> before, after;
  for (int i = 0; i < 4; ++i) before.push_back(scene_frame(0, i, 6, static_cast<unsigned>(i)));
  for (int i = 0; i < 4; ++i) after.push_back(scene_frame(1, i, 6, static_cast<unsigned>(10 + i)));
  std::vector<Frame> both = before;
  both.insert(both.end(), after.begin(), after.end());
  Colorizer whole = make(TemporalSmoothing::File, 3), first = make(TemporalSmoothing::File, 3),
            second = make(TemporalSmoothing::File, 3);
  const std::vector<Frame> out = stream(whole, both);
  std::vector<Frame> expected = stream(first, before);
  const std::vector<Frame> expected_after = stream(second, after);
  expected.insert(expected.end(), expected_after.begin(), expected_after.end());
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_TRUE(out[i] == expected[i]) << "frame " << i;
  EXPECT_EQ(whole.stage_times().scene_cuts, 2) << "the first frame and the cut";
}

TEST_F(Temporal, FileFrameDependsOnNoFramePastItsLookahead) {
  constexpr int kLookahead = 2;
  std::vector<Frame> a;
  for (int i = 0; i < 5; ++i) a.push_back(scene_frame(0, i, 6, static_cast<unsigned>(i)));
  std::vector<Frame> b = a, c = a;
  b[3] = scene_frame(0, 3, 6, 99);  // frame 3: past frame 0's look-ahead, inside frame 1's
  Colorizer fa = make(TemporalSmoothing::File, kLookahead), fb = make(TemporalSmoothing::File, kLookahead);
  const std::vector<Frame> out_a = stream(fa, a), out_b = stream(fb, b);
  EXPECT_EQ(out_a[0], out_b[0]);
  EXPECT_NE(out_a[1], out_b[1]) << "frame 1 should see frame 3";
}

// A new frame size in file mode (a renegotiation): the frames before it finish as if the stream ended
// there, and every frame comes out in order at its own size.
TEST_F(Temporal, FileNewFrameSizeMidStream) {
  const int w = kW / 2;
  const auto half_of = [&](const Frame& full) {
    Frame half(static_cast<std::size_t>(w) * kH);
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < w; ++x)
        half[static_cast<std::size_t>(y) * w + x] = full[static_cast<std::size_t>(y) * kW + x];
    return half;
  };
  std::vector<Frame> before, after;
  for (int i = 0; i < 3; ++i) before.push_back(scene_frame(0, i, 6, static_cast<unsigned>(i)));
  for (int i = 3; i < 6; ++i) after.push_back(half_of(scene_frame(0, i, 6, static_cast<unsigned>(i))));
  Colorizer file = make(TemporalSmoothing::File, 4), alone = make(TemporalSmoothing::File, 4);
  std::vector<Frame> out;
  const auto take = [&](int width) {
    for (;;) {
      Frame f(static_cast<std::size_t>(width) * kH * 3);
      if (!file.receive(color::packed_frame(color::PixelFormat::Rgb24, f.data(), width, kH))) return;
      out.push_back(std::move(f));
    }
  };
  for (const Frame& f : before) file.send({color::packed_frame(color::PixelFormat::Gray8, f.data(), kW, kH)});
  for (const Frame& f : after) file.send({color::packed_frame(color::PixelFormat::Gray8, f.data(), w, kH)});
  take(kW);  // the first size's frames are finished: a new scene follows them
  ASSERT_EQ(out.size(), before.size());
  EXPECT_EQ(out, stream(alone, before));
  file.flush();
  take(w);
  EXPECT_EQ(out.size(), before.size() + after.size());
  EXPECT_EQ(file.frames_held(), 0);
}

// One path for every mode: each frame comes back with the tag it was sent with, in order, at most
// latency_frames() frames late.
TEST_F(Temporal, EveryModeGivesEachFrameBackWithItsTag) {
  for (const auto& [mode, latency] :
       {std::pair{TemporalSmoothing::Off, 0}, std::pair{TemporalSmoothing::Live, 0},
        std::pair{TemporalSmoothing::File, 3}}) {
    Colorizer c = make(mode, 3);
    EXPECT_EQ(c.latency_frames(), latency);
    std::vector<int> tags;
    Frame out(static_cast<std::size_t>(kW) * kH * 3);
    const auto out_view = color::packed_frame(color::PixelFormat::Rgb24, out.data(), kW, kH);
    for (int i = 0; i < 6; ++i) {
      const Frame in = scene_frame(0, i);
      c.send(color::packed_frame(color::PixelFormat::Gray8, in.data(), kW, kH), i);
      while (auto tag = c.receive(out_view)) tags.push_back(tag->get<int>());
      EXPECT_EQ(static_cast<int>(tags.size()), std::max(0, i + 1 - latency)) << "after frame " << i;
    }
    c.flush();
    while (auto tag = c.receive(out_view)) tags.push_back(tag->get<int>());
    EXPECT_EQ(tags, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  }
}

// Leaving file mode finishes the frames it holds: they come out first, with their tags, and the next
// frame comes out at once.
TEST_F(Temporal, LeavingFileModeFinishesHeldFrames) {
  Colorizer c = make(TemporalSmoothing::File, 4);
  for (int i = 0; i < 3; ++i) {
    const Frame in = scene_frame(0, i);
    c.send(color::packed_frame(color::PixelFormat::Gray8, in.data(), kW, kH), i);
  }
  EXPECT_EQ(c.frames_finished(), 0);
  c.set_temporal(TemporalSmoothing::Live);
  EXPECT_EQ(c.frames_finished(), 3);
  const Frame in = scene_frame(0, 3);
  c.send(color::packed_frame(color::PixelFormat::Gray8, in.data(), kW, kH), 3);
  Frame out(static_cast<std::size_t>(kW) * kH * 3);
  std::vector<int> tags;
  while (auto tag = c.receive(color::packed_frame(color::PixelFormat::Rgb24, out.data(), kW, kH)))
    tags.push_back(tag->get<int>());
  EXPECT_EQ(tags, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(c.frames_held(), 0);
}

TEST_F(Temporal, ReceiveChecksTheOutputSize) {
  Colorizer live = make(TemporalSmoothing::Live);
  const Frame in = scene_frame(0, 0);
  live.send({color::packed_frame(color::PixelFormat::Gray8, in.data(), kW, kH)});
  Frame small(static_cast<std::size_t>(kW / 2) * kH * 3);
  EXPECT_THROW(live.receive(color::packed_frame(color::PixelFormat::Rgb24, small.data(), kW / 2, kH)),
               std::invalid_argument);
  EXPECT_THROW(make(TemporalSmoothing::File, 0), std::invalid_argument);
}

TEST_F(Temporal, FileResetDropsHeldFrames) {
  Colorizer file = make(TemporalSmoothing::File, 4);
  for (int i = 0; i < 3; ++i) {
    const Frame in = scene_frame(0, 0, 12, static_cast<unsigned>(i));
    file.send({color::packed_frame(color::PixelFormat::Gray8, in.data(), kW, kH)});
  }
  EXPECT_EQ(file.frames_held(), 3);
  file.reset_temporal();
  EXPECT_EQ(file.frames_held(), 0);
  const Frame next = scene_frame(0, 0, 12, 7);
  Colorizer off = make(TemporalSmoothing::Off);
  EXPECT_EQ(stream(file, {next}), std::vector<Frame>{colorize_one(off, next)});
}

// The look-ahead hands its options to its live pass as well: with carry 0 no colour is carried in either
// direction, so every frame of a moving scene keeps its own colour (the live pass once ran with the
// default options whatever the look-ahead was given, and moved colour by several units here).
TEST(LookaheadStabilizer, PassesItsOptionsToTheLivePass) {
  StabilizerOptions options;
  options.carry = 0.0f;
  LookaheadStabilizer stabilizer(3, options);
  constexpr int kFrames = 6;
  std::vector<OwnedPlane> L(kFrames), a(kFrames), b(kFrames);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> colour(-40.0f, 40.0f);
  for (int i = 0; i < kFrames; ++i) {
    const Frame picture = scene_frame(0, 2 * i);
    for (OwnedPlane* p : {&L[i], &a[i], &b[i]}) p->resize(kW, kH);
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) {
        L[i].view().row(y)[x] =
            static_cast<float>(picture[static_cast<std::size_t>(y) * kW + x]) * (100.0f / 255.0f);
        a[i].view().row(y)[x] = colour(rng);
        b[i].view().row(y)[x] = colour(rng);
      }
  }
  OwnedPlane out_a, out_b;
  out_a.resize(kW, kH);
  out_b.resize(kW, kH);
  std::vector<double> worst;  // per frame out, the largest change of a* or b*
  const auto take = [&] {
    stabilizer.pop(out_a.view(), out_b.view());
    const std::size_t i = worst.size();
    double change = 0;
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x)
        change =
            std::max({change, static_cast<double>(std::abs(out_a.view().row(y)[x] - a[i].view().row(y)[x])),
                      static_cast<double>(std::abs(out_b.view().row(y)[x] - b[i].view().row(y)[x]))});
    worst.push_back(change);
  };
  for (int i = 0; i < kFrames; ++i) {
    stabilizer.push(L[i].view(), a[i].view(), b[i].view());
    while (stabilizer.ready()) take();
  }
  stabilizer.drain();
  while (stabilizer.ready()) take();
  ASSERT_EQ(worst.size(), static_cast<std::size_t>(kFrames));
  for (std::size_t i = 0; i < worst.size(); ++i) EXPECT_LT(worst[i], 1e-4) << "frame " << i;
}

}  // namespace
}  // namespace colorize::engine
