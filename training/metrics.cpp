#include "training/metrics.hpp"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <vector>

#include "color/lab.hpp"

namespace colorize::training {

double ab_l1(const torch::Tensor& predicted_ab, const torch::Tensor& true_ab) {
  return (predicted_ab - true_ab).abs().mean().item<double>();
}

double psnr(const torch::Tensor& rgb, const torch::Tensor& reference_rgb) {
  const double mse =
      (rgb.to(torch::kFloat64) - reference_rgb.to(torch::kFloat64)).pow(2).mean().item<double>();
  return mse == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(1.0 / mse);
}

double colourfulness(const torch::Tensor& rgb) {
  const torch::Tensor c = rgb.to(torch::kFloat64) * 255.0;
  const torch::Tensor rg = c[0] - c[1];
  const torch::Tensor yb = 0.5 * (c[0] + c[1]) - c[2];
  const double sigma = std::sqrt(rg.var(false).item<double>() + yb.var(false).item<double>());
  const double mu = std::hypot(rg.mean().item<double>(), yb.mean().item<double>());
  return sigma + 0.3 * mu;
}

double flicker(const torch::Tensor& ab_sequence) {
  if (ab_sequence.size(0) < 2) return 0.0;
  return (ab_sequence.slice(0, 1) - ab_sequence.slice(0, 0, -1)).abs().mean().item<double>();
}

torch::Tensor lab_to_rgb(const torch::Tensor& lab) {
  const torch::Tensor c = lab.to(torch::kFloat32).contiguous();
  torch::Tensor out = torch::empty_like(c);
  const std::size_t n = static_cast<std::size_t>(c.size(1) * c.size(2));
  const float* p = c.data_ptr<float>();
  float* q = out.data_ptr<float>();
  color::lab_to_srgb(p, p + n, p + 2 * n, q, q + n, q + 2 * n, n);
  return out;
}

torch::Tensor normalised_to_rgb(const torch::Tensor& L, const torch::Tensor& ab) {
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < L.size(0); ++i)
    out.push_back(lab_to_rgb(torch::cat({(L[i] + 1.0f) * 50.0f, ab[i] * 110.0f}, 0)));
  return torch::stack(out);
}

}  // namespace colorize::training
