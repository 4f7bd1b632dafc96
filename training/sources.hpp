// Training sources: image files and video files found under the paths a user gives, and their split
// into training and validation by source file (never frames of one video on both sides).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace colorize::training {

enum class SourceKind { Image, Video };

struct Source {
  std::string path;
  SourceKind kind;
};

// Files named directly, and every image or video under the folders given (recursively), sorted.
// Throws std::runtime_error for a path that does not exist. Unknown extensions are skipped.
std::vector<Source> find_sources(const std::vector<std::string>& paths);

struct Split {
  std::vector<Source> train, validation;
};

// Puts about `validation_fraction` of the sources in validation, chosen by a hash of each path (stable
// when files are added), at least one when there are two or more sources and the fraction is positive.
Split split_sources(const std::vector<Source>& sources, double validation_fraction);

}  // namespace colorize::training
