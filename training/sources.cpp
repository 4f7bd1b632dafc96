#include "training/sources.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
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

std::vector<Source> find_sources(const std::vector<std::string>& paths) {
  std::vector<Source> out;
  for (const auto& given : paths) {
    const fs::path p(given);
    if (!fs::exists(p)) throw std::runtime_error("training data '" + given + "' does not exist");
    SourceKind kind;
    if (fs::is_regular_file(p)) {
      if (!classify(p, kind))
        throw std::runtime_error("'" + given + "' is neither an image nor a video file");
      out.push_back({p.string(), kind});
      continue;
    }
    for (const auto& e : fs::recursive_directory_iterator(p, fs::directory_options::follow_directory_symlink))
      if (e.is_regular_file() && classify(e.path(), kind)) out.push_back({e.path().string(), kind});
  }
  std::sort(out.begin(), out.end(), [](const Source& a, const Source& b) { return a.path < b.path; });
  out.erase(
      std::unique(out.begin(), out.end(), [](const Source& a, const Source& b) { return a.path == b.path; }),
      out.end());
  return out;
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
