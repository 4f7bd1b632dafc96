#include <gtest/gtest.h>
#include <torch/torch.h>

#include <utility>

#include "model/batch_norm.hpp"
#include "model/networks.hpp"
#include "model/up_conv.hpp"

namespace colorize::model {
namespace {

// Parameter count of pix2pix's UnetGenerator with BatchNorm, from the architecture alone: 4x4 convs
// without bias where BatchNorm follows, 2 parameters per BatchNorm channel, a biased last up conv.
std::int64_t pix2pix_unet_parameters(std::int64_t in, std::int64_t out, std::int64_t g, int levels) {
  const auto middle = [](std::int64_t o, std::int64_t i) {
    return o * i * 16 + 2 * i + 2 * i * o * 16 + 2 * o;
  };
  std::int64_t n = 8 * g * 8 * g * 16 * 2 + 2 * 8 * g;  // innermost: down, up, BatchNorm
  n += (levels - 5) * middle(8 * g, 8 * g) + middle(4 * g, 8 * g) + middle(2 * g, 4 * g) + middle(g, 2 * g);
  n += in * g * 16 + 2 * g * out * 16 + out;  // outermost
  return n;
}

TEST(Networks, FormulaReproducesPix2pixUnet256) {
  // pix2pix prints "[Network G] Total number of parameters : 54.414 M" for unet_256, 3 -> 3 channels.
  EXPECT_EQ(pix2pix_unet_parameters(3, 3, 64, 8), 54413955);
}

TEST(Networks, GeneratorParameterCountsMatchPix2pix) {
  for (int ngf : {16, 32, 64}) {
    UnetGenerator g(GeneratorConfig{ngf, 8, 1, 2});
    EXPECT_EQ(parameter_count(*g), pix2pix_unet_parameters(1, 2, ngf, 8)) << "ngf " << ngf;
  }
  UnetGenerator reference(GeneratorConfig{64, 8, 3, 3});
  EXPECT_EQ(parameter_count(*reference), 54413955);
  UnetGenerator seven(GeneratorConfig{8, 7, 1, 2});
  EXPECT_EQ(parameter_count(*seven), pix2pix_unet_parameters(1, 2, 8, 7));
}

TEST(Networks, FlopCountOfUnet256) {
  // unet_256, 1 -> 2 channels, 256x256: the multiply-adds of each 4x4 conv, counted by hand per level
  // (output positions x in x out x 16), times 2. Level sizes 128, 64, ..., 1.
  double macs = 0;
  const double g = 64;
  const double inner[8] = {g, 2 * g, 4 * g, 8 * g, 8 * g, 8 * g, 8 * g, 8 * g};
  const double outer[8] = {1, g, 2 * g, 4 * g, 8 * g, 8 * g, 8 * g, 8 * g};
  for (int l = 0; l < 8; ++l) {
    const double positions = std::pow(256.0 / std::pow(2.0, l + 1), 2);
    const double out = l == 0 ? 2 : outer[l];
    macs += positions * 16 * (outer[l] * inner[l] + (l == 7 ? 1 : 2) * inner[l] * out);
  }
  EXPECT_DOUBLE_EQ(generator_flops(GeneratorConfig{64, 8, 1, 2}, 256, 256), 2 * macs);
  // A 4:3 frame costs its area, not the 256x512 a power-of-two padding would.
  EXPECT_LT(generator_flops(GeneratorConfig{64, 8, 1, 2}, 256, 341), 1.4 * 2 * macs);
}

// The resize decoder: 3x3 kernels instead of 4x4 (9/16 of each up layer's weights), 9 taps per output
// pixel (9/4 of the transposed layer's multiply-adds by the count, though it runs as one).
TEST(Networks, ResizeDecoderCountsItsOwnParametersAndOperations) {
  const GeneratorConfig t{16, 8, 1, 2}, r{16, 8, 1, 2, Upsampling::Resize};
  UnetGenerator gt(t), gr(r);
  std::int64_t up_t = 0, up_r = 0;
  for (const auto& m : gt->modules())
    if (auto* up = m->as<UpConvImpl>()) up_t += up->weight.numel();
  for (const auto& m : gr->modules())
    if (auto* up = m->as<ResizeConvImpl>()) up_r += up->conv->weight.numel();
  EXPECT_EQ(up_r * 16, up_t * 9);
  EXPECT_EQ(parameter_count(*gt) - parameter_count(*gr), up_t - up_r);
  EXPECT_GT(generator_flops(r, 256, 256), generator_flops(t, 256, 256));
  gr->eval();
  torch::NoGradGuard no_grad;
  EXPECT_EQ(gr->forward(torch::zeros({1, 1, 40, 56})).sizes(), (std::vector<int64_t>{1, 2, 40, 56}));
}

TEST(Networks, DiscriminatorParameterCountMatchesPix2pix) {
  // NLayerDiscriminator(6, 64, 3) as pix2pix builds it for 3+3 channels: 2.769 M.
  PatchDiscriminator d6(DiscriminatorConfig{64, 3, 6});
  EXPECT_EQ(parameter_count(*d6), 6 * 64 * 16 + 64 + 64 * 128 * 16 + 256 + 128 * 256 * 16 + 512 +
                                      256 * 512 * 16 + 1024 + 512 * 16 + 1);
  EXPECT_EQ(parameter_count(*d6), 2768705);
}

TEST(Networks, DiscriminatorSeesSeventyPixelPatches) {
  PatchDiscriminator d(DiscriminatorConfig{8, 3, 3});
  d->eval();
  // 256 -> 128 -> 64 -> 32 -> 31 -> 30 patches per side, as pix2pix's 70x70 PatchGAN.
  EXPECT_EQ(d->forward(torch::zeros({1, 3, 256, 256})).sizes(), (std::vector<int64_t>{1, 1, 30, 30}));
}

TEST(Networks, GeneratorRunsAtAnySizeAndKeepsIt) {
  torch::manual_seed(1);
  UnetGenerator g(GeneratorConfig{4, 8, 1, 2});
  init_pix2pix_weights(*g);
  g->eval();
  torch::NoGradGuard no_grad;
  for (auto [h, w] : std::vector<std::pair<int, int>>{{256, 256}, {256, 341}, {1, 1}, {3, 5}, {255, 257}}) {
    const torch::Tensor y = g->forward(torch::rand({2, 1, h, w}) * 2 - 1);
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 2, h, w})) << h << "x" << w;
    EXPECT_LE(y.abs().max().item<float>(), 1.0f);  // tanh
  }
}

// bfloat16 on the CPU, at sizes that reach every padding case (odd, one pixel wide) with either
// decoder: LibTorch 1.13 has no bf16 reflection or replication padding there and its bf16 transposed
// convolution fails; the network works around both and stays within bf16's rounding of fp32.
TEST(Networks, Bfloat16OnTheCpuRunsAtAnySizeCloseToFloat32) {
  for (const Upsampling up : {Upsampling::Transposed, Upsampling::Resize}) {
    GeneratorConfig c;
    c.ngf = 4;
    c.levels = 8;
    c.upsampling = up;
    torch::manual_seed(1);
    UnetGenerator g(c);
    g->eval();
    torch::NoGradGuard no_grad;
    for (const auto& [w, h] :
         {std::pair{256, 256}, std::pair{341, 256}, std::pair{33, 17}, std::pair{1024, 1}}) {
      const torch::Tensor x = torch::rand({1, 1, h, w}) * 2 - 1;
      g->to(torch::kFloat32);
      const torch::Tensor expected = g->forward(x);
      g->to(torch::kBFloat16);
      const torch::Tensor got = g->forward(x.to(torch::kBFloat16)).to(torch::kFloat32);
      ASSERT_EQ(got.sizes(), expected.sizes());
      // tanh units: 0.01 is 1.1 in a*b*, below what an 8-bit output shows.
      EXPECT_LT((got - expected).abs().max().item<float>(), 0.01f) << w << "x" << h;
    }
  }
}

TEST(Networks, DropoutIsOffInEvalAndSwitchable) {
  torch::manual_seed(2);
  UnetGenerator g(GeneratorConfig{4, 8, 1, 2});
  init_pix2pix_weights(*g);
  g->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::rand({1, 1, 256, 256});
  EXPECT_TRUE(torch::equal(g->forward(x), g->forward(x)));
  g->set_dropout(true);
  EXPECT_FALSE(torch::equal(g->forward(x), g->forward(x)));
  int dropouts = 0;
  for (const auto& m : g->modules(false)) dropouts += m->as<torch::nn::Dropout>() != nullptr;
  EXPECT_EQ(dropouts, 3);  // the three innermost decoder blocks of unet_256
}

TEST(Networks, InitialisationFollowsPix2pix) {
  torch::manual_seed(3);
  UnetGenerator g(GeneratorConfig{64, 8, 1, 2});
  init_pix2pix_weights(*g);
  std::vector<torch::Tensor> conv, gamma;
  for (const auto& m : g->modules(false)) {
    if (auto* c = m->as<torch::nn::Conv2d>()) conv.push_back(c->weight.flatten());
    if (auto* c = m->as<UpConvImpl>()) conv.push_back(c->weight.flatten());
    if (auto* b = m->as<SyncableBatchNorm2d>()) {
      gamma.push_back(b->weight.flatten());
      EXPECT_EQ(b->bias.abs().max().item<float>(), 0.0f);
    }
  }
  const torch::Tensor w = torch::cat(conv), gm = torch::cat(gamma);
  EXPECT_NEAR(w.mean().item<double>(), 0.0, 1e-3);
  EXPECT_NEAR(w.std().item<double>(), 0.02, 1e-3);
  EXPECT_NEAR(gm.mean().item<double>(), 1.0, 2e-3);
  EXPECT_NEAR(gm.std().item<double>(), 0.02, 2e-3);
}

TEST(Networks, ParameterNamesFollowPix2pixStateDict) {
  UnetGenerator g(GeneratorConfig{4, 8, 1, 2});
  const auto params = g->named_parameters(true);
  // Outermost down conv, the next level's down conv and BatchNorm, as in networks.py's state_dict.
  EXPECT_TRUE(params.contains("model.model.0.weight"));
  EXPECT_TRUE(params.contains("model.model.1.model.1.weight"));
  EXPECT_TRUE(params.contains("model.model.1.model.2.weight"));
  EXPECT_TRUE(params.contains("model.model.3.bias"));  // outermost up conv, the only biased conv
}

}  // namespace
}  // namespace colorize::model
