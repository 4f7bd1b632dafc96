#include "gst-plugin/gstcolorize.hpp"

#include <gst/video/video.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
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
struct State {
  std::unique_ptr<colorize::engine::Colorizer> colorizer;
  // File-mode smoothing gives frames out late: for each frame the engine holds, oldest first, an empty
  // buffer with its input's timestamps and flags, for the output buffer it becomes. Inputs themselves
  // are let go at once (upstream pools may be small).
  std::deque<BufferPtr> held;
  double frame_seconds = 0;  // moving average of the processing time per frame
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
  // Properties, under the object lock; `changed` asks the streaming thread to rebuild the engine.
  gchar* model;
  gint device;
  guint render_size;
  gint precision;
  gboolean enabled;
  gint temporal;
  gboolean changed;
  State* state;
};

G_DEFINE_TYPE(GstColorize, gst_colorize, GST_TYPE_VIDEO_FILTER)

namespace {

// (Re)builds the engine from the current properties; posts an element error and returns false on failure.
bool ensure_colorizer(GstColorize* self) {
  GST_OBJECT_LOCK(self);
  const bool needed = self->changed || !self->state->colorizer;
  colorize::engine::ColorizerOptions o;
  o.model_path = self->model != nullptr ? self->model : "";
  o.device = static_cast<colorize::engine::Device>(self->device);
  o.render_size = static_cast<int>(self->render_size);
  o.precision = static_cast<colorize::engine::Precision>(self->precision);
  o.temporal = static_cast<colorize::engine::TemporalSmoothing>(self->temporal);
  self->changed = FALSE;
  GST_OBJECT_UNLOCK(self);
  try {
    if (!needed) {
      self->state->colorizer->set_temporal(o.temporal);  // cheap; forgets the past only on a change
      return true;
    }
    self->state->colorizer = std::make_unique<colorize::engine::Colorizer>(o);
    GST_INFO_OBJECT(self, "model %s loaded (render size %d)", o.model_path.c_str(), o.render_size);
    return true;
  } catch (const std::exception& e) {
    self->state->colorizer.reset();
    GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS, ("colorize cannot start: %s", e.what()),
                      ("model '%s'", o.model_path.c_str()));
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
      self->changed = TRUE;
      break;
    case PROP_DEVICE:
      self->device = g_value_get_enum(value);
      self->changed = TRUE;
      break;
    case PROP_RENDER_SIZE:
      self->render_size = g_value_get_uint(value);
      self->changed = TRUE;
      break;
    case PROP_PRECISION:
      self->precision = g_value_get_enum(value);
      self->changed = TRUE;
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

gboolean start(GstBaseTransform* trans) { return ensure_colorizer(GST_COLORIZE(trans)) ? TRUE : FALSE; }

gboolean stop(GstBaseTransform* trans) {
  GST_COLORIZE(trans)->state->held.clear();
  GST_COLORIZE(trans)->state->colorizer.reset();
  return TRUE;
}

// The engine's oldest finished frame, in a new output buffer with its input's timestamps and flags.
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
  {
    MappedFrame frame(out_info, out, GST_MAP_WRITE);
    if (!frame.mapped()) {
      GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize cannot map its output buffer"), (nullptr));
      return GST_FLOW_ERROR;
    }
    s.colorizer->receive(colorize::gst::mutable_view_of(frame.frame()));
  }
  gst_buffer_copy_into(out, s.held.front().get(),
                       static_cast<GstBufferCopyFlags>(GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS), 0,
                       static_cast<gsize>(-1));
  s.held.pop_front();
  *outbuf = result.release();
  return GST_FLOW_OK;
}

// Ends the look-ahead (end of stream, a new segment or new caps follow): every frame the engine holds
// is finished and pushed, before the event that ends them.
GstFlowReturn push_held(GstColorize* self) {
  State& s = *self->state;
  if (!s.colorizer || s.colorizer->frames_held() == 0) return GST_FLOW_OK;
  try {
    s.colorizer->drain();
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
      s.held.clear();
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

// Frames in and out one for one (GstVideoFilter's transform_frame), except with file-mode smoothing:
// the input goes to the engine, and each frame comes out once its look-ahead is complete.
GstFlowReturn generate_output(GstBaseTransform* trans, GstBuffer** outbuf) {
  GstColorize* self = GST_COLORIZE(trans);
  State& s = *self->state;
  GST_OBJECT_LOCK(self);
  const bool file_mode = self->enabled && !self->changed &&
                         self->temporal == static_cast<gint>(colorize::engine::TemporalSmoothing::File);
  GST_OBJECT_UNLOCK(self);
  *outbuf = nullptr;
  try {
    // Frames the engine holds leave first, in order, whatever else has changed meanwhile.
    if (s.colorizer && s.colorizer->frames_held() > 0) {
      if (!file_mode) s.colorizer->drain();
      if (s.colorizer->frames_finished() > 0) return output_finished(self, outbuf);
    }
    if (!file_mode)
      return GST_BASE_TRANSFORM_CLASS(gst_colorize_parent_class)->generate_output(trans, outbuf);
    if (trans->queued_buf == nullptr) return GST_FLOW_OK;
    BufferPtr input(trans->queued_buf);
    trans->queued_buf = nullptr;
    if (!ensure_colorizer(self)) return GST_FLOW_ERROR;
    if (s.discontinuity.exchange(false)) {
      s.held.clear();
      s.colorizer->reset_temporal();
    } else if (GST_BUFFER_IS_DISCONT(input.get())) {
      s.colorizer->drain();  // the frames before the gap finish with what came before them
    }
    {
      MappedFrame in(GST_VIDEO_FILTER(self)->in_info, input.get(), GST_MAP_READ);
      if (!in.mapped()) {
        GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize cannot map its input buffer"), (nullptr));
        return GST_FLOW_ERROR;
      }
      s.colorizer->send({colorize::gst::view_of(in.frame())});
    }
    BufferPtr times(gst_buffer_new());
    gst_buffer_copy_into(times.get(), input.get(),
                         static_cast<GstBufferCopyFlags>(GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS),
                         0, static_cast<gsize>(-1));
    s.held.push_back(std::move(times));
    if (s.colorizer->frames_finished() > 0) return output_finished(self, outbuf);
  } catch (const std::exception& e) {
    GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize failed: %s", e.what()), (nullptr));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
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

GstFlowReturn transform_frame(GstVideoFilter* filter, GstVideoFrame* in, GstVideoFrame* out) {
  GstColorize* self = GST_COLORIZE(filter);
  GST_OBJECT_LOCK(self);
  const bool enabled = self->enabled;
  GST_OBJECT_UNLOCK(self);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    if (!enabled) {
      colorize::color::convert_frame(colorize::gst::view_of(*in), colorize::gst::mutable_view_of(*out));
      return GST_FLOW_OK;
    }
    if (!ensure_colorizer(self)) return GST_FLOW_ERROR;
    if (self->state->discontinuity.exchange(false) || GST_BUFFER_IS_DISCONT(in->buffer))
      self->state->colorizer->reset_temporal();
    self->state->colorizer->colorize(colorize::gst::view_of(*in), colorize::gst::mutable_view_of(*out));
  } catch (const std::exception& e) {
    GST_ELEMENT_ERROR(self, STREAM, FAILED, ("colorize failed: %s", e.what()), (nullptr));
    return GST_FLOW_ERROR;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  State& s = *self->state;
  const bool first = s.frame_seconds == 0;
  s.frame_seconds = first ? seconds : 0.9 * s.frame_seconds + 0.1 * seconds;
  if (first) gst_element_post_message(GST_ELEMENT(self), gst_message_new_latency(GST_OBJECT(self)));
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
  self->changed = TRUE;
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
