#include "training/frame_pack.hpp"

#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace colorize::training {
namespace {

constexpr char kMagic[] = "CLZFRAMES1\n";

template <class T>
bool read_le(std::istream& in, T& value) {
  unsigned char bytes[sizeof(T)];
  if (!in.read(reinterpret_cast<char*>(bytes), sizeof bytes)) return false;
  value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    value = static_cast<T>(value | (static_cast<T>(bytes[i]) << (8 * i)));
  return true;
}

}  // namespace

FramePack read_frame_pack(const std::string& path, double min_chroma) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open the frame pack '" + path + "'");
  char magic[sizeof kMagic - 1];
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0)
    throw std::runtime_error("'" + path + "' is not a frame pack (bench/gpu/unpack_frames.py writes them)");
  FramePack pack;
  for (;;) {
    std::uint8_t side = 0;
    if (!read_le(in, side)) break;  // the end
    std::uint16_t length = 0;
    std::uint32_t height = 0, width = 0;
    std::string category;
    bool ok = read_le(in, length);
    if (ok) {
      category.resize(length);
      ok = static_cast<bool>(in.read(category.data(), length)) && read_le(in, height) && read_le(in, width);
    }
    if (!ok || side > 1 || height == 0 || width == 0 || height > 65536 || width > 65536)
      throw std::runtime_error("frame pack '" + path + "' is truncated or corrupt at frame " +
                               std::to_string(pack.train.frames.size() + pack.validation.frames.size()));
    torch::Tensor frame = torch::empty({height, width, 3}, torch::kUInt8);
    if (!in.read(reinterpret_cast<char*>(frame.data_ptr<std::uint8_t>()),
                 static_cast<std::streamsize>(frame.numel())))
      throw std::runtime_error("frame pack '" + path + "' is truncated in a frame of " + category);
    if (mean_chroma(frame) < min_chroma) {
      ++pack.gray_skipped;
      continue;
    }
    FrameSet& set = side == 0 ? pack.train : pack.validation;
    set.frames.push_back(std::move(frame));
    set.origins.push_back(std::move(category));
  }
  return pack;
}

}  // namespace colorize::training
