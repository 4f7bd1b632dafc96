// Files that are either whole or absent: written under NAME.tmp, flushed to the disk, renamed over
// NAME. A full disk, a read-only folder or a crash leaves the previous NAME as it was and no .tmp.
#pragma once

#include <string>
#include <string_view>

namespace colorize::util {

// Throws std::runtime_error("cannot write 'PATH': <why>") on any failure, having removed the .tmp.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace colorize::util
