// Quality measures for colorization, on torch tensors.
#pragma once

#include <torch/types.h>

namespace colorize::training {

// Mean absolute difference of a*b* (in Lab units) between prediction and truth (2 x H x W or N x 2 x H x W).
double ab_l1(const torch::Tensor& predicted_ab, const torch::Tensor& true_ab);

// PSNR in dB of RGB images with values in [0, 1]; infinity when identical.
double psnr(const torch::Tensor& rgb, const torch::Tensor& reference_rgb);

// Colourfulness of Hasler and Suesstrunk (2003) of an RGB image (3 x H x W, values in [0, 1], measured on
// the 0-255 scale as in the paper): sigma_rgyb + 0.3 mu_rgyb with rg = R - G and yb = (R + G) / 2 - B.
double colourfulness(const torch::Tensor& rgb);

// Mean absolute frame-to-frame change of a*b* over a sequence (T x 2 x H x W); 0 for fewer than 2 frames.
double flicker(const torch::Tensor& ab_sequence);

// Lab (L in 0..100, ab in Lab units; 3 x H x W) to sRGB in [0, 1], clipped.
torch::Tensor lab_to_rgb(const torch::Tensor& lab);

// L and ab of N frames, normalised as the generator sees them (L / 50 - 1, ab / 110), to sRGB in [0, 1]:
// N x 3 x H x W.
torch::Tensor normalised_to_rgb(const torch::Tensor& L, const torch::Tensor& ab);

}  // namespace colorize::training
