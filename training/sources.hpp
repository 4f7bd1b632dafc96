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
  std::string category;  // the data root it was found under: reports give figures per category
};

// A folder or file of training data and the category its sources report under.
struct DataRoot {
  std::string path;
  std::string category;
};

// A --data PATH: its own category, named by its last path component ("faces" for photos/faces/).
DataRoot data_root(const std::string& path);

// A data list: one "CATEGORY PATH" per line (PATH relative to the list's folder unless absolute; blank
// lines and lines starting with # are skipped), as scripts/fetch-training-data.sh writes it. Throws
// std::runtime_error when the list cannot be read or a line has no path.
std::vector<DataRoot> read_data_list(const std::string& list_path);

// The tools' --data-list files' lines, then their --data paths: the roots of one set, in that order.
std::vector<DataRoot> data_roots(const std::vector<std::string>& data_lists,
                                 const std::vector<std::string>& paths);

// Files named directly, and every image or video under the folders given (recursively), sorted by path;
// a file under two roots counts once, in the first root's category. Throws std::runtime_error for a
// path that does not exist. Unknown extensions are skipped.
std::vector<Source> find_sources(const std::vector<DataRoot>& roots);
std::vector<Source> find_sources(const std::vector<std::string>& paths);  // each path its own category

struct Split {
  std::vector<Source> train, validation;
};

// Puts about `validation_fraction` of the sources in validation, chosen by a hash of each path (stable
// when files are added), at least one when there are two or more sources and the fraction is positive.
Split split_sources(const std::vector<Source>& sources, double validation_fraction);

}  // namespace colorize::training
