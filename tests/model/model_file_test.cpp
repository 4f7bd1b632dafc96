#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "model/model_file.hpp"
#include "support/temp_dir.hpp"

namespace colorize::model {
namespace {

UnetGenerator small_generator(int ngf = 4) {
  torch::manual_seed(7);
  UnetGenerator g(GeneratorConfig{ngf, 8, 1, 2});
  init_pix2pix_weights(*g);
  // Non-trivial BatchNorm statistics, so the round trip covers the buffers too.
  g->train();
  torch::NoGradGuard no_grad;
  g->forward(torch::rand({2, 1, 256, 256}));
  g->eval();
  return g;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The message of the ModelFileError that loading `path` throws (fails the test if none is thrown).
std::string load_error(const std::string& path) {
  try {
    load_generator(path);
  } catch (const ModelFileError& e) {
    return e.what();
  }
  ADD_FAILURE() << "loading " << path << " succeeded";
  return {};
}

TEST(ModelFile, RoundTripIsBitExact) {
  test::TempDir dir;
  UnetGenerator g = small_generator();
  ModelInfo info;
  info.generator = g->config();
  info.provenance = {{"trained_on", "unit test"}, {"steps", "0"}};
  save_generator(dir.file("g.safetensors"), g, info);
  LoadedGenerator loaded = load_generator(dir.file("g.safetensors"));
  EXPECT_EQ(loaded.info.generator.ngf, 4);
  EXPECT_EQ(loaded.info.provenance.at("trained_on"), "unit test");
  const auto a = g->named_parameters(true), b = loaded.net->named_parameters(true);
  for (const auto& p : a) EXPECT_TRUE(torch::equal(p.value(), b[p.key()])) << p.key();
  const auto ba = g->named_buffers(true), bb = loaded.net->named_buffers(true);
  for (const auto& p : ba) EXPECT_TRUE(torch::equal(p.value(), bb[p.key()])) << p.key();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::rand({1, 1, 64, 80});
  EXPECT_TRUE(torch::equal(g->forward(x), loaded.net->forward(x)));
}

// The decoder's upsampling travels in the metadata; a file without it (pix2pix's, the earlier default
// models) has transposed convolutions.
TEST(ModelFile, UpsamplingIsRecordedAndDefaultsToTransposed) {
  test::TempDir dir;
  UnetGenerator g(GeneratorConfig{4, 6, 1, 2, Upsampling::Resize});
  g->eval();  // as loaded models are
  ModelInfo info;
  info.generator = g->config();
  save_generator(dir.file("r.safetensors"), g, info);
  LoadedGenerator loaded = load_generator(dir.file("r.safetensors"));
  EXPECT_EQ(loaded.info.generator.upsampling, Upsampling::Resize);
  EXPECT_EQ(loaded.info.provenance.at("upsampling"), "resize");
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::rand({1, 1, 64, 80});
  EXPECT_TRUE(torch::allclose(g->forward(x), loaded.net->forward(x), 1e-5, 1e-6));
  UnetGenerator t = small_generator();
  info.generator = t->config();
  save_generator(dir.file("t.safetensors"), t, info);
  EXPECT_EQ(load_generator(dir.file("t.safetensors")).info.generator.upsampling, Upsampling::Transposed);
  EXPECT_EQ(upsampling_named("transposed"), Upsampling::Transposed);
  EXPECT_THROW(upsampling_named("bicubic"), std::invalid_argument);
}

TEST(ModelFile, HalfPrecisionStorageHalvesTheFile) {
  test::TempDir dir;
  UnetGenerator g = small_generator(8);
  ModelInfo info;
  save_generator(dir.file("f32.safetensors"), g, info, StorageType::Float32);
  save_generator(dir.file("f16.safetensors"), g, info, StorageType::Float16);
  const auto f32 = read_bytes(dir.file("f32.safetensors")).size(),
             f16 = read_bytes(dir.file("f16.safetensors")).size();
  EXPECT_LT(f16, f32 * 6 / 10);
  LoadedGenerator loaded = load_generator(dir.file("f16.safetensors"));
  const auto a = g->named_parameters(true), b = loaded.net->named_parameters(true);
  for (const auto& p : a) EXPECT_TRUE(torch::allclose(p.value(), b[p.key()], 1e-3, 1e-4)) << p.key();
}

TEST(ModelFile, HeaderIsPlainSafetensors) {
  test::TempDir dir;
  UnetGenerator g = small_generator();
  save_generator(dir.file("g.safetensors"), g, ModelInfo{});
  const std::string bytes = read_bytes(dir.file("g.safetensors"));
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  const std::string header = bytes.substr(8, n);
  EXPECT_NE(header.find("\"__metadata__\""), std::string::npos);
  EXPECT_NE(header.find("\"format\":\"colorize-generator\""), std::string::npos);
  EXPECT_NE(header.find("\"model.model.0.weight\":{\"data_offsets\""), std::string::npos);
}

class BadModelFile : public ::testing::Test {
 protected:
  void SetUp() override {
    UnetGenerator g = small_generator();
    save_generator(good_, g, ModelInfo{});
    bytes_ = read_bytes(good_);
    std::memcpy(&header_len_, bytes_.data(), 8);
  }
  std::string header() const { return bytes_.substr(8, header_len_); }
  // Writes a file whose header is `h` (padded to its old length when shorter) and whose data is the good
  // one's.
  std::string with_header(std::string h) {
    if (h.size() < header_len_) h.append(header_len_ - h.size(), ' ');
    std::string out(8, '\0');
    const std::uint64_t n = h.size();
    std::memcpy(out.data(), &n, 8);
    out += h + bytes_.substr(8 + header_len_);
    write_bytes(bad_, out);
    return bad_;
  }
  static std::string replace(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  }
  test::TempDir dir_;
  std::string good_ = dir_.file("good.safetensors"), bad_ = dir_.file("bad.safetensors");
  std::string bytes_;
  std::uint64_t header_len_ = 0;
};

TEST_F(BadModelFile, MissingFile) {
  EXPECT_NE(load_error(dir_.file("nope.safetensors")).find("cannot open"), std::string::npos);
}

TEST_F(BadModelFile, EmptyFile) {
  write_bytes(bad_, "");
  EXPECT_NE(load_error(bad_).find("too short"), std::string::npos);
}

TEST_F(BadModelFile, TruncatedData) {
  write_bytes(bad_, bytes_.substr(0, bytes_.size() - 100));
  const std::string e = load_error(bad_);
  EXPECT_NE(e.find("truncated"), std::string::npos) << e;
  EXPECT_NE(e.find(bad_), std::string::npos) << "the message names the file: " << e;
}

TEST_F(BadModelFile, TruncatedHeader) {
  write_bytes(bad_, bytes_.substr(0, 100));
  EXPECT_NE(load_error(bad_).find("header length"), std::string::npos);
}

TEST_F(BadModelFile, NotSafetensorsAtAll) {
  write_bytes(bad_, "#!/bin/sh\necho this is a shell script, not a model\n");
  EXPECT_NE(load_error(bad_).find("header length"), std::string::npos);
}

TEST_F(BadModelFile, CorruptJson) {
  EXPECT_NE(load_error(with_header(replace(header(), "{\"__metadata__\"", "{\"__metadata__\"}}")))
                .find("not valid JSON"),
            std::string::npos);
}

TEST_F(BadModelFile, ForeignSafetensors) {
  EXPECT_NE(load_error(with_header(replace(header(), "colorize-generator", "some-other-model")))
                .find("not a colorize generator"),
            std::string::npos);
}

TEST_F(BadModelFile, MetadataDisagreesWithTensors) {
  const std::string e = load_error(with_header(replace(header(), "\"ngf\":\"4\"", "\"ngf\":\"8\"")));
  EXPECT_NE(e.find("has shape"), std::string::npos) << e;
}

TEST_F(BadModelFile, MissingTensor) {
  EXPECT_NE(load_error(with_header(replace(header(), "\"model.model.0.weight\"", "\"model.model.0.wieght\"")))
                .find("missing tensor 'model.model.0.weight'"),
            std::string::npos);
}

// One NaN in the weights makes every output pixel black: such a file is refused, not run.
TEST_F(BadModelFile, NonFiniteWeight) {
  std::string bytes = bytes_;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(bytes.data() + 8 + header_len_ + 4, &nan, sizeof nan);  // the second value of a tensor
  write_bytes(bad_, bytes);
  const std::string e = load_error(bad_);
  EXPECT_NE(e.find("has 1 non-finite values (NaN or infinity)"), std::string::npos) << e;
}

TEST_F(BadModelFile, Folder) {
  EXPECT_NE(load_error(dir_.file("")).find("is a folder, not a model file"), std::string::npos);
}

TEST(ModelFile, RefusesToWriteNonFiniteWeights) {
  test::TempDir dir;
  UnetGenerator g = small_generator();
  {
    torch::NoGradGuard no_grad;
    g->parameters()[3].view(-1)[0] = std::numeric_limits<float>::infinity();
  }
  const std::string path = dir.file("diverged.safetensors");
  try {
    save_generator(path, g, ModelInfo{});
    FAIL() << "a generator with an infinite weight was written";
  } catch (const ModelFileError& e) {
    EXPECT_NE(std::string(e.what()).find("non-finite"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

// Valid JSON of the wrong shape (the fuzzer's first find: a json::type_error ended the process).
TEST_F(BadModelFile, HeaderOfTheWrongShape) {
  for (const auto& [from, to] : {std::pair{"\"dtype\":\"F32\"", "\"dtype\":[1,2]"},
                                 std::pair{"\"format\":\"colorize-generator\"", "\"format\":7"}}) {
    const std::string e = load_error(with_header(replace(header(), from, to)));
    EXPECT_NE(e.find("malformed header"), std::string::npos) << e;
  }
}

// A small file declaring a huge network is refused before the network is built (ngf 1024 would be
// gigabytes of weights).
TEST_F(BadModelFile, DeclaresMoreNetworkThanItHoldsData) {
  const std::string e = load_error(with_header(replace(header(), "\"ngf\":\"4\"", "\"ngf\":\"1024\"")));
  EXPECT_NE(e.find("cannot hold an ngf 1024 generator"), std::string::npos) << e;
}

TEST_F(BadModelFile, BadMetadataNumber) {
  EXPECT_NE(load_error(with_header(replace(header(), "\"levels\":\"8\"", "\"levels\":\"8x\"")))
                .find("not an integer"),
            std::string::npos);
}

}  // namespace
}  // namespace colorize::model
