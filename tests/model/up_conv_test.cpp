#include "model/up_conv.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <tuple>

namespace colorize::model {
namespace {

// torch's transposed convolution, the reference of both paths.
torch::Tensor reference(const UpConv& up, const torch::Tensor& x) {
  return torch::conv_transpose2d(x, up->weight, up->bias, 2, 1);
}

double max_relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max()).item<double>();
}

TEST(UpConv, ParametersAreNamedAndShapedAsTorchConvTranspose2d) {
  UpConv up(6, 3, true);
  torch::nn::ConvTranspose2d torch_up(torch::nn::ConvTranspose2dOptions(6, 3, 4).stride(2).padding(1));
  const auto ours = up->named_parameters(), theirs = torch_up->named_parameters();
  ASSERT_EQ(ours.size(), theirs.size());
  for (const auto& p : theirs) {
    ASSERT_TRUE(ours.contains(p.key())) << p.key();
    EXPECT_EQ(ours[p.key()].sizes(), p.value().sizes()) << p.key();
  }
  EXPECT_FALSE(UpConv(6, 3, false)->named_parameters().contains("bias"));
}

// Inference on the CPU from 16x16 pixels and 8 output channels on takes the 2x2-convolution path;
// smaller layers, and any layer with gradients, take torch's. Both must equal torch's transposed
// convolution. Parameters: batch, input channels, output channels, height, width, bias.
class UpConvSizes : public ::testing::TestWithParam<std::tuple<int, int, int, int, int, bool>> {};

TEST_P(UpConvSizes, EqualsTorchTransposedConvolution) {
  const auto [batch, channels, out_channels, height, width, with_bias] = GetParam();
  torch::manual_seed(7);
  UpConv up(channels, out_channels, with_bias);
  const torch::Tensor x = torch::randn({batch, channels, height, width});
  EXPECT_FALSE(up->runs_by_phases(x));  // gradients on: torch's path
  torch::NoGradGuard no_grad;
  EXPECT_EQ(up->runs_by_phases(x), height * width >= 256 && out_channels >= 8);
  const torch::Tensor expected = reference(up, x);
  const torch::Tensor got = up->forward(x);
  ASSERT_EQ(got.sizes(), expected.sizes());
  EXPECT_LT(max_relative_difference(got, expected), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Shapes, UpConvSizes,
                         ::testing::Values(std::make_tuple(1, 3, 8, 1, 1, true),     // torch's path
                                           std::make_tuple(2, 8, 8, 4, 7, false),    // torch's path
                                           std::make_tuple(1, 16, 2, 40, 64, true),  // torch's path
                                           std::make_tuple(1, 4, 8, 16, 16, true),   // phases from here
                                           std::make_tuple(3, 6, 9, 17, 31, false),  // odd sizes, a batch
                                           std::make_tuple(1, 16, 12, 40, 64, true)));

TEST(UpConv, PhaseKernelsPutEachOutputParityInItsOwnChannels) {
  // One input pixel in the middle, one weight tap set: the transposed convolution writes that tap's
  // value at output (2m - 1 + ky, 2k - 1 + kx); the phase kernel of that output's parity must hold it.
  const torch::Tensor w = torch::arange(16, torch::kFloat32).reshape({1, 1, 4, 4});
  const torch::Tensor k = up_conv_phase_kernels(w);
  ASSERT_EQ(k.sizes(), (std::vector<int64_t>{4, 1, 2, 2}));
  // Phase (0, 0) reads kernel rows 3, 1 and columns 3, 1 (window rows m - 1, m).
  EXPECT_EQ(k[0][0][0][0].item<float>(), 15.0f);  // w[3][3]
  EXPECT_EQ(k[0][0][1][1].item<float>(), 5.0f);   // w[1][1]
  // Phase (1, 0): kernel rows 2, 0, columns 3, 1.
  EXPECT_EQ(k[2][0][0][0].item<float>(), 11.0f);  // w[2][3]
  EXPECT_EQ(k[2][0][1][1].item<float>(), 1.0f);   // w[0][1]
  // Phase (1, 1): kernel rows 2, 0, columns 2, 0.
  EXPECT_EQ(k[3][0][0][1].item<float>(), 8.0f);  // w[2][0]
  EXPECT_EQ(k[3][0][1][1].item<float>(), 0.0f);  // w[0][0]
}

TEST(UpConv, NewWeightsAreUsedAtOnce) {
  torch::manual_seed(11);
  UpConv up(4, 8, true);
  const torch::Tensor x = torch::randn({1, 4, 16, 20});
  torch::NoGradGuard no_grad;
  const torch::Tensor before = up->forward(x);
  up->weight.mul_(-2.0);  // in place: the same storage, a new version
  up->bias.add_(1.0);
  const torch::Tensor after = up->forward(x);
  EXPECT_LT(max_relative_difference(after, reference(up, x)), 1e-5);
  EXPECT_GT((after - before).abs().max().item<float>(), 0.1f);
}

TEST(UpConv, GradientsFlowAsThroughTorchsLayer) {
  torch::manual_seed(5);
  UpConv up(3, 2, true);
  const torch::Tensor x = torch::randn({2, 3, 16, 16}, torch::requires_grad());
  up->forward(x).square().sum().backward();
  const torch::Tensor gw = up->weight.grad().clone(), gx = x.grad().clone();
  up->weight.mutable_grad().zero_();
  x.mutable_grad().zero_();
  reference(up, x).square().sum().backward();
  EXPECT_LT(max_relative_difference(gw, up->weight.grad()), 1e-5);
  EXPECT_LT(max_relative_difference(gx, x.grad()), 1e-5);
}

TEST(UpConv, Bfloat16InferenceStaysCloseToFloat32) {
  torch::manual_seed(13);
  UpConv up(8, 8, true);
  const torch::Tensor x = torch::randn({1, 8, 16, 24});
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = reference(up, x);
  up->to(torch::kBFloat16);
  const torch::Tensor got = up->forward(x.to(torch::kBFloat16)).to(torch::kFloat32);
  EXPECT_LT(max_relative_difference(got, expected), 2e-2);
}

// The resize layer is nearest x2 then a 3x3 convolution, by definition; it runs as a transposed
// convolution with a derived weight, which must equal the definition on every path, borders included.
TEST(ResizeConv, EqualsUpsamplingThenConvolvingOnEveryPath) {
  torch::manual_seed(4);
  ResizeConv r(6, 16, true);
  for (const auto& shape : {std::vector<int64_t>{2, 6, 20, 17}, std::vector<int64_t>{1, 6, 1, 1},
                            std::vector<int64_t>{1, 6, 3, 40}}) {
    const torch::Tensor x = torch::randn(shape);
    const torch::Tensor expected = r->forward_explicitly(x).detach();
    EXPECT_LT(max_relative_difference(r->forward(x).detach(), expected), 1e-5);  // autograd path
    torch::NoGradGuard no_grad;
    EXPECT_LT(max_relative_difference(r->forward(x), expected), 1e-5);  // the phases, from 16x16 on
  }
  // New weights (a training step) are used at once by the inference path.
  {
    torch::NoGradGuard no_grad;
    r->conv->weight.mul_(-2);
  }
  const torch::Tensor x = torch::randn({1, 6, 20, 20});
  const torch::Tensor expected = r->forward_explicitly(x).detach();
  torch::NoGradGuard no_grad;
  EXPECT_LT(max_relative_difference(r->forward(x), expected), 1e-5);
}

// The derived weight ties the four phases: on a constant input, away from the borders, every output
// pixel is the same (no lattice), where a transposed convolution's four phases differ.
TEST(ResizeConv, ConstantInputGivesConstantOutputAwayFromTheBorders) {
  torch::manual_seed(5);
  ResizeConv r(3, 4, false);
  UpConv t(3, 4, false);
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::ones({1, 3, 12, 12});
  const torch::Tensor inside = r->forward(x).slice(2, 2, 22).slice(3, 2, 22);
  EXPECT_LT((inside - inside.mean({2, 3}, true)).abs().max().item<double>(), 1e-5);
  const torch::Tensor lattice = t->forward(x).slice(2, 2, 22).slice(3, 2, 22);
  EXPECT_GT((lattice - lattice.mean({2, 3}, true)).abs().max().item<double>(), 1e-3);
  EXPECT_EQ(r->named_parameters().size(), 1u);  // conv.weight only: the derived layer is not a parameter
  EXPECT_TRUE(r->named_parameters().contains("conv.weight"));
}

}  // namespace
}  // namespace colorize::model
