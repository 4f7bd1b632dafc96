// The pix2pix recipe for colorization: a U-Net generator G(L) -> ab against a PatchGAN discriminator
// D(L, ab), with the cGAN loss plus lambda * L1 for G and (real + fake) / 2 for D; Adam, lr 2e-4,
// betas (0.5, 0.999). Each step reads as the paper's algorithm: D on real, D on fake, then G.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include <map>
#include <memory>
#include <string>

#include "model/model_file.hpp"
#include "training/batches.hpp"
#include "training/distributed.hpp"

namespace colorize::training {

struct TrainOptions {
  model::GeneratorConfig generator;
  int ndf = 64;
  int batch = 4;
  int size = 256;  // training crop
  std::int64_t steps = 10000;
  double lr = 2e-4;
  double beta1 = 0.5;
  double lambda_l1 = 100.0;
  bool lsgan = false;             // least-squares GAN loss instead of the vanilla (BCE) one
  bool l1_only = false;           // the baseline without a discriminator (greyish results)
  std::int64_t warmup_steps = 0;  // L1-only generator steps before the GAN starts
  std::int64_t decay_steps = 0;   // the last this many steps decay the learning rate linearly to 0
  std::uint64_t seed = 1;
  torch::Device device{torch::kCPU};
  // Mixed precision: the forward passes and losses run under autocast to bfloat16 (master weights,
  // gradients and optimiser state stay fp32). Meant for CUDA; the CPU runs it too, correctly but slower.
  bool bf16 = false;
  // Data-parallel ranks (training/distributed.hpp): batch norm synchronised, gradients averaged before
  // every optimiser step, rank 0's initial weights everywhere. nullptr: one process. Must outlive the
  // Trainer.
  Collectives* world = nullptr;
};

struct StepLosses {
  double d = 0, g_gan = 0, g_l1 = 0;  // g_l1 in normalised units (|delta ab| / 110), before lambda
};

struct ValidationMetrics {
  double ab_l1 = 0;       // Lab units
  double psnr = 0;        // dB on sRGB
  double gray_ab_l1 = 0;  // the gray baseline (ab = 0), same frames
  double gray_psnr = 0;
};

class Trainer {
 public:
  explicit Trainer(const TrainOptions& options);

  StepLosses step(const Batch& batch);
  std::int64_t steps_done() const { return step_; }
  double learning_rate() const;

  // The first weight or buffer of either network holding NaN or infinity ("generator <name>"), or
  // empty. A diverged run: its batch-norm statistics can overflow while its losses still look finite.
  std::string non_finite_weight() const;

  // Everything needed to continue: networks, optimizers, step, RNG, history. Written atomically.
  void save_checkpoint(const std::string& path);
  void load_checkpoint(const std::string& path);
  // The step a checkpoint or stage file was written at (reads the whole file).
  static std::int64_t saved_step(const std::string& path);

  // A stage file: what the next stage of a long run resumes from, small enough to commit. The
  // networks' weights in fp16, the step, the RNG and the history; not the optimisers' moments, which
  // Adam rebuilds within its first steps (docs/training.md has the measurement). `generator_only`
  // leaves the discriminator out too, for generators so large that both would not fit a commit; the
  // next stage starts it afresh (also measured there). Written atomically.
  enum class StageParts { both_networks, generator_only };
  void save_stage(const std::string& path, StageParts parts = StageParts::both_networks);
  // Returns what the file held: with `generator_only` the discriminator keeps this run's fresh
  // initialisation. Throws std::runtime_error when the file is not a stage file or its networks'
  // shapes differ from this run's (--ngf, --ndf, --levels).
  StageParts load_stage(const std::string& path);

  // What trained the networks, for a model's provenance: "steps A-B: what", one part per run, joined
  // with "; ". A run names its own recipe with set_phase(); the parts of the runs before it come from
  // the checkpoint it resumed (a run that changes the recipe on --resume, an L1-only polish after the
  // cGAN, is recorded as two parts, not as the last one alone).
  void set_phase(std::string description) { phase_ = std::move(description); }
  std::string history() const;

  ValidationMetrics validate(const Batch& batch);
  // A PNG grid, one row per frame: gray input | prediction | truth.
  void write_samples(const Batch& batch, const std::string& path, int rows);

  void export_generator(const std::string& path, const std::map<std::string, std::string>& provenance,
                        model::StorageType storage);

  model::UnetGenerator& generator() { return g_; }
  model::PatchDiscriminator& discriminator() { return d_; }

 private:
  void restore_common(torch::serialize::InputArchive& archive);  // step, history, RNG
  void save_common(torch::serialize::OutputArchive& archive);

  torch::Tensor gan_loss(const torch::Tensor& prediction, bool real) const;
  torch::Tensor predict(const torch::Tensor& L);  // eval mode, no grad, float32 on CPU
  bool data_parallel() const { return o_.world != nullptr && o_.world->size() > 1; }

  TrainOptions o_;
  model::UnetGenerator g_{nullptr};
  model::PatchDiscriminator d_{nullptr};
  std::unique_ptr<torch::optim::Adam> opt_g_, opt_d_;
  std::int64_t step_ = 0;
  std::string earlier_;           // the history the checkpoint carried
  std::string phase_;             // this run's recipe
  std::int64_t phase_start_ = 0;  // the step this run began at
};

}  // namespace colorize::training
