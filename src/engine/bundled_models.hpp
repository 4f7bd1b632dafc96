// Models by name: the models this project ships (models/*.safetensors, installed to
// PREFIX/share/colorize/models) are found by their name, "default" among them, so that every front end
// takes `--model NAME` or `model=NAME` and finds them the same way.
#pragma once

#include <string>
#include <vector>

namespace colorize::engine {

// The name of the model used when none is given.
inline constexpr const char* kDefaultModel = "default";

// Where bundled models are looked for, first to last: PREFIX/share/colorize/models beside the running
// program (an installed colorize, or gst-launch-1.0 in the prefix the plugin went to), the prefix this
// build installs to, and the models/ folder of the source tree it was built from.
std::vector<std::string> bundled_model_folders();

// A model file for `model`: a path (anything with a '/' or ending in .safetensors, or an existing file)
// as it is; otherwise the bundled model of that name (empty: the default). Throws
// model::ModelFileError naming the folders searched when no bundled model has that name.
std::string find_model(const std::string& model);

}  // namespace colorize::engine
