#include "model/model_file.hpp"
#include "util/atomic_file.hpp"

#include <torch/torch.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <type_traits>
#include <vector>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors files are little-endian");

namespace colorize::model {
namespace {

using json = nlohmann::json;

constexpr const char* kFormat = "colorize-generator";
constexpr int kFormatVersion = 1;
constexpr std::uint64_t kMaxHeaderBytes = 100u << 20;

struct DType {
  const char* name;
  torch::ScalarType type;
};
constexpr DType kDTypes[] = {
    {"F32", torch::kFloat32}, {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16}, {"I64", torch::kInt64}};

std::string dtype_name(torch::ScalarType t) {
  for (const auto& d : kDTypes)
    if (d.type == t) return d.name;
  throw std::logic_error("no safetensors name for a tensor type");
}

// Every tensor the generator holds, parameters then buffers (BatchNorm statistics), by state_dict name.
std::vector<std::pair<std::string, torch::Tensor>> named_tensors(const torch::nn::Module& net) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& p : net.named_parameters(true)) out.emplace_back(p.key(), p.value());
  for (const auto& b : net.named_buffers(true)) out.emplace_back(b.key(), b.value());
  return out;
}

// A number stored as a string in __metadata__ (safetensors metadata values are strings). Without a
// fallback the key is required.
template <class T>
T metadata_number(const std::string& path, const json& meta, const char* key,
                  std::optional<T> fallback = {}) {
  if (!meta.contains(key)) {
    if (fallback) return *fallback;
    throw ModelFileError(path, std::string("__metadata__ lacks '") + key + "'");
  }
  const std::string v = meta[key].is_string() ? meta[key].get<std::string>() : meta[key].dump();
  try {
    std::size_t used = 0;
    T n{};
    if constexpr (std::is_integral_v<T>)
      n = std::stoi(v, &used);
    else
      n = std::stof(v, &used);
    if (used == v.size() && meta[key].is_string()) return n;
  } catch (const std::exception&) {
  }
  throw ModelFileError(path, std::string("__metadata__ '") + key + "' is not " +
                                 (std::is_integral_v<T> ? "an integer" : "a number") + ": '" + v + "'");
}

std::vector<char> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ModelFileError(path, "is a folder, not a model file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw ModelFileError(path, std::string("cannot open: ") + std::strerror(errno));
  const std::streamoff size = in.tellg();
  if (size < 0) throw ModelFileError(path, "cannot read its size");
  std::vector<char> bytes(static_cast<std::size_t>(size));
  in.seekg(0);
  if (!in.read(bytes.data(), size)) throw ModelFileError(path, "read failed");
  return bytes;
}

}  // namespace

int64_t non_finite_count(const torch::Tensor& t) {
  return t.is_floating_point() ? (~torch::isfinite(t)).sum().item<int64_t>() : 0;
}

ModelFileError::ModelFileError(const std::string& path, const std::string& problem)
    : std::runtime_error("model file '" + path + "': " + problem) {}

void save_generator(const std::string& path, UnetGenerator& net, const ModelInfo& info, StorageType storage) {
  const GeneratorConfig& c = net->config();
  json meta = json::object();
  for (const auto& [k, v] : info.provenance) meta[k] = v;
  meta["format"] = kFormat;
  meta["format_version"] = std::to_string(kFormatVersion);
  meta["architecture"] = "unet";
  meta["ngf"] = std::to_string(c.ngf);
  meta["levels"] = std::to_string(c.levels);
  meta["input_channels"] = std::to_string(c.input_channels);
  meta["output_channels"] = std::to_string(c.output_channels);
  meta["norm"] = "batch";
  meta["upsampling"] = upsampling_name(c.upsampling);
  meta["input_scale"] = std::to_string(info.input_scale);
  meta["input_offset"] = std::to_string(info.input_offset);
  meta["output_scale"] = std::to_string(info.output_scale);

  json header = json::object();
  header["__metadata__"] = meta;
  std::vector<torch::Tensor> blobs;
  std::uint64_t offset = 0;
  for (auto& [name, tensor] : named_tensors(*net)) {
    torch::Tensor t = tensor.detach().to(torch::kCPU);
    if (const int64_t bad = non_finite_count(t))
      throw ModelFileError(path, "not written: tensor '" + name + "' has " + std::to_string(bad) +
                                     " non-finite values (NaN or infinity; did training diverge?)");
    if (t.is_floating_point()) t = t.to(storage == StorageType::Float16 ? torch::kFloat16 : torch::kFloat32);
    t = t.contiguous();
    const std::uint64_t bytes = static_cast<std::uint64_t>(t.numel()) * t.element_size();
    header[name] = {{"dtype", dtype_name(t.scalar_type())},
                    {"shape", t.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    blobs.push_back(t);
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned

  std::string bytes;
  const std::uint64_t length = text.size();
  bytes.append(reinterpret_cast<const char*>(&length), sizeof length);
  bytes += text;
  for (const auto& t : blobs)
    bytes.append(static_cast<const char*>(t.data_ptr()),
                 static_cast<std::size_t>(t.numel() * t.element_size()));
  try {
    util::write_file_atomically(path, bytes);
  } catch (const std::runtime_error& e) {
    throw ModelFileError(path, std::string("not written: ") + e.what());
  }
}

LoadedGenerator load_generator(const std::string& path, torch::Device device) {
  return parse_generator(read_file(path), path, device);
}

namespace {
LoadedGenerator parse_valid_json(const std::vector<char>& bytes, const std::string& path,
                                 torch::Device device);
}

LoadedGenerator parse_generator(const std::vector<char>& bytes, const std::string& path,
                                torch::Device device) {
  try {
    return parse_valid_json(bytes, path, device);
  } catch (const json::exception& e) {
    // Valid JSON of the wrong shape: a dtype that is an array, an entry that is a number, ... (the
    // fuzzer's first find: it escaped as a json::type_error and ended the process).
    throw ModelFileError(path, std::string("malformed header: ") + e.what());
  }
}

namespace {

// The file's bytes once its header parses as JSON; json::exception from a header of the wrong shape.
LoadedGenerator parse_valid_json(const std::vector<char>& bytes, const std::string& path,
                                 torch::Device device) {
  if (bytes.size() < 8)
    throw ModelFileError(path, "too short to be a model file (" + std::to_string(bytes.size()) + " bytes)");
  std::uint64_t header_len = 0;
  std::memcpy(&header_len, bytes.data(), 8);
  if (header_len > kMaxHeaderBytes || header_len > bytes.size() - 8)
    throw ModelFileError(path, "not a safetensors file, or truncated: header length " +
                                   std::to_string(header_len) + " does not fit in " +
                                   std::to_string(bytes.size()) + " bytes");
  json header;
  try {
    header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(header_len));
  } catch (const json::exception&) {
    throw ModelFileError(path, "header is not valid JSON: not a safetensors file, or corrupt");
  }
  if (!header.is_object()) throw ModelFileError(path, "header is not a JSON object");
  const json meta = header.value("__metadata__", json::object());
  if (!meta.is_object() || meta.value("format", "") != kFormat)
    throw ModelFileError(
        path, "not a colorize generator (its __metadata__ has no format \"" + std::string(kFormat) +
                  "\"); a foreign safetensors file needs converting, see docs/model-files.md");
  if (metadata_number<int>(path, meta, "format_version") > kFormatVersion)
    throw ModelFileError(path, "written by a newer colorize (format_version " +
                                   meta["format_version"].get<std::string>() + ")");
  if (meta.value("architecture", "") != "unet")
    throw ModelFileError(path, "unknown architecture '" + meta.value("architecture", "") + "'");

  LoadedGenerator loaded;
  GeneratorConfig& c = loaded.info.generator;
  c.ngf = metadata_number<int>(path, meta, "ngf");
  c.levels = metadata_number<int>(path, meta, "levels");
  c.input_channels = metadata_number<int>(path, meta, "input_channels");
  c.output_channels = metadata_number<int>(path, meta, "output_channels");
  if (c.ngf < 1 || c.ngf > 1024 || c.levels < 5 || c.levels > 12 || c.input_channels != 1 ||
      c.output_channels != 2)
    throw ModelFileError(path, "unsupported generator: ngf " + std::to_string(c.ngf) + ", levels " +
                                   std::to_string(c.levels) + ", channels " +
                                   std::to_string(c.input_channels) + " -> " +
                                   std::to_string(c.output_channels));
  try {  // files from before the choice (and pix2pix's own) have transposed convolutions
    c.upsampling = upsampling_named(meta.value("upsampling", "transposed"));
  } catch (const std::invalid_argument& e) {
    throw ModelFileError(path, e.what());
  }
  loaded.info.input_scale = metadata_number<float>(path, meta, "input_scale", 50.0f);
  loaded.info.input_offset = metadata_number<float>(path, meta, "input_offset", -1.0f);
  loaded.info.output_scale = metadata_number<float>(path, meta, "output_scale", 110.0f);
  for (const auto& [k, v] : meta.items())
    if (v.is_string()) loaded.info.provenance[k] = v.get<std::string>();

  const char* data = bytes.data() + 8 + header_len;
  const std::uint64_t data_size = bytes.size() - 8 - header_len;
  // The innermost down convolution alone (8 ngf -> 8 ngf, 4x4) has 1024 ngf^2 weights, 2 bytes each at
  // the least: a file too small for that is refused before the network is built, so a 100-byte file
  // declaring ngf 1024 cannot make colorize allocate gigabytes.
  const auto innermost_bytes =
      2048ull * static_cast<std::uint64_t>(c.ngf) * static_cast<std::uint64_t>(c.ngf);
  if (data_size < innermost_bytes)
    throw ModelFileError(path, "truncated: " + std::to_string(data_size) +
                                   " bytes of data cannot hold an ngf " + std::to_string(c.ngf) +
                                   " generator (at least " + std::to_string(innermost_bytes) + ")");
  loaded.net = UnetGenerator(c);
  torch::NoGradGuard no_grad;
  for (auto& [name, target] : named_tensors(*loaded.net)) {
    if (!header.contains(name)) throw ModelFileError(path, "missing tensor '" + name + "'");
    const json& entry = header[name];
    const std::string dtype = entry.value("dtype", "");
    const DType* found = nullptr;
    for (const auto& d : kDTypes)
      if (dtype == d.name) found = &d;
    if (found == nullptr)
      throw ModelFileError(path, "tensor '" + name + "' has unsupported dtype '" + dtype + "'");
    std::vector<int64_t> shape;
    std::uint64_t begin = 0, end = 0;
    try {
      shape = entry.at("shape").get<std::vector<int64_t>>();
      begin = entry.at("data_offsets").at(0).get<std::uint64_t>();
      end = entry.at("data_offsets").at(1).get<std::uint64_t>();
    } catch (const json::exception&) {
      throw ModelFileError(path, "tensor '" + name + "' has a malformed shape or data_offsets");
    }
    if (shape != target.sizes().vec())
      throw ModelFileError(path, "tensor '" + name + "' has shape " + json(shape).dump() + ", the " +
                                     std::to_string(c.ngf) + "-filter, " + std::to_string(c.levels) +
                                     "-level generator needs " + json(target.sizes().vec()).dump());
    const auto element = static_cast<std::uint64_t>(torch::elementSize(found->type));
    if (end > data_size)
      throw ModelFileError(path, "truncated: tensor '" + name + "' ends at byte " + std::to_string(end) +
                                     " of the data, which has " + std::to_string(data_size));
    if (begin > end || end - begin != static_cast<std::uint64_t>(target.numel()) * element)
      throw ModelFileError(path, "tensor '" + name + "' has data_offsets that do not match its shape");
    // from_blob does not copy; the copy_ below converts to the target's type.
    torch::Tensor view = torch::from_blob(const_cast<char*>(data + begin), shape, torch::dtype(found->type));
    if (!view.is_floating_point() && target.is_floating_point())
      throw ModelFileError(path, "tensor '" + name + "' is not floating point");
    if (const int64_t bad = non_finite_count(view))
      throw ModelFileError(path, "tensor '" + name + "' has " + std::to_string(bad) +
                                     " non-finite values (NaN or infinity): the model is damaged, or its "
                                     "training diverged");
    target.copy_(view);
  }
  for (const auto& item : header.items())
    if (item.key() != "__metadata__" && !loaded.net->named_parameters(true).contains(item.key()) &&
        !loaded.net->named_buffers(true).contains(item.key()))
      throw ModelFileError(path, "unexpected tensor '" + item.key() + "' (not part of this generator)");
  loaded.net->to(device);
  loaded.net->eval();
  loaded.net->set_dropout(false);
  return loaded;
}

}  // namespace

}  // namespace colorize::model
