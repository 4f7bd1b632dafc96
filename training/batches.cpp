#include "training/batches.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "color/frame_lab.hpp"
#include "color/lab.hpp"

namespace colorize::training {
namespace {

color::FrameView rgb_view(const torch::Tensor& rgb) {
  return color::packed_frame(color::PixelFormat::Rgb24,
                             static_cast<const std::uint8_t*>(rgb.data_ptr<std::uint8_t>()),
                             static_cast<int>(rgb.size(1)), static_cast<int>(rgb.size(0)));
}

// Resizes a 1 x C x H x W float tensor: area filter when shrinking both sides, bilinear otherwise, the
// same choice the engine makes at inference.
torch::Tensor resize(const torch::Tensor& x, int64_t h, int64_t w) {
  if (x.size(2) == h && x.size(3) == w) return x;
  if (h <= x.size(2) && w <= x.size(3)) return torch::adaptive_avg_pool2d(x, {h, w});
  return torch::upsample_bilinear2d(x, {h, w}, false);
}

torch::Tensor as_float_chw(const torch::Tensor& hwc_uint8) {
  return hwc_uint8.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div_(255.0f);
}

}  // namespace

void rgb_to_normalised_lab(const torch::Tensor& rgb, torch::Tensor& L, torch::Tensor& ab) {
  const torch::Tensor c = rgb.contiguous();
  const int64_t n = c.size(1) * c.size(2);
  L = torch::empty({1, c.size(1), c.size(2)});
  ab = torch::empty({2, c.size(1), c.size(2)});
  const float* p = c.data_ptr<float>();
  color::srgb_to_lab(p, p + n, p + 2 * n, L.data_ptr<float>(), ab.data_ptr<float>(), ab.data_ptr<float>() + n,
                     static_cast<std::size_t>(n));
  L.div_(50.0f).sub_(1.0f);
  ab.div_(110.0f);
}

double mean_chroma(const torch::Tensor& rgb) {
  const int h = static_cast<int>(rgb.size(0)), w = static_cast<int>(rgb.size(1));
  std::vector<float> L(static_cast<std::size_t>(w) * h), a(L.size()), b(L.size());
  color::frame_to_lab(rgb_view(rgb.contiguous()), {L.data(), w, h, w}, {a.data(), w, h, w},
                      {b.data(), w, h, w});
  double sum = 0;
  for (std::size_t i = 0; i < L.size(); ++i) sum += std::sqrt(static_cast<double>(a[i] * a[i] + b[i] * b[i]));
  return sum / static_cast<double>(L.size());
}

Batch training_batch(const FrameSet& set, int batch_size, int size, std::uint64_t seed, std::int64_t step) {
  if (set.frames.empty()) throw std::runtime_error("no training frames");
  std::vector<torch::Tensor> Ls, abs;
  // One generator per batch, seeded by (seed, step): batches do not depend on threads or on resuming.
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(step >> 32)};
  std::mt19937_64 rng(seq);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < batch_size; ++i) {
    const torch::Tensor& frame = set.frames[rng() % set.frames.size()];
    const double fh = static_cast<double>(frame.size(0)), fw = static_cast<double>(frame.size(1));
    const double area = fh * fw * (0.25 + 0.75 * unit(rng));
    const double aspect = std::exp(std::log(3.0 / 4.0) + unit(rng) * std::log(16.0 / 9.0));
    const int64_t cw = std::clamp<int64_t>(std::llround(std::sqrt(area * aspect)), 1, frame.size(1));
    const int64_t ch = std::clamp<int64_t>(std::llround(std::sqrt(area / aspect)), 1, frame.size(0));
    const int64_t y0 = static_cast<int64_t>(unit(rng) * static_cast<double>(frame.size(0) - ch + 1));
    const int64_t x0 = static_cast<int64_t>(unit(rng) * static_cast<double>(frame.size(1) - cw + 1));
    torch::Tensor crop =
        resize(as_float_chw(frame.narrow(0, y0, ch).narrow(1, x0, cw)), size, size).squeeze(0);
    if (unit(rng) < 0.5) crop = crop.flip({2});
    torch::Tensor L, ab;
    rgb_to_normalised_lab(crop, L, ab);
    Ls.push_back(L);
    abs.push_back(ab);
  }
  return {torch::stack(Ls), torch::stack(abs)};
}

Batch share_of(const Batch& step_batch, int rank, int ranks) {
  const std::int64_t b = step_batch.L.size(0) / ranks;
  return {step_batch.L.narrow(0, rank * b, b), step_batch.ab.narrow(0, rank * b, b)};
}

Batch validation_batch(const FrameSet& set, int size, int max_frames) {
  std::vector<torch::Tensor> Ls, abs;
  // Spread over the whole set: sources are sorted by path, so the first frames would all come from the
  // first folder (one category of photographs, or one video).
  const std::size_t n = set.frames.size(),
                    count = std::min(n, static_cast<std::size_t>(std::max(0, max_frames)));
  for (std::size_t k = 0; k < count; ++k) {
    const torch::Tensor& f = set.frames[k * n / count];
    const double scale = static_cast<double>(size) / static_cast<double>(std::min(f.size(0), f.size(1)));
    const int64_t h = std::max<int64_t>(size, std::llround(static_cast<double>(f.size(0)) * scale));
    const int64_t w = std::max<int64_t>(size, std::llround(static_cast<double>(f.size(1)) * scale));
    torch::Tensor r = resize(as_float_chw(f), h, w).squeeze(0);
    r = r.narrow(1, (h - size) / 2, size).narrow(2, (w - size) / 2, size);
    torch::Tensor L, ab;
    rgb_to_normalised_lab(r, L, ab);
    Ls.push_back(L);
    abs.push_back(ab);
  }
  if (Ls.empty()) return {};
  return {torch::stack(Ls), torch::stack(abs)};
}

}  // namespace colorize::training
