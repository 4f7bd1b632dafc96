// libFuzzer target: the model-file loader (safetensors header, metadata, tensor table, data) on any
// bytes. A bad file must end in ModelFileError, never a crash, a hang or an allocation sized by it.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<char> bytes(data, data + size);
  try {
    colorize::model::parse_generator(bytes, "fuzz-input");
  } catch (const colorize::model::ModelFileError&) {
  }
  return 0;
}
