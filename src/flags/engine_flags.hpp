// The engine's settings as command-line options (--NAME VALUE), built from their one declaration
// (engine/settings.hpp) for every tool that parses with Boost.Program_options: colorize, colorize-eval,
// colorize-train. The element builds its properties from the same table.
#pragma once

#include <boost/program_options.hpp>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "engine/settings.hpp"

namespace colorize::flags {

class EngineFlags {
 public:
  // The settings of those names (all of them when none are named), with the defaults for `use`.
  explicit EngineFlags(engine::Use use, std::initializer_list<const char*> names = {});
  // Adds --NAME for each, its help saying what it takes and its default.
  void add_to(boost::program_options::options_description& options);
  // Sets what the command line gave in `options`. Throws boost::program_options::error naming the option
  // for a value outside its choices or range.
  void apply(const boost::program_options::variables_map& given, engine::ColorizerOptions& options) const;

 private:
  engine::Use use_;
  std::vector<const engine::Setting*> settings_;
  std::map<std::string, std::string> values_;  // by name, as given
};

}  // namespace colorize::flags
