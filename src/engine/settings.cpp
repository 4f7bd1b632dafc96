#include "engine/settings.hpp"

#include <stdexcept>

#include "util/whole_number.hpp"

namespace colorize::engine {
namespace {

template <class Enum>
SettingChoice choice(const char* name, const char* help, Enum value, const char* missing = nullptr) {
  return {name, help, static_cast<int>(value), missing};
}

Setting declare(const char* name, const char* help, Setting::Kind kind) {
  Setting s;
  s.name = name;
  s.help = help;
  s.kind = kind;
  return s;
}

std::vector<Setting> build_table() {
  std::vector<Setting> t;
  Setting model =
      declare("model", "the generator: a bundled model's name or a .safetensors file", Setting::Kind::Text);
  model.read_text = [](const ColorizerOptions& o) { return o.model_path; };
  model.write_text = [](ColorizerOptions& o, const std::string& v) { o.model_path = v; };
  t.push_back(model);

  Setting device = declare("device", "where the network runs", Setting::Kind::Choice);
  device.choices = {choice("auto", "CUDA when LibTorch sees a GPU, else the CPU", Device::Auto),
                    choice("cpu", "the CPU", Device::Cpu), choice("cuda", "CUDA", Device::Cuda)};
  device.read_number = [](const ColorizerOptions& o) { return static_cast<int>(o.device); };
  device.write_number = [](ColorizerOptions& o, int v) { o.device = static_cast<Device>(v); };
  t.push_back(device);

  Setting precision = declare("precision", "the network's precision", Setting::Kind::Choice);
  precision.choices = {choice("fp32", "32-bit float", Precision::Float32),
                       choice("bf16", "bfloat16", Precision::BFloat16),
                       choice("fp16", "16-bit float (CUDA only)", Precision::Float16)};
  precision.read_number = [](const ColorizerOptions& o) { return static_cast<int>(o.precision); };
  precision.write_number = [](ColorizerOptions& o, int v) { o.precision = static_cast<Precision>(v); };
  t.push_back(precision);

  Setting render = declare(
      "render-size", "short side, in pixels, at which the network runs (its long side at most 4 times this)",
      Setting::Kind::Number);
  render.minimum = 16;
  render.maximum = 4096;
  render.read_number = [](const ColorizerOptions& o) { return o.render_size; };
  render.write_number = [](ColorizerOptions& o, int v) { o.render_size = v; };
  t.push_back(render);

  Setting threads = declare("threads", "CPU threads for the network and the colour passes (0: every core)",
                            Setting::Kind::Number);
  threads.maximum = 1024;
  threads.read_number = [](const ColorizerOptions& o) { return o.threads; };
  threads.write_number = [](ColorizerOptions& o, int v) { o.threads = v; };
  t.push_back(threads);

  Setting temporal =
      declare("temporal-smoothing",
              "carry colour between frames along the motion, against flicker; never across a scene cut",
              Setting::Kind::Choice);
  const char* no_opencv =
      temporal_smoothing_available()
          ? nullptr
          : "it needs OpenCV's video module, and this build has none (libopencv-video-dev)";
  temporal.choices = {
      choice("off", "every frame on its own", TemporalSmoothing::Off),
      choice("live", "from the frames before: no added latency", TemporalSmoothing::Live, no_opencv),
      choice("file", "from the frames before and the next `lookahead`: frames leave that many frames late",
             TemporalSmoothing::File, no_opencv)};
  temporal.rebuilds_engine = false;
  temporal.read_number = [](const ColorizerOptions& o) { return static_cast<int>(o.temporal); };
  temporal.write_number = [](ColorizerOptions& o, int v) { o.temporal = static_cast<TemporalSmoothing>(v); };
  t.push_back(temporal);

  Setting lookahead =
      declare("lookahead", "file-mode smoothing: how many later frames a frame's colour is also carried from",
              Setting::Kind::Number);
  lookahead.minimum = 1;
  lookahead.maximum = 64;
  lookahead.read_number = [](const ColorizerOptions& o) { return o.lookahead; };
  lookahead.write_number = [](ColorizerOptions& o, int v) { o.lookahead = v; };
  t.push_back(lookahead);
  return t;
}

}  // namespace

ColorizerOptions default_options(Use use) {
  ColorizerOptions o;
  if (temporal_smoothing_available())
    o.temporal = use == Use::Files ? TemporalSmoothing::File : TemporalSmoothing::Live;
  return o;
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> table = build_table();
  return table;
}

const Setting& setting(const std::string& name) {
  for (const auto& s : settings())
    if (name == s.name) return s;
  throw std::out_of_range("no engine setting is called '" + name + "'");
}

std::string Setting::get(const ColorizerOptions& options) const {
  if (kind == Kind::Text) return read_text(options);
  const int v = read_number(options);
  if (kind == Kind::Choice)
    for (const auto& c : choices)
      if (c.value == v) return c.name;
  return std::to_string(v);
}

int Setting::get_number(const ColorizerOptions& options) const {
  if (kind == Kind::Text) throw std::logic_error(std::string(name) + " is not a number");
  return read_number(options);
}

void Setting::set_number(ColorizerOptions& options, int value) const {
  const std::string bad = std::string(name) + ": ";
  if (kind == Kind::Text) throw std::logic_error(bad + "is not a number");
  if (kind == Kind::Number && (value < minimum || value > maximum))
    throw std::invalid_argument(bad + std::to_string(value) + " is outside " + allowed());
  if (kind == Kind::Choice) {
    const SettingChoice* found = nullptr;
    for (const auto& c : choices)
      if (c.value == value) found = &c;
    if (found == nullptr)
      throw std::invalid_argument(bad + std::to_string(value) + " is not one of " + allowed());
    if (found->missing != nullptr) throw std::invalid_argument(bad + found->name + ": " + found->missing);
  }
  write_number(options, value);
}

void Setting::set(ColorizerOptions& options, const std::string& text) const {
  if (kind == Kind::Text) return write_text(options, text);
  if (kind == Kind::Choice) {
    for (const auto& c : choices)
      if (text == c.name) return set_number(options, c.value);
    throw std::invalid_argument(std::string(name) + ": '" + text + "' is not " + allowed());
  }
  const auto value = util::whole_number(text);
  if (!value)
    throw std::invalid_argument(std::string(name) + ": '" + text + "' is not a whole number in " + allowed());
  set_number(options, *value);
}

std::string Setting::allowed() const {
  if (kind == Kind::Text) return "NAME|FILE";
  if (kind == Kind::Number) return std::to_string(minimum) + "-" + std::to_string(maximum);
  std::string names;
  for (const auto& c : choices) names += (names.empty() ? "" : "|") + std::string(c.name);
  return names;
}

std::string Setting::describe(Use use) const {
  std::string text = help;
  if (kind == Kind::Choice) {
    text += ": ";
    for (std::size_t i = 0; i < choices.size(); ++i)
      text += (i > 0 ? "; " : "") + std::string(choices[i].name) + ", " + choices[i].help;
  }
  return text + " (default: " + get(default_options(use)) + ")";
}

}  // namespace colorize::engine
