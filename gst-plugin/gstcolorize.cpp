#include "gst-plugin/gstcolorize.hpp"

#include <gst/video/video.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "color/frame_lab.hpp"
#include "engine/settings.hpp"
#include "gst-plugin/frame_adapter.hpp"

GST_DEBUG_CATEGORY_STATIC(gst_colorize_debug);
#define GST_CAT_DEFAULT gst_colorize_debug

namespace {

constexpr const char* kSinkFormats = "{ GRAY8, I420, NV12, RGB, BGR, RGBx, BGRx, RGBA, BGRA }";
constexpr const char* kSrcFormats = "{ I420, NV12, RGB, RGBx, BGRx }";

// Property ids: `enabled`, then the engine's settings (engine/settings.hpp) in their table's order.
enum Property { PROP_0, PROP_ENABLED, PROP_FIRST_SETTING };

namespace engine = colorize::engine;

// The engine setting behind a property id, or nullptr for `enabled` and unknown ids.
const engine::Setting* setting_of(guint id) {
  const auto& table = engine::settings();
  return id >= PROP_FIRST_SETTING && id - PROP_FIRST_SETTING < table.size() ? &table[id - PROP_FIRST_SETTING]
                                                                            : nullptr;
}

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
  std::unique_ptr<engine::Colorizer> colorizer;
  guint built_generation = 0;  // the properties' generation the engine was built from
  double frame_seconds = 0;    // moving average of the processing time per frame
  // Set by events (flush, new segment) and by re-enabling; the streaming thread then forgets the past
  // frames of temporal smoothing before the next frame.
  std::atomic<bool> discontinuity{false};
};

// "temporal-smoothing" -> "GstColorizeTemporalSmoothing", the GType of a choice setting's enum.
std::string enum_type_name(const char* setting) {
  std::string name = "GstColorize";
  bool upper = true;
  for (const char* c = setting; *c != '\0'; ++c) {
    if (*c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c;
    upper = false;
  }
  return name;
}

// A choice setting's values as a GLib enum (its nicks are the setting's names: device=cuda). Registered
// once per process; GLib keeps the table for the life of the type, so it is never freed.
GType enum_type(const engine::Setting& setting) {
  const std::string name = enum_type_name(setting.name);
  if (const GType known = g_type_from_name(name.c_str())) return known;
  auto* values = new GEnumValue[setting.choices.size() + 1];
  for (std::size_t i = 0; i < setting.choices.size(); ++i)
    values[i] = {setting.choices[i].value, setting.choices[i].help, setting.choices[i].name};
  values[setting.choices.size()] = {0, nullptr, nullptr};
  return g_enum_register_static(g_intern_string(name.c_str()), values);
}

// "render-size" -> "Render size", the property's nick.
std::string nick_of(const char* setting) {
  std::string nick = setting;
  for (char& c : nick)
    if (c == '-') c = ' ';
  nick[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(nick[0])));
  return nick;
}

GParamSpec* param_spec(const engine::Setting& setting, const engine::ColorizerOptions& defaults,
                       GParamFlags flags) {
  const std::string nick = nick_of(setting.name);
  switch (setting.kind) {
    case engine::Setting::Kind::Text:
      return g_param_spec_string(setting.name, nick.c_str(), setting.help, setting.get(defaults).c_str(),
                                 flags);
    case engine::Setting::Kind::Choice:
      return g_param_spec_enum(setting.name, nick.c_str(), setting.help, enum_type(setting),
                               setting.get_number(defaults), flags);
    case engine::Setting::Kind::Number:
      return g_param_spec_uint(setting.name, nick.c_str(), setting.help, static_cast<guint>(setting.minimum),
                               static_cast<guint>(setting.maximum),
                               static_cast<guint>(setting.get_number(defaults)), flags);
  }
  return nullptr;
}

}  // namespace

struct _GstColorize {
  GstVideoFilter parent;
  // Properties, under the object lock: the engine's settings and `enabled`. A new `generation` asks the
  // streaming thread to rebuild the engine (a setting that rebuilds_engine changed).
  engine::ColorizerOptions* options;
  gboolean enabled;
  guint generation;
  State* state;
};

G_DEFINE_TYPE(GstColorize, gst_colorize, GST_TYPE_VIDEO_FILTER)

namespace {

// The properties as the streaming thread uses them, read together under the object lock.
struct Settings {
  engine::ColorizerOptions options;
  bool enabled;
  guint generation;
  bool rebuild;  // the engine is missing or was built from older properties
};

Settings read_settings(GstColorize* self) {
  Settings s;
  GST_OBJECT_LOCK(self);
  s.options = *self->options;
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
    s.colorizer = std::make_unique<engine::Colorizer>(settings.options);
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
  if (id == PROP_ENABLED) {
    if (g_value_get_boolean(value) && !self->enabled) self->state->discontinuity = true;
    self->enabled = g_value_get_boolean(value);
  } else if (const engine::Setting* setting = setting_of(id)) {
    // The param spec has checked the range or the enum; the engine checks the rest when it starts
    // (a choice this build lacks) and says why in an element error.
    switch (setting->kind) {
      case engine::Setting::Kind::Text:
        setting->write_text(*self->options,
                            g_value_get_string(value) != nullptr ? g_value_get_string(value) : "");
        break;
      case engine::Setting::Kind::Choice:
        setting->write_number(*self->options, g_value_get_enum(value));
        break;
      case engine::Setting::Kind::Number:
        setting->write_number(*self->options, static_cast<int>(g_value_get_uint(value)));
        break;
    }
    if (setting->rebuilds_engine) ++self->generation;
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  GST_OBJECT_UNLOCK(self);
}

void get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  GstColorize* self = GST_COLORIZE(object);
  GST_OBJECT_LOCK(self);
  if (id == PROP_ENABLED) {
    g_value_set_boolean(value, self->enabled);
  } else if (const engine::Setting* setting = setting_of(id)) {
    switch (setting->kind) {
      case engine::Setting::Kind::Text:
        g_value_set_string(value, setting->get(*self->options).c_str());
        break;
      case engine::Setting::Kind::Choice:
        g_value_set_enum(value, setting->get_number(*self->options));
        break;
      case engine::Setting::Kind::Number:
        g_value_set_uint(value, static_cast<guint>(setting->get_number(*self->options)));
        break;
    }
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  GST_OBJECT_UNLOCK(self);
}

void finalize(GObject* object) {
  GstColorize* self = GST_COLORIZE(object);
  delete self->options;
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
  std::optional<engine::FrameTag> tag;
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
    const int held =
        self->options->temporal == engine::TemporalSmoothing::File ? self->options->lookahead : 0;
    GST_OBJECT_UNLOCK(self);
    if (held > 0 && GST_VIDEO_INFO_FPS_N(&info) > 0)
      ours += gst_util_uint64_scale(static_cast<guint64>(held) * GST_SECOND,
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

  // The engine's settings as properties, from their one declaration (engine/settings.hpp), with the
  // defaults for live streams: temporal smoothing live, which adds no latency.
  const auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING);
  g_object_class_install_property(
      gobject, PROP_ENABLED,
      g_param_spec_boolean("enabled", "Enabled",
                           "Colorize; when false, frames pass through (format converted)", TRUE, flags));
  const engine::ColorizerOptions defaults = engine::default_options(engine::Use::Live);
  for (guint i = 0; i < engine::settings().size(); ++i)
    g_object_class_install_property(gobject, PROP_FIRST_SETTING + i,
                                    param_spec(engine::settings()[i], defaults, flags));
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
  self->options = new engine::ColorizerOptions(engine::default_options(engine::Use::Live));
  self->enabled = TRUE;
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
