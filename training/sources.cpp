#include "training/sources.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace colorize::training {
namespace {

namespace fs = std::filesystem;

constexpr const char* kImageExtensions[] = {".jpg",  ".jpeg", ".png", ".webp", ".tif",
                                            ".tiff", ".bmp",  ".ppm", ".pgm"};
constexpr const char* kVideoExtensions[] = {".mp4", ".mkv",  ".avi", ".mov", ".webm",
                                            ".mpg", ".mpeg", ".m4v", ".ts",  ".wmv"};

std::string lower_extension(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

bool classify(const fs::path& p, SourceKind& kind) {
  const std::string e = lower_extension(p);
  for (const char* x : kImageExtensions)
    if (e == x) return kind = SourceKind::Image, true;
  for (const char* x : kVideoExtensions)
    if (e == x) return kind = SourceKind::Video, true;
  return false;
}

// FNV-1a: a stable hash, the same on every machine and run.
std::uint64_t stable_hash(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

DataRoot data_root(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "photos/faces/" names "faces"
  std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..")
    name = fs::absolute(p).lexically_normal().filename().string();
  return {path, name.empty() ? "data" : name};
}

std::vector<DataRoot> read_data_list(const std::string& list_path) {
  std::ifstream in(list_path);
  if (!in) throw std::runtime_error("cannot read the data list '" + list_path + "'");
  const fs::path base = fs::path(list_path).parent_path();
  std::vector<DataRoot> roots;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line);
    std::string category, path;
    if (!(words >> category) || category[0] == '#') continue;
    std::getline(words >> std::ws, path);
    while (!path.empty() && std::isspace(static_cast<unsigned char>(path.back()))) path.pop_back();
    if (path.empty())
      throw std::runtime_error(list_path + ":" + std::to_string(number) + ": expected \"CATEGORY PATH\"");
    roots.push_back({fs::path(path).is_absolute() ? path : (base / path).string(), category});
  }
  if (roots.empty()) throw std::runtime_error("the data list '" + list_path + "' names no data");
  return roots;
}

std::vector<DataRoot> data_roots(const std::vector<std::string>& data_lists,
                                 const std::vector<std::string>& paths) {
  std::vector<DataRoot> roots;
  for (const auto& list : data_lists)
    for (auto& root : read_data_list(list)) roots.push_back(std::move(root));
  for (const auto& p : paths) roots.push_back(data_root(p));
  return roots;
}

std::vector<Source> find_sources(const std::vector<DataRoot>& roots) {
  std::vector<Source> out;
  for (const auto& root : roots) {
    const fs::path p(root.path);
    if (!fs::exists(p)) throw std::runtime_error("training data '" + root.path + "' does not exist");
    SourceKind kind;
    if (fs::is_regular_file(p)) {
      if (!classify(p, kind))
        throw std::runtime_error("'" + root.path + "' is neither an image nor a video file");
      out.push_back({p.string(), kind, root.category});
      continue;
    }
    for (const auto& e : fs::recursive_directory_iterator(p, fs::directory_options::follow_directory_symlink))
      if (e.is_regular_file() && classify(e.path(), kind))
        out.push_back({e.path().string(), kind, root.category});
  }
  // Stable: of two roots holding one file, the first one's category stays.
  std::stable_sort(out.begin(), out.end(), [](const Source& a, const Source& b) { return a.path < b.path; });
  out.erase(
      std::unique(out.begin(), out.end(), [](const Source& a, const Source& b) { return a.path == b.path; }),
      out.end());
  return out;
}

std::vector<Source> find_sources(const std::vector<std::string>& paths) {
  return find_sources(data_roots({}, paths));
}

Split split_sources(const std::vector<Source>& sources, double validation_fraction) {
  Split split;
  // The file name, not the full path: moving the data folder keeps the split.
  const auto score = [](const Source& s) {
    return static_cast<double>(stable_hash(fs::path(s.path).filename().string()) % 1000000) / 1e6;
  };
  for (const auto& s : sources)
    (score(s) < validation_fraction ? split.validation : split.train).push_back(s);
  if (split.validation.empty() && validation_fraction > 0 && split.train.size() >= 2) {
    const auto lowest =
        std::min_element(split.train.begin(), split.train.end(),
                         [&](const Source& a, const Source& b) { return score(a) < score(b); });
    split.validation.push_back(*lowest);
    split.train.erase(lowest);
  }
  return split;
}

}  // namespace colorize::training
