#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "training/metrics.hpp"

namespace colorize::training {
namespace {

TEST(Metrics, ColourfulnessOfRedBesideBlack) {
  // Two pixels, red (255, 0, 0) and black: rg = {255, 0}, yb = {127.5, 0}.
  torch::Tensor rgb = torch::zeros({3, 1, 2});
  rgb[0][0][0] = 1.0f;
  const double sigma = std::sqrt(255.0 * 255.0 / 4 + 127.5 * 127.5 / 4);  // population variances
  const double mu = std::sqrt(127.5 * 127.5 + 63.75 * 63.75);
  EXPECT_NEAR(colourfulness(rgb), sigma + 0.3 * mu, 1e-6);
  EXPECT_NEAR(colourfulness(torch::full({3, 4, 4}, 0.5f)), 0.0, 1e-9);  // gray has none
}

TEST(Metrics, PsnrOfAUniformError) {
  // A difference of 0.1 everywhere: MSE 0.01, PSNR 10 log10(1 / 0.01) = 20 dB.
  EXPECT_NEAR(psnr(torch::full({3, 8, 8}, 0.5f), torch::full({3, 8, 8}, 0.6f)), 20.0, 1e-4);
  EXPECT_TRUE(std::isinf(psnr(torch::ones({3, 2, 2}), torch::ones({3, 2, 2}))));
}

TEST(Metrics, AbL1IsTheMeanAbsoluteDifference) {
  torch::Tensor a = torch::zeros({2, 2, 2}), b = torch::zeros({2, 2, 2});
  b[0][0][0] = 8.0f;   // one of eight values differs by 8 ...
  b[1][1][1] = -4.0f;  // ... and one by 4: (8 + 4) / 8 = 1.5
  EXPECT_DOUBLE_EQ(ab_l1(a, b), 1.5);
}

TEST(Metrics, FlickerIsTheMeanFrameToFrameChange) {
  // ab of 0, then 1, then 3 everywhere: changes of 1 and 2, mean 1.5.
  torch::Tensor seq =
      torch::stack({torch::zeros({2, 3, 3}), torch::ones({2, 3, 3}), torch::full({2, 3, 3}, 3.0f)});
  EXPECT_DOUBLE_EQ(flicker(seq), 1.5);
  EXPECT_DOUBLE_EQ(flicker(seq.slice(0, 0, 1)), 0.0);
}

TEST(Metrics, LabToRgbOfNeutralGray) {
  // L = 50, ab = 0 is sRGB 0.4663 (118.9 / 255) in every channel.
  torch::Tensor lab = torch::zeros({3, 1, 1});
  lab[0][0][0] = 50.0f;
  const torch::Tensor rgb = lab_to_rgb(lab);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(rgb[c][0][0].item<float>(), 0.4663, 2e-4);
}

}  // namespace
}  // namespace colorize::training
