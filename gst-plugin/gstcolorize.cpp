#include "gst-plugin/gstcolorize.hpp"

#include <gst/video/video.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "color/frame_lab.hpp"
#include "engine/colorizer.hpp"
#include "gst-plugin/frame_adapter.hpp"

GST_DEBUG_CATEGORY_STATIC(gst_colorize_debug);
#define GST_CAT_DEFAULT gst_colorize_debug

namespace {

constexpr const char* kSinkFormats = "{ GRAY8, I420, NV12, RGB, BGR, RGBx, BGRx, RGBA, BGRA }";
constexpr const char* kSrcFormats = "{ I420, NV12, RGB, RGBx, BGRx }";

enum Property {
  PROP_0,
  PROP_MODEL,
  PROP_DEVICE,
  PROP_RENDER_SIZE,
  PROP_PRECISION,
  PROP_ENABLED,
  PROP_TEMPORAL_SMOOTHING
};

struct BufferUnref {
  void operator()(GstBuffer* buffer) const { gst_buffer_unref(buffer); }
};
using BufferPtr = std::unique_ptr<GstBuffer, BufferUnref>;

// A buffer mapped as a video frame for as long as this lives.
class MappedFrame {
 public:
  MappedFrame(const GstVideoInfo& info, GstBuffer* buffer, GstMapFlags flags)
      : mapped_(gst_video_frame_map(&frame_, &info, buffer, flags) != FALSE) {}
  ~MappedFrame() {
    if (mapped_) gst_video_frame_unmap(&frame_);
  }
  MappedFrame(const MappedFrame&) = delete;
  MappedFrame& operator=(const MappedFrame&) = delete;
  bool mapped() const { return mapped_; }
  GstVideoFrame& frame() { return frame_; }

 private:
  GstVideoFrame frame_{};
  bool mapped_;
};

// The engine and what the streaming thread measures, owned by the element (C++ objects in a GObject).
// Each frame goes to the engine tagged with an empty buffer carrying its input's timestamps, flags and
// metadata, for the output buffer it becomes: file-mode smoothing gives frames out late, and inputs
// are let go at once (upstream pools may be small).
struct State {
  std::unique_ptr<colorize::engine::Colorizer> colorizer;
  guint built_generation = 0;  // the properties' generation the engine was built from
  double frame_seconds = 0;    // moving average of the processing time per frame
  // Set by events (flush, new segment) and by re-enabling; the streaming thread then forgets the past
  // frames of temporal smoothing before the next frame.
  std::atomic<bool> discontinuity{false};
};

colorize::engine::TemporalSmoothing default_temporal() {
  return colorize::engine::temporal_smoothing_available() ? colorize::engine::TemporalSmoothing::Live
                                                          : colorize::engine::TemporalSmoothing::Off;
}

// The bundled default model: installed beside the plugin's prefix, else in the source tree.
std::string default_model() {
  for (const char* candidate : {COLORIZE_INSTALLED_MODEL, COLORIZE_SOURCE_MODEL})
    if (std::filesystem::exists(candidate)) return candidate;
  return COLORIZE_INSTALLED_MODEL;
}

GType device_type() {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(colorize::engine::Device::Auto), "CUDA when available, else CPU", "auto"},
      {static_cast<gint>(colorize::engine::Device::Cpu), "CPU", "cpu"},
      {static_cast<gint>(colorize::engine::Device::Cuda), "CUDA", "cuda"},
      {0, nullptr, nullptr}};
  if (g_once_init_enter(&type)) g_once_init_leave(&type, g_enum_register_static("GstColorizeDevice", values));
  return type;
}

GType precision_type() {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(colorize::engine::Precision::Float32), "32-bit float", "fp32"},
      {static_cast<gint>(colorize::engine::Precision::BFloat16), "bfloat16", "bf16"},
      {static_cast<gint>(colorize::engine::Precision::Float16), "16-bit float (CUDA only)", "fp16"},
      {0, nullptr, nullptr}};
  if (g_once_init_enter(&type))
    g_once_init_leave(&type, g_enum_register_static("GstColorizePrecision", values));
  return type;
}

GType temporal_type() {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(colorize::engine::TemporalSmoothing::Off), "Every frame on its own", "off"},
      {static_cast<gint>(colorize::engine::TemporalSmoothing::Live),
       "Colour carried along the motion from past frames, reset at scene cuts (no added latency)", "live"},
      {static_cast<gint>(colorize::engine::TemporalSmoothing::File),
       "Colour carried from past frames and the next 8 (frames leave 8 frames late: for files)", "file"},
      {0, nullptr, nullptr}};
  if (g_once_init_enter(&type))
    g_once_init_leave(&type, g_enum_register_static("GstColorizeTemporalSmoothing", values));
  return type;
}

}  // namespace

struct _GstColorize {
  GstVideoFilter parent;
  // Properties, under the object lock; a new `generation` asks the streaming thread to rebuild the
  // engine (model, device, render size, precision).
  gchar* model;
  gint device;
  guint render_size;
  gint precision;
  gboolean enabled;
  gint temporal;
  guint generation;
  State* state;
};

G_DEFINE_TYPE(GstColorize, gst_colorize, GST_TYPE_VIDEO_FILTER)

namespace {

// The properties as the streaming thread uses them, read together under the object lock.
struct Settings {
  colorize::engine::ColorizerOptions options;
  bool enabled;
  guint generation;
  bool rebuild;  // the engine is missing or was built from older properties
};

Settings read_settings(GstColorize* self) {
  Settings s;
  GST_OBJECT_LOCK(self);
  s.options.model_path = self->model != nullptr ? self->model : "";
  s.options.device = static_cast<colorize::engine::Device>(self->device);
  s.options.render_size = static_cast<int>(self->render_size);
  s.options.precision = static_cast<colorize::engine::Precision>(self->precision);
  s.options.temporal = static_cast<colorize::engine::TemporalSmoothing>(self->temporal);
  s.enabled = self->enabled != FALSE;
  s.generation = self->generation;
  GST_OBJECT_UNLOCK(self);
  s.rebuild = !self->state->colorizer || self->state->built_generation != s.generation;
  return s;
}

// Brings the engine to `settings`: rebuilt when needed (frames it held are lost: callers flush first),
// else only its temporal mode set. Posts an element error and returns false on failure.
bool apply_settings(GstColorize* self, const Settings& settings) {
  State& s = *self->state;
  try {
    if (!settings.rebuild) {
      s.colorizer->set_temporal(settings.options.temporal);  // finishes held frames on a change
      return true;
    }
    s.colorizer.reset();
    s.colorizer = std::make_unique<colorize::engine::Colorizer>(settings.options);
    s.built_generation = settings.generation;
    GST_INFO_OBJECT(self, "model %s loaded (render size %d)", settings.options.model_path.c_str(),
                    settings.options.render_size);
    return true;
  } catch (const std::exception& e) {
    s.colorizer.reset();
    GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS, ("colorize cannot start: %s", e.what()),
                      ("model '%s'", settings.options.model_path.c_str()));
    return false;
  }
}

void set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  GstColorize* self = GST_COLORIZE(object);
  GST_OBJECT_LOCK(self);
  switch (id) {
    case PROP_MODEL:
      g_free(self->model);
      self->model = g_value_dup_string(value);
      ++self->generation;
      break;
    case PROP_DEVICE:
      self->device = g_value_get_enum(value);
      ++self->generation;
      break;
    case PROP_RENDER_SIZE:
      self->render_size = g_value_get_uint(value);
      ++self->generation;
      break;
    case PROP_PRECISION:
      self->precision = g_value_get_enum(value);
      ++self->generation;
      break;
    case PROP_ENABLED:
      if (g_value_get_boolean(value) && !self->enabled) self->state->discontinuity = true;
      self->enabled = g_value_get_boolean(value);
      break;
    case PROP_TEMPORAL_SMOOTHING:
      self->temporal = g_value_get_enum(value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK(self);
}

void get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  GstColorize* self = GST_COLORIZE(object);
  GST_OBJECT_LOCK(self);
  switch (id) {
    case PROP_MODEL:
      g_value_set_string(value, self->model);
      break;
    case PROP_DEVICE:
      g_value_set_enum(value, self->device);
      break;
    case PROP_RENDER_SIZE:
      g_value_set_uint(value, self->render_size);
      break;
    case PROP_PRECISION:
      g_value_set_enum(value, self->precision);
      break;
    case PROP_ENABLED:
      g_value_set_boolean(value, self->enabled);
      break;
    case PROP_TEMPORAL_SMOOTHING:
      g_value_set_enum(value, self->temporal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK(self);
}

void finalize(GObject* object) {
  GstColorize* self = GST_COLORIZE(object);
  g_free(self->model);
  delete self->state;
  G_OBJECT_CLASS(gst_colorize_parent_class)->finalize(object);
}

gboolean start(GstBaseTransform* trans) {
  GstColorize* self = GST_COLORIZE(trans);
  return apply_settings(self, read_settings(self)) ? TRUE : FALSE;
}

gboolean stop(GstBaseTransform* trans) {
  GST_COLORIZE(trans)->state->colorizer.reset();
  return TRUE;
}

// The engine's oldest finished frame (there must be one), in a new output buffer with its input's
// timestamps, flags and metadata.
GstFlowReturn output_finished(GstColorize* self, GstBuffer** outbuf) {
  GstBaseTransform* trans = GST_BASE_TRANSFORM(self);
  State& s = *self->state;
  const GstVideoInfo& out_info = GST_VIDEO_FILTER(self)->out_info;
  GstBuffer* out = nullptr;
  if (GstBufferPool* pool = gst_base_transform_get_buffer_pool(trans)) {
    const GstFlowReturn ret = gst_buffer_pool_set_active(pool, TRUE)
                                  ? gst_buffer_pool_acquire_buffer(pool, &out, nullptr)
                                  : GST_FLOW_ERROR;
    gst_object_unref(pool);
    if (ret != GST_FLOW_OK) return ret;
  } else {
    out = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&out_info), nullptr);
  }
  BufferPtr result(out);
  std::optional<colorize::engine::FrameTag> tag;
  {
    MappedFrame frame(out_info, out, GST_MAP_WRITE);
    if (!frame.mapped()) {
      GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize cannot map its output buffer"), (nullptr));
      return GST_FLOW_ERROR;
    }
    tag = s.colorizer->receive(colorize::gst::mutable_view_of(frame.frame()));
  }
  GstBuffer* input = tag->get<BufferPtr>().get();
  GST_BASE_TRANSFORM_GET_CLASS(trans)->copy_metadata(trans, input, out);
  *outbuf = result.release();
  return GST_FLOW_OK;
}

// Ends the look-ahead (end of stream, a new segment or new caps follow): every frame the engine holds
// is finished and pushed, before the event that ends them.
GstFlowReturn push_held(GstColorize* self) {
  State& s = *self->state;
  if (!s.colorizer || s.colorizer->frames_held() == 0) return GST_FLOW_OK;
  try {
    s.colorizer->flush();
    while (s.colorizer->frames_finished() > 0) {
      GstBuffer* out = nullptr;
      GstFlowReturn ret = output_finished(self, &out);
      if (ret == GST_FLOW_OK) ret = gst_pad_push(GST_BASE_TRANSFORM_SRC_PAD(self), out);
      if (ret != GST_FLOW_OK) return ret;
    }
  } catch (const std::exception& e) {
    GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize failed: %s", e.what()), (nullptr));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

// A flush (flushing seek) or a new segment breaks the sequence: temporal smoothing must not carry colour
// across it. Frames held for the look-ahead leave before the end of stream, a new segment or new caps;
// a flush drops them.
gboolean sink_event(GstBaseTransform* trans, GstEvent* event) {
  GstColorize* self = GST_COLORIZE(trans);
  State& s = *self->state;
  switch (GST_EVENT_TYPE(event)) {
    case GST_EVENT_FLUSH_STOP:
      s.discontinuity = true;
      if (s.colorizer) s.colorizer->reset_temporal();
      break;
    case GST_EVENT_SEGMENT:
      s.discontinuity = true;
      push_held(self);
      break;
    case GST_EVENT_EOS:
    case GST_EVENT_CAPS:
      push_held(self);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS(gst_colorize_parent_class)->sink_event(trans, event);
}

// Every frame goes through the engine's send() and receive(), in every mode: a frame comes out at once
// (temporal smoothing off or live) or once its look-ahead is complete (file). One output per call: the
// base class calls again while it gets buffers, and the queued input waits until the frames before it
// have left.
GstFlowReturn generate_output(GstBaseTransform* trans, GstBuffer** outbuf) {
  GstColorize* self = GST_COLORIZE(trans);
  State& s = *self->state;
  *outbuf = nullptr;
  try {
    if (s.colorizer && s.colorizer->frames_finished() > 0) return output_finished(self, outbuf);
    if (trans->queued_buf == nullptr) return GST_FLOW_OK;
    const Settings settings = read_settings(self);
    // The frames the engine holds finish with the settings they came in with, before it is rebuilt or
    // bypassed.
    if ((!settings.enabled || settings.rebuild) && s.colorizer && s.colorizer->frames_held() > 0) {
      s.colorizer->flush();
      return output_finished(self, outbuf);
    }
    if (!settings.enabled)  // passthrough: transform_frame converts the format
      return GST_BASE_TRANSFORM_CLASS(gst_colorize_parent_class)->generate_output(trans, outbuf);
    BufferPtr input(trans->queued_buf);
    trans->queued_buf = nullptr;
    if (!apply_settings(self, settings)) return GST_FLOW_ERROR;
    // The frames before a gap or a new segment finish with what came before them; the next starts afresh.
    if (s.discontinuity.exchange(false) || GST_BUFFER_IS_DISCONT(input.get())) s.colorizer->flush();
    const auto t0 = std::chrono::steady_clock::now();
    {
      MappedFrame in(GST_VIDEO_FILTER(self)->in_info, input.get(), GST_MAP_READ);
      if (!in.mapped()) {
        GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize cannot map its input buffer"), (nullptr));
        return GST_FLOW_ERROR;
      }
      BufferPtr metadata(gst_buffer_new());
      GST_BASE_TRANSFORM_GET_CLASS(trans)->copy_metadata(trans, input.get(), metadata.get());
      s.colorizer->send(colorize::gst::view_of(in.frame()), std::move(metadata));
    }
    const GstFlowReturn ret =
        s.colorizer->frames_finished() > 0 ? output_finished(self, outbuf) : GST_FLOW_OK;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool first = s.frame_seconds == 0;
    s.frame_seconds = first ? seconds : 0.9 * s.frame_seconds + 0.1 * seconds;
    if (first) gst_element_post_message(GST_ELEMENT(self), gst_message_new_latency(GST_OBJECT(self)));
    return ret;
  } catch (const std::exception& e) {
    GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize failed: %s", e.what()), (nullptr));
    return GST_FLOW_ERROR;
  }
}

// Any format of the other pad's template, same size and frame rate: only the format (and with it the
// colour description) changes.
GstCaps* transform_caps(GstBaseTransform* trans, GstPadDirection direction, GstCaps* caps, GstCaps* filter) {
  GstCaps* stripped = gst_caps_new_empty();
  for (guint i = 0; i < gst_caps_get_size(caps); ++i) {
    GstStructure* s = gst_structure_copy(gst_caps_get_structure(caps, i));
    gst_structure_remove_fields(s, "format", "colorimetry", "chroma-site", nullptr);
    gst_caps_append_structure_full(stripped, s, gst_caps_features_copy(gst_caps_get_features(caps, i)));
  }
  GstPad* other =
      direction == GST_PAD_SINK ? GST_BASE_TRANSFORM_SRC_PAD(trans) : GST_BASE_TRANSFORM_SINK_PAD(trans);
  GstCaps* templ = gst_pad_get_pad_template_caps(other);
  GstCaps* result = gst_caps_intersect_full(stripped, templ, GST_CAPS_INTERSECT_FIRST);
  gst_caps_unref(templ);
  gst_caps_unref(stripped);
  if (filter != nullptr) {
    GstCaps* filtered = gst_caps_intersect_full(filter, result, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref(result);
    result = filtered;
  }
  return result;
}

// Keep the input's format when the other side takes it (no conversion anywhere), else the first that
// the other side prefers.
GstCaps* fixate_caps(GstBaseTransform* trans, GstPadDirection direction, GstCaps* caps, GstCaps* othercaps) {
  const gchar* format = gst_structure_get_string(gst_caps_get_structure(caps, 0), "format");
  if (format != nullptr) {
    GstCaps* same = gst_caps_copy(othercaps);
    gst_caps_set_simple(same, "format", G_TYPE_STRING, format, nullptr);
    GstCaps* possible = gst_caps_intersect(same, othercaps);
    gst_caps_unref(same);
    if (!gst_caps_is_empty(possible)) {
      gst_caps_unref(othercaps);
      return gst_caps_fixate(possible);
    }
    gst_caps_unref(possible);
  }
  return GST_BASE_TRANSFORM_CLASS(gst_colorize_parent_class)->fixate_caps(trans, direction, caps, othercaps);
}

// Latency: what upstream reports plus our processing time per frame.
gboolean query(GstBaseTransform* trans, GstPadDirection direction, GstQuery* q) {
  const gboolean result = GST_BASE_TRANSFORM_CLASS(gst_colorize_parent_class)->query(trans, direction, q);
  if (result && direction == GST_PAD_SRC && GST_QUERY_TYPE(q) == GST_QUERY_LATENCY) {
    gboolean live = FALSE;
    GstClockTime min = 0, max = 0;
    gst_query_parse_latency(q, &live, &min, &max);
    GstColorize* self = GST_COLORIZE(trans);
    auto ours = static_cast<GstClockTime>(self->state->frame_seconds * GST_SECOND);
    // File-mode smoothing holds frames for their look-ahead: that many frame durations more.
    const GstVideoInfo& info = GST_VIDEO_FILTER(self)->in_info;
    GST_OBJECT_LOCK(self);
    const bool file_mode = self->temporal == static_cast<gint>(colorize::engine::TemporalSmoothing::File);
    GST_OBJECT_UNLOCK(self);
    if (file_mode && GST_VIDEO_INFO_FPS_N(&info) > 0)
      ours += gst_util_uint64_scale(
          static_cast<guint64>(colorize::engine::ColorizerOptions{}.lookahead) * GST_SECOND,
          static_cast<guint64>(GST_VIDEO_INFO_FPS_D(&info)),
          static_cast<guint64>(GST_VIDEO_INFO_FPS_N(&info)));
    gst_query_set_latency(q, live, min + ours, max == GST_CLOCK_TIME_NONE ? max : max + ours);
  }
  return result;
}

// Passthrough (enabled false): the frame as it is, in the output's format.
GstFlowReturn transform_frame(GstVideoFilter* filter, GstVideoFrame* in, GstVideoFrame* out) {
  try {
    colorize::color::convert_frame(colorize::gst::view_of(*in), colorize::gst::mutable_view_of(*out));
  } catch (const std::exception& e) {
    GST_ELEMENT_ERROR(filter, STREAM, FAILED, ("colorize failed: %s", e.what()), (nullptr));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

}  // namespace

static void gst_colorize_class_init(GstColorizeClass* klass) {
  GObjectClass* gobject = G_OBJECT_CLASS(klass);
  GstElementClass* element = GST_ELEMENT_CLASS(klass);
  GstBaseTransformClass* trans = GST_BASE_TRANSFORM_CLASS(klass);
  GstVideoFilterClass* video = GST_VIDEO_FILTER_CLASS(klass);
  gobject->set_property = set_property;
  gobject->get_property = get_property;
  gobject->finalize = finalize;

  const auto flags =
      static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);
  g_object_class_install_property(gobject, PROP_MODEL,
                                  g_param_spec_string("model", "Model", "Generator model file (.safetensors)",
                                                      default_model().c_str(), flags));
  g_object_class_install_property(
      gobject, PROP_DEVICE,
      g_param_spec_enum("device", "Device", "Where the network runs", device_type(),
                        static_cast<gint>(colorize::engine::Device::Auto), flags));
  g_object_class_install_property(
      gobject, PROP_RENDER_SIZE,
      g_param_spec_uint("render-size", "Render size", "Short side, in pixels, at which the network runs", 16,
                        4096, 256, flags));
  g_object_class_install_property(
      gobject, PROP_PRECISION,
      g_param_spec_enum("precision", "Precision", "Network precision", precision_type(),
                        static_cast<gint>(colorize::engine::Precision::Float32), flags));
  g_object_class_install_property(
      gobject, PROP_ENABLED,
      g_param_spec_boolean("enabled", "Enabled",
                           "Colorize; when false, frames pass through (format converted)", TRUE, flags));

  g_object_class_install_property(
      gobject, PROP_TEMPORAL_SMOOTHING,
      g_param_spec_enum("temporal-smoothing", "Temporal smoothing",
                        "Carry colour between frames along the motion, against flicker (live: causal, "
                        "no added latency, the default when the build has OpenCV; file: also from the next "
                        "8 frames, which adds 8 frames of latency)",
                        temporal_type(), static_cast<gint>(default_temporal()), flags));
  gst_element_class_set_static_metadata(
      element, "Colorize", "Filter/Effect/Video",
      "Colorizes black-and-white video with a pix2pix U-Net on the L*a*b* lightness", "colorize developers");
  GstCaps* sink =
      gst_caps_from_string((std::string("video/x-raw, format = (string) ") + kSinkFormats +
                            ", width = (int) [ 1, max ], height = (int) [ 1, max ], framerate = (fraction) "
                            "[ 0/1, max ]")
                               .c_str());
  GstCaps* src =
      gst_caps_from_string((std::string("video/x-raw, format = (string) ") + kSrcFormats +
                            ", width = (int) [ 1, max ], height = (int) [ 1, max ], framerate = (fraction) "
                            "[ 0/1, max ]")
                               .c_str());
  gst_element_class_add_pad_template(element,
                                     gst_pad_template_new("sink", GST_PAD_SINK, GST_PAD_ALWAYS, sink));
  gst_element_class_add_pad_template(element, gst_pad_template_new("src", GST_PAD_SRC, GST_PAD_ALWAYS, src));
  gst_caps_unref(sink);
  gst_caps_unref(src);

  trans->start = start;
  trans->stop = stop;
  trans->sink_event = sink_event;
  trans->transform_caps = transform_caps;
  trans->fixate_caps = fixate_caps;
  trans->query = query;
  trans->generate_output = generate_output;
  trans->passthrough_on_same_caps = FALSE;
  video->transform_frame = transform_frame;
  GST_DEBUG_CATEGORY_INIT(gst_colorize_debug, "colorize", 0, "colorize element");
}

static void gst_colorize_init(GstColorize* self) {
  self->model = g_strdup(default_model().c_str());
  self->device = static_cast<gint>(colorize::engine::Device::Auto);
  self->render_size = 256;
  self->precision = static_cast<gint>(colorize::engine::Precision::Float32);
  self->enabled = TRUE;
  self->temporal = static_cast<gint>(default_temporal());
  self->generation = 1;
  self->state = new State;
  gst_base_transform_set_qos_enabled(GST_BASE_TRANSFORM(self), TRUE);
}

gboolean gst_colorize_register(GstPlugin* plugin) {
  return gst_element_register(plugin, "colorize", GST_RANK_NONE, GST_TYPE_COLORIZE);
}

gboolean gst_colorize_register_static(void) {
  return gst_plugin_register_static(GST_VERSION_MAJOR, GST_VERSION_MINOR, "colorize",
                                    "Colorization of black-and-white video", gst_colorize_register,
                                    COLORIZE_VERSION, "unknown", "colorize", "colorize", "colorize");
}
