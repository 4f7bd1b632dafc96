#include "engine/bundled_models.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "model/model_info.hpp"

namespace colorize::engine {
namespace fs = std::filesystem;

namespace {
constexpr const char* kSuffix = ".safetensors";

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}
}  // namespace

std::vector<std::string> bundled_model_folders() {
  std::vector<std::string> folders;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) folders.push_back((exe.parent_path().parent_path() / "share/colorize/models").string());
  for (const char* folder : {COLORIZE_INSTALLED_MODELS, COLORIZE_SOURCE_MODELS})
    if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.emplace_back(folder);
  return folders;
}

std::string find_model(const std::string& model) {
  std::error_code ec;
  if (model.find('/') != std::string::npos || ends_with(model, kSuffix) ||
      (!model.empty() && fs::is_regular_file(model, ec)))
    return model;
  const std::string name = model.empty() ? kDefaultModel : model;
  std::string searched;
  for (const auto& folder : bundled_model_folders()) {
    const fs::path candidate = fs::path(folder) / (name + kSuffix);
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    searched += (searched.empty() ? "" : ", ") + folder;
  }
  throw model::ModelFileError(name, "no bundled model has this name (looked for " + name + kSuffix + " in " +
                                        searched + "); give a model file's path instead");
}

}  // namespace colorize::engine
