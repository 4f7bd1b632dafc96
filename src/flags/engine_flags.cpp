#include "flags/engine_flags.hpp"

#include <stdexcept>

namespace colorize::flags {
namespace po = boost::program_options;

EngineFlags::EngineFlags(engine::Use use, std::initializer_list<const char*> names) : use_(use) {
  if (names.size() == 0)
    for (const auto& s : engine::settings()) settings_.push_back(&s);
  for (const char* name : names) settings_.push_back(&engine::setting(name));
}

void EngineFlags::add_to(po::options_description& options) {
  for (const engine::Setting* s : settings_)
    options.add_options()(s->name, po::value<std::string>(&values_[s->name])->value_name(s->allowed()),
                          s->describe(use_).c_str());
}

void EngineFlags::apply(const po::variables_map& given, engine::ColorizerOptions& options) const {
  for (const engine::Setting* s : settings_) {
    if (!given.count(s->name)) continue;
    try {
      s->set(options, values_.at(s->name));
    } catch (const std::invalid_argument& e) {
      throw po::error(std::string("--") + e.what());
    }
  }
}

}  // namespace colorize::flags
