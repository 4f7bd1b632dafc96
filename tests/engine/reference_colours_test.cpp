// Reference colours carried through a shot: on a pan the true middle frame's colours reach the whole
// shot, forward and backward, and things entering the picture are left to the network; never across a
// cut; a reference of another picture is reported and left out; two references share a shot by their
// distance; references by time find their frame; the Colorizer takes a guide's colour by its weight.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "color/frame_lab.hpp"
#include "engine/colorizer.hpp"
#include "engine/reference_colours.hpp"
#include "support/engine_calls.hpp"
#include "support/frame_buffer.hpp"
#include "support/temp_dir.hpp"
#include "support/test_models.hpp"

namespace colorize::engine {
namespace {

constexpr int kW = 96, kH = 64;  // at render size 64 the network sees frames at their own size
constexpr int kFrames = 25;
constexpr int kStep = 2;  // pixels the camera pans per frame
constexpr int kSceneW = kW + kStep * kFrames;

// A colour scene wider than the frame: lightness with texture (for the motion) and slowly varying
// colour; `scene` picks one of two unrelated ones. Planes are kSceneW x kH, rows contiguous.
struct Scene {
  std::vector<float> L, a, b;
};

Scene make_scene(int scene) {
  Scene s;
  const std::size_t n = static_cast<std::size_t>(kSceneW) * kH;
  s.L.resize(n);
  s.a.resize(n);
  s.b.resize(n);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kSceneW; ++x) {
      const double u = x, v = y;
      const std::size_t i = static_cast<std::size_t>(y) * kSceneW + x;
      s.L[i] = static_cast<float>(scene == 0 ? 55 + 20 * std::sin(u / 5.0) * std::cos(v / 4.0) +
                                                   8 * std::sin(u / 2.3)
                                             : 50 + 30 * (((x / 10) + (y / 10)) % 2) + 8 * std::cos(u / 3.0));
      s.a[i] = static_cast<float>(scene == 0 ? 35 * std::sin(u / 17.0) : -25);
      s.b[i] = static_cast<float>(scene == 0 ? 30 * std::cos(v / 13.0 + u / 23.0) : 20 * std::sin(v / 9.0));
    }
  return s;
}

// The frame seen with the camera `offset` pixels into the scene, as RGB24.
test::FrameBuffer frame_of(const Scene& s, int offset) {
  test::FrameBuffer f(color::PixelFormat::Rgb24, kW, kH);
  const auto plane = [&](const std::vector<float>& p) {
    return color::ConstPlane{p.data() + offset, kW, kH, kSceneW};
  };
  color::lab_to_frame(plane(s.L), plane(s.a), plane(s.b), f.view());
  return f;
}

// The frame's true a*, b* (after its trip through 8-bit RGB).
struct Truth {
  std::vector<float> a, b;
};
Truth truth_of(test::FrameBuffer& f) {
  const std::size_t n = static_cast<std::size_t>(kW) * kH;
  std::vector<float> L(n);
  Truth t{std::vector<float>(n), std::vector<float>(n)};
  color::frame_to_lab(f.cview(), {L.data(), kW, kH, kW}, {t.a.data(), kW, kH, kW}, {t.b.data(), kW, kH, kW});
  return t;
}

ReferenceOptions options() {
  ReferenceOptions o;
  o.render_size = kH;
  o.tolerance_seconds = 0.02;
  return o;
}

double seconds_of(int frame) { return frame / 25.0; }

// The mean |ab - truth| over pixels the guide is sure of (weight >= 0.5), and the share of those pixels.
struct GuideFit {
  double error = 0, sure = 0;
};
GuideFit fit(const ColourGuide& g, const Truth& t) {
  double error = 0;
  long sure = 0;
  for (std::size_t i = 0; i < g.a.size(); ++i)
    if (g.weight[i] >= 0.5f) {
      error += static_cast<double>(std::hypot(g.a[i] - t.a[i], g.b[i] - t.b[i]));
      ++sure;
    }
  return {sure ? error / static_cast<double>(sure) : 0,
          static_cast<double>(sure) / static_cast<double>(g.a.size())};
}

TEST(ReferenceColours, PanCarriesTheMiddleFrameThroughTheShotBothWays) {
  const Scene scene = make_scene(0);
  const int middle = kFrames / 2;
  test::FrameBuffer reference = frame_of(scene, middle * kStep);
  ReferenceColours refs({{seconds_of(middle), std::nullopt, "0.48 s (middle.png)", reference.cview()}},
                        options());
  for (int i = 0; i < kFrames; ++i) {
    test::FrameBuffer f = frame_of(scene, i * kStep);
    refs.add(f.cview(), seconds_of(i));
  }
  refs.finish();
  EXPECT_TRUE(refs.warnings().empty());
  EXPECT_EQ(refs.references_used(), 1);
  EXPECT_EQ(refs.frames_guided(), kFrames);
  for (int i = 0; i < kFrames; ++i) {
    test::FrameBuffer f = frame_of(scene, i * kStep);
    const auto g = refs.guide(i);
    ASSERT_TRUE(g) << "frame " << i;
    ASSERT_EQ(g->width, kW);
    const GuideFit r = fit(*g, truth_of(f));
    // The picture shifts by kStep a frame: what the reference never saw (a strip at one side) is the
    // network's; the rest keeps the reference's colour within a few units.
    const double unseen = static_cast<double>(std::abs(i - middle) * kStep) / kW;
    EXPECT_GE(r.sure, 1.0 - unseen - 0.12) << "frame " << i;
    EXPECT_LT(r.error, 3.0) << "frame " << i;
    if (i == middle) {
      EXPECT_LT(r.error, 1.0);
    }
  }
  // What entered the picture after the reference has no weight: the far right column at the last frame.
  const auto last = refs.guide(kFrames - 1);
  EXPECT_LT(last->weight[static_cast<std::size_t>(kH / 2) * kW + kW - 1], 0.05f);
}

TEST(ReferenceColours, NeverCrossesACut) {
  const Scene one = make_scene(0), two = make_scene(1);
  test::FrameBuffer reference = frame_of(one, 5 * kStep);
  ReferenceColours refs({{std::nullopt, 5L, "frame 5", reference.cview()}}, options());
  for (int i = 0; i < 20; ++i) {
    test::FrameBuffer f = i < 10 ? frame_of(one, i * kStep) : frame_of(two, i * kStep);
    refs.add(f.cview(), seconds_of(i));
  }
  refs.finish();
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(refs.guide(i)) << "frame " << i;
  for (int i = 10; i < 20; ++i) EXPECT_FALSE(refs.guide(i)) << "frame " << i;
}

TEST(ReferenceColours, AReferenceOfAnotherPictureIsReportedAndLeftOut) {
  const Scene one = make_scene(0), two = make_scene(1);
  test::FrameBuffer wrong = frame_of(two, 0);
  ReferenceColours refs({{seconds_of(3), std::nullopt, "0.12 s (wrong.png)", wrong.cview()},
                         {seconds_of(100), std::nullopt, "4 s (late.png)", wrong.cview()}},
                        options());
  for (int i = 0; i < 8; ++i) {
    test::FrameBuffer f = frame_of(one, i * kStep);
    refs.add(f.cview(), seconds_of(i));
  }
  refs.finish();
  ASSERT_EQ(refs.warnings().size(), 2u);
  EXPECT_NE(refs.warnings()[0].find("0.12 s (wrong.png) does not match its frame"), std::string::npos)
      << refs.warnings()[0];
  EXPECT_NE(refs.warnings()[1].find("4 s (late.png) matches no frame"), std::string::npos)
      << refs.warnings()[1];
  EXPECT_EQ(refs.references_used(), 0);
  EXPECT_EQ(refs.frames_guided(), 0);
}

// Two references of one still shot, one recoloured: each frame between takes both by its distance.
TEST(ReferenceColours, TwoReferencesInAShotShareItByDistance) {
  const Scene scene = make_scene(0);
  Scene recoloured = scene;
  for (auto& v : recoloured.a) v = -v;
  test::FrameBuffer first = frame_of(scene, 0), second = frame_of(recoloured, 0);
  ReferenceColours refs(
      {{std::nullopt, 2L, "frame 2", first.cview()}, {std::nullopt, 10L, "frame 10", second.cview()}},
      options());
  for (int i = 0; i < 14; ++i) {
    test::FrameBuffer f = frame_of(scene, 0);  // a still shot
    refs.add(f.cview(), seconds_of(i));
  }
  refs.finish();
  EXPECT_EQ(refs.references_used(), 2);
  const Truth one = truth_of(first), two = truth_of(second);
  const std::size_t px = static_cast<std::size_t>(kH / 2) * kW + 7;  // where a* is far from 0
  ASSERT_GT(std::abs(one.a[px]), 10.0f);
  for (int i = 0; i < 14; ++i) {
    const auto g = refs.guide(i);
    ASSERT_TRUE(g) << "frame " << i;
    const double share = i <= 2 ? 0.0 : i >= 10 ? 1.0 : (i - 2) / 8.0;  // the second reference's
    EXPECT_NEAR(static_cast<double>(g->a[px]),
                (1 - share) * static_cast<double>(one.a[px]) + share * static_cast<double>(two.a[px]), 1.5)
        << "frame " << i;
    EXPECT_GT(g->weight[px], 0.95f) << "frame " << i;
  }
}

TEST(ReferenceColours, AReferenceByTimeTakesTheFrameShownThen) {
  const Scene scene = make_scene(0);
  test::FrameBuffer reference = frame_of(scene, 10 * kStep);
  // 0.39 s lies between frames 9 (0.36 s) and 10 (0.40 s): within the tolerance of frame 10.
  ReferenceColours refs({{0.39, std::nullopt, "0.39 s", reference.cview()}}, options());
  for (int i = 0; i < 12; ++i) {
    test::FrameBuffer f = frame_of(scene, i * kStep);
    refs.add(f.cview(), seconds_of(i));
  }
  refs.finish();
  // The reference's frame takes it whole; the frame before takes it carried back (its edge, which the
  // reference does not show, from the network).
  const auto on = refs.guide(10), before = refs.guide(9);
  ASSERT_TRUE(on);
  EXPECT_EQ(*std::min_element(on->weight.begin(), on->weight.end()), 1.0f);
  ASSERT_TRUE(before);
  EXPECT_EQ(*std::min_element(before->weight.begin(), before->weight.end()), 0.0f);
}

// Frames of one pixel, one row or one column, a strip, and a size change in the middle (a new shot):
// every frame is read, references on either side of the change are used, nothing crosses it.
TEST(ReferenceColours, TinyFramesAndSizeChangesAreShotsOfTheirOwn) {
  for (const auto& [w, h] :
       {std::pair{1, 1}, std::pair{2, 1}, std::pair{1, 3}, std::pair{7, 5}, std::pair{3000, 2}}) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    std::vector<std::uint8_t> rgb(3 * static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>((i * 37) % 256);
    std::vector<std::uint8_t> other(3 * 5 * 4, 100);
    const color::FrameView frame = color::packed_frame(color::PixelFormat::Rgb24, rgb.data(), w, h);
    const color::FrameView changed = color::packed_frame(color::PixelFormat::Rgb24, other.data(), 5, 4);
    ReferenceColours refs({{std::nullopt, 1L, "frame 1", frame}, {std::nullopt, 3L, "frame 3", frame}},
                          options());
    for (int i = 0; i < 5; ++i) refs.add(i == 2 ? changed : frame, seconds_of(i));
    refs.finish();
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    EXPECT_EQ(refs.references_used(), 2) << size;
    EXPECT_TRUE(refs.warnings().empty()) << size;
    // Frame 2 (another size) is a shot of its own; frames 0-1 and 3-4 take their shot's reference.
    EXPECT_FALSE(refs.guide(2)) << size;
    for (int i : {0, 1, 3, 4}) {
      const auto g = refs.guide(i);
      ASSERT_TRUE(g) << size << " frame " << i;
      const auto [nw, nh] = Colorizer::inference_size(w, h, kH);
      EXPECT_EQ(g->width, nw) << size;
      EXPECT_EQ(g->height, nh) << size;
    }
  }
}

// The engine moves the network's colour to the guide's by the guide's weight, before smoothing.
TEST(ReferenceColours, TheColorizerTakesAGuidesColourByItsWeight) {
  test::TempDir dir;
  const std::string model = dir.file("constant.safetensors");
  test::write_constant_generator(model, 20.0f, -10.0f);
  ColorizerOptions o;
  o.model_path = model;
  o.device = Device::Cpu;
  o.render_size = kH;
  Colorizer c(o);
  test::FrameBuffer in(color::PixelFormat::Gray8, kW, kH);
  for (int y = 0; y < kH; ++y) std::fill_n(in.view().row(0, y), kW, std::uint8_t{128});
  const auto guide = std::make_shared<ColourGuide>();
  guide->width = kW;
  guide->height = kH;
  const std::size_t n = static_cast<std::size_t>(kW) * kH;
  guide->a.assign(n, -30.0f);
  guide->b.assign(n, 40.0f);
  guide->weight.assign(n, 1.0f);
  std::fill(guide->weight.begin() + static_cast<std::ptrdiff_t>(n / 2), guide->weight.end(), 0.5f);
  std::vector<TaggedFrame> frames;
  frames.push_back({in.cview(), {}, guide});
  c.send(std::move(frames));
  test::FrameBuffer out(color::PixelFormat::Rgb24, kW, kH);
  ASSERT_TRUE(c.receive(out.view()));
  std::vector<float> L(n), a(n), b(n);
  color::frame_to_lab(out.cview(), {L.data(), kW, kH, kW}, {a.data(), kW, kH, kW}, {b.data(), kW, kH, kW});
  const std::size_t top = static_cast<std::size_t>(5) * kW + 40,
                    bottom = static_cast<std::size_t>(kH - 5) * kW + 40;
  EXPECT_NEAR(a[top], -30, 1.5);
  EXPECT_NEAR(b[top], 40, 1.5);
  EXPECT_NEAR(a[bottom], -5, 1.5);  // halfway between 20 and -30
  EXPECT_NEAR(b[bottom], 15, 1.5);

  // A guide of another size is an error, not a smear.
  guide->width = kW / 2;
  std::vector<TaggedFrame> wrong;
  wrong.push_back({in.cview(), {}, guide});
  EXPECT_THROW(c.send(std::move(wrong)), std::invalid_argument);
}

}  // namespace
}  // namespace colorize::engine
