// The engine's settings, declared once. Every front end builds its options from this table: the CLI's
// --NAME, the element's NAME property, colorize-eval's --NAME. Names, help, allowed values and defaults
// therefore agree everywhere (FFmpeg declares a filter's options as one AVOption table the same way;
// whisper.cpp keeps every default in one default_params()).
#pragma once

#include <string>
#include <vector>

#include "engine/colorizer.hpp"

namespace colorize::engine {

// What a front end serves. Files can spend latency on look-ahead smoothing; live streams cannot.
enum class Use { Files, Live };

// Every setting's default for that use. Temporal smoothing: file for files, live for live streams (off
// in a build without OpenCV's video module); the rest the same for both.
ColorizerOptions default_options(Use use);

// One value of a choice setting.
struct SettingChoice {
  const char* name;  // as written on command lines and in pipelines: "cuda"
  const char* help;  // a few words, for GStreamer's enum and for help texts
  int value;         // the engine's enum value
  // Why this build cannot take it (nullptr: it can). Front ends still list it, so property types and
  // help stay the same from build to build.
  const char* missing = nullptr;
};

struct Setting {
  enum class Kind { Text, Choice, Number };
  const char* name = "";  // "render-size"
  const char* help = "";  // what it does, without its default or allowed values (front ends add those)
  Kind kind = Kind::Number;
  std::vector<SettingChoice> choices;  // Choice
  int minimum = 0, maximum = 0;        // Number
  // false: a running engine takes a new value as it goes (temporal smoothing); true: it is rebuilt.
  bool rebuilds_engine = true;

  // The setting's value in `options` as text (a choice's name, a number, a model), and for a choice or
  // a number as the number a GStreamer property carries.
  std::string get(const ColorizerOptions& options) const;
  int get_number(const ColorizerOptions& options) const;
  // Sets it from text, or from a number. std::invalid_argument, with a message that names the setting
  // and what it takes, for a value outside its choices or range (or a choice this build lacks).
  void set(ColorizerOptions& options, const std::string& text) const;
  void set_number(ColorizerOptions& options, int value) const;
  // What it takes: "cpu|cuda|auto", "16-4096", "NAME|FILE".
  std::string allowed() const;
  // The help with each choice's and the default for that use, for command-line help.
  std::string describe(Use use) const;

  // How it reads and writes its field (set by the table).
  std::string (*read_text)(const ColorizerOptions&) = nullptr;
  void (*write_text)(ColorizerOptions&, const std::string&) = nullptr;
  int (*read_number)(const ColorizerOptions&) = nullptr;
  void (*write_number)(ColorizerOptions&, int) = nullptr;
};

// model, device, precision, render-size, threads, temporal-smoothing, lookahead.
const std::vector<Setting>& settings();
// The setting of that name (std::out_of_range for another).
const Setting& setting(const std::string& name);

}  // namespace colorize::engine
