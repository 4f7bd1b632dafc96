// The colorize element in GstHarness and in real pipelines.
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "color/frame_lab.hpp"
#include "color/lab.hpp"
#include "engine/settings.hpp"
#include "gst-plugin/frame_adapter.hpp"
#include "gst-plugin/gstcolorize.hpp"
#include "model/model_file.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"
#include "support/test_models.hpp"

namespace colorize::gst {
namespace {

constexpr int kW = 32, kH = 24;

std::string caps(const std::string& format, int w, int h) {
  return "video/x-raw,format=" + format + ",width=" + std::to_string(w) + ",height=" + std::to_string(h) +
         ",framerate=30/1";
}
GstVideoInfo video_info(const std::string& format, int w, int h) {
  GstCaps* c = gst_caps_from_string(caps(format, w, h).c_str());
  GstVideoInfo info;
  gst_video_info_from_caps(&info, c);
  gst_caps_unref(c);
  return info;
}

class Element : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    gst_init(nullptr, nullptr);
    ASSERT_TRUE(gst_colorize_register_static());
    dir_ = new test::TempDir;
    test::write_random_generator(dir_->file("random.safetensors"), 9, model::GeneratorConfig{4, 8, 1, 2});
    test::write_constant_generator(dir_->file("constant.safetensors"), 30.0f, -30.0f);
    test::write_random_generator(dir_->file("vivid.safetensors"), 5, model::GeneratorConfig{4, 6, 1, 2},
                                 25.0f);
  }
  static void TearDownTestSuite() { delete dir_; }

  static GstHarness* harness(const std::string& model, const std::string& in_format,
                             const std::string& out_format, int w = kW, int h = kH) {
    // Properties in the description: the harness starts the element at once, and start() loads the model.
    GstHarness* hr = gst_harness_new_parse(("colorize device=cpu model=" + model).c_str());
    gst_harness_set_src_caps_str(hr, caps(in_format, w, h).c_str());
    gst_harness_set_sink_caps_str(hr, caps(out_format, w, h).c_str());
    return hr;
  }
  // Pushes one frame of `format` holding a mid-gray ramp (90 + 2x + y, where +-30 of a and b stay in
  // gamut) and returns the output.
  static GstBuffer* push_gray_ramp(GstHarness* hr, const std::string& format, int w = kW, int h = kH,
                                   int base = 90) {
    EXPECT_EQ(gst_harness_push(hr, gray_ramp(hr, format, w, h, base)), GST_FLOW_OK);
    return gst_harness_pull(hr);
  }
  // The frame push_gray_ramp pushes.
  static GstBuffer* gray_ramp(GstHarness* hr, const std::string& format, int w = kW, int h = kH,
                              int base = 90) {
    GstVideoInfo info = video_info(format, w, h);
    GstBuffer* buf = gst_harness_create_buffer(hr, GST_VIDEO_INFO_SIZE(&info));
    GstVideoFrame frame;
    EXPECT_TRUE(gst_video_frame_map(&frame, &info, buf, GST_MAP_WRITE));
    // Write a gray ramp as GRAY8, then convert it into the pushed format with the colour code.
    std::vector<std::uint8_t> gray(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        gray[static_cast<std::size_t>(y) * w + x] = static_cast<std::uint8_t>(base + 2 * x + y);
    color::convert_frame(color::packed_frame(color::PixelFormat::Gray8, gray.data(), w, h),
                         mutable_view_of(frame));
    gst_video_frame_unmap(&frame);
    return buf;
  }
  static std::string model(const char* name) { return dir_->file(name); }
  // Sets properties on the colorize element inside the harness (its `element` is the parsed bin).
  template <class... Args>
  static void set(GstHarness* hr, Args... args) {
    GstElement* e = gst_harness_find_element(hr, "colorize");
    g_object_set(e, args..., nullptr);
    gst_object_unref(e);
  }
  static test::TempDir* dir_;
};
test::TempDir* Element::dir_ = nullptr;

// Lab planes of an output buffer of `format`.
struct LabPlanes {
  std::vector<float> L, a, b;
};
LabPlanes lab_of(GstBuffer* buf, const std::string& format, int w = kW, int h = kH) {
  GstVideoInfo info = video_info(format, w, h);
  GstVideoFrame frame;
  EXPECT_TRUE(gst_video_frame_map(&frame, &info, buf, GST_MAP_READ));
  LabPlanes p{std::vector<float>(static_cast<std::size_t>(w) * h), {}, {}};
  p.a = p.b = p.L;
  color::frame_to_lab(view_of(frame), {p.L.data(), w, h, w}, {p.a.data(), w, h, w}, {p.b.data(), w, h, w});
  gst_video_frame_unmap(&frame);
  return p;
}

class ElementFormats : public Element,
                       public ::testing::WithParamInterface<std::tuple<const char*, const char*>> {};

TEST_P(ElementFormats, NegotiatesAndWritesAFullFrame) {
  const auto [in, out] = GetParam();
  GstHarness* hr = harness(model("random.safetensors"), in, out);
  GstBuffer* result = push_gray_ramp(hr, in);
  ASSERT_NE(result, nullptr);
  const GstVideoInfo info = video_info(out, kW, kH);
  EXPECT_EQ(gst_buffer_get_size(result), GST_VIDEO_INFO_SIZE(&info));
  gst_buffer_unref(result);
  gst_harness_teardown(hr);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, ElementFormats,
                         ::testing::Combine(::testing::Values("GRAY8", "I420", "NV12", "RGB", "BGR", "RGBx",
                                                              "BGRx", "RGBA", "BGRA"),
                                            ::testing::Values("I420", "NV12", "RGB", "RGBx", "BGRx")),
                         [](const auto& param_info) {
                           return std::string(std::get<0>(param_info.param)) + "_to_" +
                                  std::get<1>(param_info.param);
                         });

TEST_F(Element, KeepsLuminanceAndAddsTheModelsColour) {
  GstHarness* hr = harness(model("constant.safetensors"), "GRAY8", "RGB");
  GstBuffer* out = push_gray_ramp(hr, "GRAY8");
  const LabPlanes lab = lab_of(out, "RGB");
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * kW + x;
      const float expected_L =
          color::lightness_from_luminance(color::srgb8_to_linear(static_cast<std::uint8_t>(90 + 2 * x + y)));
      EXPECT_NEAR(lab.L[i], expected_L, 1.0f) << x << "," << y;
      EXPECT_NEAR(lab.a[i], 30.0f, 1.5f) << x << "," << y;
      EXPECT_NEAR(lab.b[i], -30.0f, 1.5f) << x << "," << y;
    }
  gst_buffer_unref(out);
  gst_harness_teardown(hr);
}

TEST_F(Element, PropertiesChangeWhilePlaying) {
  GstHarness* hr = harness(model("constant.safetensors"), "GRAY8", "RGB");
  gst_buffer_unref(push_gray_ramp(hr, "GRAY8"));
  set(hr, "enabled", FALSE);  // passthrough: gray stays gray
  GstBuffer* out = push_gray_ramp(hr, "GRAY8");
  LabPlanes lab = lab_of(out, "RGB");
  for (float a : lab.a) ASSERT_NEAR(a, 0.0f, 0.5f);
  gst_buffer_unref(out);
  set(hr, "enabled", TRUE, "render-size", 64);
  out = push_gray_ramp(hr, "GRAY8");
  lab = lab_of(out, "RGB");
  EXPECT_NEAR(lab.a[100], 30.0f, 1.5f);
  gst_buffer_unref(out);
  set(hr, "model", model("random.safetensors").c_str());  // a new model mid-stream
  out = push_gray_ramp(hr, "GRAY8");
  lab = lab_of(out, "RGB");
  EXPECT_GT(std::abs(lab.a[100] - 30.0f), 5.0f) << "the new model's colours";
  gst_buffer_unref(out);
  gst_harness_teardown(hr);
}

// The element's properties are the engine's settings (engine/settings.hpp): same names, ranges, choices,
// and the defaults for live streams.
TEST_F(Element, PropertiesAreTheEngineSettings) {
  GstElement* e = gst_element_factory_make("colorize", nullptr);
  ASSERT_NE(e, nullptr);
  const engine::ColorizerOptions defaults = engine::default_options(engine::Use::Live);
  for (const auto& s : engine::settings()) {
    GParamSpec* p = g_object_class_find_property(G_OBJECT_GET_CLASS(e), s.name);
    ASSERT_NE(p, nullptr) << s.name;
    EXPECT_NE(p->flags & GST_PARAM_MUTABLE_PLAYING, 0u) << s.name;
    switch (s.kind) {
      case engine::Setting::Kind::Text:
        EXPECT_STREQ(G_PARAM_SPEC_STRING(p)->default_value, s.get(defaults).c_str()) << s.name;
        break;
      case engine::Setting::Kind::Number:
        EXPECT_EQ(G_PARAM_SPEC_UINT(p)->minimum, static_cast<guint>(s.minimum)) << s.name;
        EXPECT_EQ(G_PARAM_SPEC_UINT(p)->maximum, static_cast<guint>(s.maximum)) << s.name;
        EXPECT_EQ(G_PARAM_SPEC_UINT(p)->default_value, static_cast<guint>(s.get_number(defaults))) << s.name;
        break;
      case engine::Setting::Kind::Choice: {
        EXPECT_EQ(G_PARAM_SPEC_ENUM(p)->default_value, s.get_number(defaults)) << s.name;
        for (const auto& c : s.choices) {
          const GEnumValue* v = g_enum_get_value_by_nick(G_PARAM_SPEC_ENUM(p)->enum_class, c.name);
          ASSERT_NE(v, nullptr) << s.name << "=" << c.name;
          EXPECT_EQ(v->value, c.value);
        }
        break;
      }
    }
  }
  gst_object_unref(e);
}

TEST_F(Element, FindsBundledModelsByName) {
  GstHarness* hr = gst_harness_new_parse("colorize device=cpu model=default");
  gst_harness_set_src_caps_str(hr, caps("GRAY8", kW, kH).c_str());
  gst_harness_set_sink_caps_str(hr, caps("RGB", kW, kH).c_str());
  GstBuffer* out = push_gray_ramp(hr, "GRAY8");
  ASSERT_NE(out, nullptr);
  gst_buffer_unref(out);
  gst_harness_teardown(hr);
}

TEST_F(Element, RenegotiatesANewSizeMidStream) {
  GstHarness* hr = harness(model("random.safetensors"), "I420", "I420");
  gst_buffer_unref(push_gray_ramp(hr, "I420"));
  gst_harness_set_src_caps_str(hr, caps("I420", 20, 14).c_str());
  gst_harness_set_sink_caps_str(hr, caps("I420", 20, 14).c_str());
  GstBuffer* out = push_gray_ramp(hr, "I420", 20, 14);
  const GstVideoInfo info = video_info("I420", 20, 14);
  EXPECT_EQ(gst_buffer_get_size(out), GST_VIDEO_INFO_SIZE(&info));
  gst_buffer_unref(out);
  gst_harness_teardown(hr);
}

TEST_F(Element, KeepsWorkingAfterAFlushAndPassesEos) {
  GstHarness* hr = harness(model("constant.safetensors"), "GRAY8", "RGB");
  gst_buffer_unref(push_gray_ramp(hr, "GRAY8"));
  // A flushing seek as a demuxer delivers it: flush-start, flush-stop, a new segment.
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_flush_start()));
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_flush_stop(TRUE)));
  GstSegment segment;
  gst_segment_init(&segment, GST_FORMAT_TIME);
  segment.start = segment.time = 5 * GST_SECOND;
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_segment(&segment)));
  GstBuffer* out = push_gray_ramp(hr, "GRAY8");
  ASSERT_NE(out, nullptr);
  EXPECT_NEAR(lab_of(out, "RGB").a[100], 30.0f, 1.5f);
  gst_buffer_unref(out);
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_eos()));
  bool saw_eos = false;
  while (GstEvent* e = gst_harness_try_pull_event(hr)) {
    saw_eos = saw_eos || GST_EVENT_TYPE(e) == GST_EVENT_EOS;
    gst_event_unref(e);
  }
  EXPECT_TRUE(saw_eos);
  gst_harness_teardown(hr);
}

#ifdef COLORIZE_HAVE_TEMPORAL
// Temporal smoothing (the default) must not carry colour across a flush: the first frame after it is
// what an element that never saw the earlier frames makes of it.
TEST_F(Element, FlushStartsTemporalSmoothingAfresh) {
  const auto bytes = [](GstBuffer* buf) {
    GstMapInfo m;
    EXPECT_TRUE(gst_buffer_map(buf, &m, GST_MAP_READ));
    std::vector<std::uint8_t> v(m.data, m.data + m.size);
    gst_buffer_unmap(buf, &m);
    gst_buffer_unref(buf);
    return v;
  };
  GstHarness* fresh = harness(model("vivid.safetensors"), "GRAY8", "RGB");
  set(fresh, "temporal-smoothing", 0);  // off
  const std::vector<std::uint8_t> alone = bytes(push_gray_ramp(fresh, "GRAY8"));

  // Three frames close enough to the next one that colour is carried into it...
  const auto prime = [&](GstHarness* hr) {
    for (int base : {84, 87, 93}) gst_buffer_unref(push_gray_ramp(hr, "GRAY8", kW, kH, base));
  };
  GstHarness* carried = harness(model("vivid.safetensors"), "GRAY8", "RGB");
  GstElement* e = gst_harness_find_element(carried, "colorize");
  gint mode = -1;
  g_object_get(e, "temporal-smoothing", &mode, nullptr);
  gst_object_unref(e);
  EXPECT_EQ(mode, 1) << "live by default";
  prime(carried);
  EXPECT_NE(bytes(push_gray_ramp(carried, "GRAY8")), alone)
      << "no colour carried: the test would prove nothing";

  // ...but not across a flushing seek.
  GstHarness* hr = harness(model("vivid.safetensors"), "GRAY8", "RGB");
  prime(hr);
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_flush_start()));
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_flush_stop(TRUE)));
  GstSegment segment;
  gst_segment_init(&segment, GST_FORMAT_TIME);
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_segment(&segment)));
  EXPECT_EQ(bytes(push_gray_ramp(hr, "GRAY8")), alone) << "colour carried across the flush";
  gst_harness_teardown(fresh);
  gst_harness_teardown(carried);
  gst_harness_teardown(hr);
}

// File mode: frame i leaves when frame i + 8 has come in, or at the end of stream, with its own timestamps.
TEST_F(Element, FileModeGivesEveryFrameLateWithItsTimestamps) {
  GstHarness* hr = harness(model("vivid.safetensors"), "GRAY8", "RGB");
  set(hr, "temporal-smoothing", 2);  // file
  constexpr int kFrames = 12, kLookahead = 8;
  const GstClockTime frame = GST_SECOND / 30;
  for (int i = 0; i < kFrames; ++i) {
    GstBuffer* in = gray_ramp(hr, "GRAY8", kW, kH, 80 + i);
    GST_BUFFER_PTS(in) = static_cast<GstClockTime>(i) * frame;
    GST_BUFFER_DURATION(in) = frame;
    ASSERT_EQ(gst_harness_push(hr, in), GST_FLOW_OK);
    EXPECT_EQ(gst_harness_buffers_in_queue(hr), static_cast<guint>(std::max(0, i + 1 - kLookahead)))
        << "after frame " << i;
  }
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_eos()));
  ASSERT_EQ(gst_harness_buffers_in_queue(hr), static_cast<guint>(kFrames)) << "end of stream drains";
  for (int i = 0; i < kFrames; ++i) {
    GstBuffer* out = gst_harness_pull(hr);
    EXPECT_EQ(GST_BUFFER_PTS(out), static_cast<GstClockTime>(i) * frame);
    EXPECT_EQ(GST_BUFFER_DURATION(out), frame);
    gst_buffer_unref(out);
  }
  gst_harness_teardown(hr);
}

// A flushing seek drops what file mode holds; the frames after it come out, and only they.
TEST_F(Element, FileModeFlushDropsHeldFrames) {
  GstHarness* hr = harness(model("vivid.safetensors"), "GRAY8", "RGB");
  set(hr, "temporal-smoothing", 2);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(gst_harness_push(hr, gray_ramp(hr, "GRAY8")), GST_FLOW_OK);
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_flush_start()));
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_flush_stop(TRUE)));
  GstSegment segment;
  gst_segment_init(&segment, GST_FORMAT_TIME);
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_segment(&segment)));
  for (int i = 0; i < 3; ++i) {
    GstBuffer* in = gray_ramp(hr, "GRAY8");
    GST_BUFFER_PTS(in) = static_cast<GstClockTime>(100 + i) * GST_SECOND;
    ASSERT_EQ(gst_harness_push(hr, in), GST_FLOW_OK);
  }
  ASSERT_TRUE(gst_harness_push_event(hr, gst_event_new_eos()));
  ASSERT_EQ(gst_harness_buffers_in_queue(hr), 3u);
  for (int i = 0; i < 3; ++i) {
    GstBuffer* out = gst_harness_pull(hr);
    EXPECT_EQ(GST_BUFFER_PTS(out), static_cast<GstClockTime>(100 + i) * GST_SECOND);
    gst_buffer_unref(out);
  }
  gst_harness_teardown(hr);
}

// Leaving file mode while playing lets the frames it holds out first, in order: none is lost.
TEST_F(Element, LeavingFileModeLosesNoFrame) {
  GstHarness* hr = harness(model("vivid.safetensors"), "GRAY8", "RGB");
  set(hr, "temporal-smoothing", 2);
  for (int i = 0; i < 5; ++i) {
    GstBuffer* in = gray_ramp(hr, "GRAY8");
    GST_BUFFER_PTS(in) = static_cast<GstClockTime>(i) * GST_SECOND;
    ASSERT_EQ(gst_harness_push(hr, in), GST_FLOW_OK);
  }
  EXPECT_EQ(gst_harness_buffers_in_queue(hr), 0u);
  set(hr, "temporal-smoothing", 1);  // live
  GstBuffer* in = gray_ramp(hr, "GRAY8");
  GST_BUFFER_PTS(in) = 5 * GST_SECOND;
  ASSERT_EQ(gst_harness_push(hr, in), GST_FLOW_OK);
  ASSERT_EQ(gst_harness_buffers_in_queue(hr), 6u);
  for (int i = 0; i < 6; ++i) {
    GstBuffer* out = gst_harness_pull(hr);
    EXPECT_EQ(GST_BUFFER_PTS(out), static_cast<GstClockTime>(i) * GST_SECOND);
    gst_buffer_unref(out);
  }
  gst_harness_teardown(hr);
}

#else
// A build without OpenCV has no temporal smoothing: the property exists and defaults to off.
TEST_F(Element, TemporalSmoothingDefaultsToOffWithoutOpenCV) {
  GstHarness* hr = harness(model("random.safetensors"), "GRAY8", "RGB");
  GstElement* e = gst_harness_find_element(hr, "colorize");
  gint mode = -1;
  g_object_get(e, "temporal-smoothing", &mode, nullptr);
  gst_object_unref(e);
  EXPECT_EQ(mode, 0);
  gst_harness_teardown(hr);
}
#endif

// Runs a pipeline to its end; returns the error message, "timeout", or "" when it reached EOS. `prepare`
// sees the pipeline before it starts (probes, signals).
std::string run_pipeline(const std::string& description, GstClockTime timeout = 60 * GST_SECOND,
                         const std::function<void(GstElement*)>& prepare = {}) {
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  if (pipeline == nullptr) return error != nullptr ? error->message : "parse failed";
  if (prepare) prepare(pipeline);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* msg = gst_bus_timed_pop_filtered(
      bus, timeout, static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS));
  std::string text = msg == nullptr ? "timeout" : "";
  if (msg != nullptr && GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
    GError* err = nullptr;
    gst_message_parse_error(msg, &err, nullptr);
    text = err->message;
    g_error_free(err);
  }
  if (msg != nullptr) gst_message_unref(msg);
  gst_object_unref(bus);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  return text;
}

TEST_F(Element, BadModelStopsThePipelineWithAReadableError) {
  const std::string error = run_pipeline("videotestsrc num-buffers=3 ! colorize device=cpu model=" +
                                         dir_->file("missing.safetensors") + " ! fakesink");
  EXPECT_NE(error.find("colorize cannot start"), std::string::npos) << error;
  EXPECT_NE(error.find("missing.safetensors"), std::string::npos) << error;
}

#ifdef COLORIZE_HAVE_TEMPORAL
TEST_F(Element, FileModeRunsAPipelineToItsEnd) {
  EXPECT_EQ(run_pipeline("videotestsrc num-buffers=20 pattern=ball ! video/x-raw,width=64,height=48 ! "
                         "colorize device=cpu temporal-smoothing=file model=" +
                         model("random.safetensors") + " ! fakesink"),
            "");
}
#endif

// Properties changed while PLAYING, in each temporal mode, keep every frame flowing: 60 frames of
// videotestsrc, the render size changed after frame 20 and the model after frame 40 (both rebuild the
// engine), 60 frames out and no error. File mode once stopped here with "file-mode temporal smoothing
// delays frames", 28 of 60 frames out.
class ElementModes : public Element, public ::testing::WithParamInterface<const char*> {};

TEST_P(ElementModes, PropertyChangesWhilePlayingKeepEveryFrame) {
  struct Counts {
    GstElement* colorize = nullptr;
    std::string other_model;
    int in = 0, out = 0;
  } counts;
  counts.other_model = model("vivid.safetensors");
  const auto prepare = [&](GstElement* pipeline) {
    counts.colorize = gst_bin_get_by_name(GST_BIN(pipeline), "c");
    GstPad* sink = gst_element_get_static_pad(counts.colorize, "sink");
    gst_pad_add_probe(
        sink, GST_PAD_PROBE_TYPE_BUFFER,
        [](GstPad*, GstPadProbeInfo*, gpointer data) {
          auto* c = static_cast<Counts*>(data);
          if (++c->in == 21) g_object_set(c->colorize, "render-size", 40u, nullptr);
          if (c->in == 41) g_object_set(c->colorize, "model", c->other_model.c_str(), nullptr);
          return GST_PAD_PROBE_OK;
        },
        &counts, nullptr);
    gst_object_unref(sink);
    GstPad* src = gst_element_get_static_pad(counts.colorize, "src");
    gst_pad_add_probe(
        src, GST_PAD_PROBE_TYPE_BUFFER,
        [](GstPad*, GstPadProbeInfo*, gpointer data) {
          ++static_cast<Counts*>(data)->out;
          return GST_PAD_PROBE_OK;
        },
        &counts, nullptr);
    gst_object_unref(src);
  };
  const std::string error = run_pipeline(
      "videotestsrc num-buffers=60 pattern=ball ! video/x-raw,format=I420,width=64,height=48,framerate=30/1 "
      "! "
      "colorize name=c device=cpu temporal-smoothing=" +
          std::string(GetParam()) + " model=" + model("random.safetensors") + " ! fakesink",
      60 * GST_SECOND, prepare);
  gst_object_unref(counts.colorize);
  EXPECT_EQ(error, "");
  EXPECT_EQ(counts.in, 60);
  EXPECT_EQ(counts.out, 60);
}

#ifdef COLORIZE_HAVE_TEMPORAL
INSTANTIATE_TEST_SUITE_P(AllTemporalModes, ElementModes, ::testing::Values("off", "live", "file"),
                         [](const auto& mode) { return std::string(mode.param); });
#else
INSTANTIATE_TEST_SUITE_P(AllTemporalModes, ElementModes, ::testing::Values("off"),
                         [](const auto& mode) { return std::string(mode.param); });
#endif

TEST_F(Element, SurvivesRepeatedStateCycles) {
  const std::string description =
      "videotestsrc num-buffers=2 ! video/x-raw,width=48,height=32 ! colorize device=cpu model=" +
      model("random.safetensors") + " ! fakesink";
  for (int i = 0; i < 8; ++i) EXPECT_EQ(run_pipeline(description), "") << "cycle " << i;
}

TEST_F(Element, AnswersTheLatencyQueryWithItsProcessingTime) {
  GError* error = nullptr;
  GstElement* pipeline =
      gst_parse_launch(("videotestsrc is-live=true ! video/x-raw,width=64,height=48,framerate=30/1 ! "
                        "colorize device=cpu model=" +
                        model("random.safetensors") + " ! fakesink sync=true")
                           .c_str(),
                       &error);
  ASSERT_NE(pipeline, nullptr);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  g_usleep(1500 * 1000);  // a few frames, so the element has measured itself
  GstQuery* q = gst_query_new_latency();
  ASSERT_TRUE(gst_element_query(pipeline, q));
  gboolean live = FALSE;
  GstClockTime min = 0, max = 0;
  gst_query_parse_latency(q, &live, &min, &max);
  EXPECT_TRUE(live);
  EXPECT_GT(min, static_cast<GstClockTime>(0));
  gst_query_unref(q);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
}

// As samples/pipelines.sh file runs it: with the look-ahead smoothing where the build has it.
#ifdef COLORIZE_HAVE_TEMPORAL
constexpr const char* kFileSmoothing = " temporal-smoothing=file";
#else
constexpr const char* kFileSmoothing = "";
#endif

TEST_F(Element, FileToFilePipelineKeepsEveryFrame) {
  const std::string in = dir_->file("in.mp4"), out = dir_->file("out.mp4");
  ASSERT_EQ(test::run("ffmpeg -v error -y -f lavfi -i testsrc=size=160x120:rate=25:duration=2 -vf "
                      "format=gray -c:v libx264 " +
                      test::quote(in))
                .status,
            0);
  const auto r = test::run(
      "GST_PLUGIN_PATH=" + test::quote(COLORIZE_GST_PLUGIN_DIR) +
      " gst-launch-1.0 -q filesrc location=" + test::quote(in) +
      " ! decodebin ! videoconvert ! colorize device=cpu model=" + test::quote(model("random.safetensors")) +
      kFileSmoothing + " ! videoconvert ! x264enc ! mp4mux ! filesink location=" + test::quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto frames =
      test::run("ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of default=nw=1:nk=1 " +
                test::quote(out));
  EXPECT_EQ(frames.output, "50\n");
}

}  // namespace
}  // namespace colorize::gst
