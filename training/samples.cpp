// The trainer's sample grids (gray | prediction | truth per row), written as PNG through src/media:
// apart from the rest of the Trainer, so that the trainer core builds without FFmpeg.
#include <torch/torch.h>

#include "color/frame_view.hpp"
#include "media/image_writer.hpp"
#include "training/metrics.hpp"
#include "training/trainer.hpp"

namespace colorize::training {

void Trainer::write_samples(const Batch& batch, const std::string& path, int rows) {
  if (!batch.L.defined()) return;
  const int n = std::min<int>(rows, static_cast<int>(batch.L.size(0)));
  const torch::Tensor L = batch.L.narrow(0, 0, n), ab = batch.ab.narrow(0, 0, n);
  const torch::Tensor row = torch::cat({normalised_to_rgb(L, torch::zeros_like(ab)),
                                        normalised_to_rgb(L, predict(L)), normalised_to_rgb(L, ab)},
                                       3);
  // N x 3 x S x 3S -> (N*S) x 3S x 3 bytes
  const torch::Tensor grid = torch::cat(row.unbind(0), 1)
                                 .permute({1, 2, 0})
                                 .mul(255.0f)
                                 .round()
                                 .clamp(0, 255)
                                 .to(torch::kUInt8)
                                 .contiguous();
  const color::FrameView v = color::packed_frame(
      color::PixelFormat::Rgb24, static_cast<const std::uint8_t*>(grid.data_ptr<std::uint8_t>()),
      static_cast<int>(grid.size(1)), static_cast<int>(grid.size(0)));
  media::write_png(path, v);
}

}  // namespace colorize::training
