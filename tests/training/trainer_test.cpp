#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>

#include "support/small_training.hpp"
#include "support/temp_dir.hpp"
#include "training/trainer.hpp"

namespace colorize::training {
namespace {

// Two synthetic 48x48 colour images whose colour follows their structure, enough to learn from.
FrameSet synthetic_frames() {
  FrameSet set;
  for (int k = 0; k < 2; ++k) {
    torch::Tensor f = torch::empty({48, 48, 3}, torch::kUInt8);
    auto a = f.accessor<std::uint8_t, 3>();
    for (int y = 0; y < 48; ++y)
      for (int x = 0; x < 48; ++x) {
        const bool stripe = ((x / 6) + k) % 2 == 0;
        a[y][x][0] = static_cast<std::uint8_t>(stripe ? 200 : 40);
        a[y][x][1] = static_cast<std::uint8_t>(stripe ? 60 : 90 + 2 * y);
        a[y][x][2] = static_cast<std::uint8_t>(stripe ? 50 : 220);
      }
    set.frames.push_back(f);
    set.origins.push_back("synthetic");
  }
  return set;
}

TrainOptions small_options() { return test::small_train_options(3); }

TEST(Trainer, OverfitsAFixedBatch) {
  const FrameSet set = synthetic_frames();
  const Batch batch = training_batch(set, 2, 32, 1, 0);
  Trainer trainer(small_options());
  const double first = trainer.step(batch).g_l1;
  double last = first;
  for (int i = 0; i < 80; ++i) last = trainer.step(batch).g_l1;
  EXPECT_LT(last, 0.5 * first) << "L1 went from " << first << " to " << last;
  EXPECT_EQ(trainer.steps_done(), 81);
}

// Mixed precision (bf16 autocast; on this CPU the same code path CUDA takes, on another device type)
// computes in bfloat16, so its losses differ from fp32's, and still learns.
TEST(Trainer, OverfitsAFixedBatchInBf16) {
  const Batch batch = training_batch(synthetic_frames(), 2, 32, 1, 0);
  TrainOptions o = small_options();
  Trainer fp32(o);
  o.bf16 = true;
  Trainer bf16(o);
  const double first = bf16.step(batch).g_l1;
  EXPECT_NE(first, fp32.step(batch).g_l1) << "autocast changed nothing";
  double last = first;
  for (int i = 0; i < 80; ++i) last = bf16.step(batch).g_l1;
  EXPECT_LT(last, 0.5 * first) << "L1 went from " << first << " to " << last;
}

// The same on CUDA, where bf16 autocast is the default (--precision auto): batches come from the CPU,
// the step moves them to the device. Checkpoints written on the GPU load on the CPU.
TEST(Trainer, OverfitsAFixedBatchOnCudaInBf16) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "skipped: no CUDA device";
  const Batch batch = training_batch(synthetic_frames(), 2, 32, 1, 0);
  TrainOptions o = small_options();
  o.device = torch::Device(torch::kCUDA);
  o.bf16 = true;
  Trainer trainer(o);
  const double first = trainer.step(batch).g_l1;
  double last = first;
  for (int i = 0; i < 80; ++i) last = trainer.step(batch).g_l1;
  EXPECT_LT(last, 0.5 * first) << "L1 went from " << first << " to " << last;
  test::TempDir dir;
  trainer.save_checkpoint(dir.file("gpu.ckpt"));
  Trainer cpu(small_options());
  cpu.load_checkpoint(dir.file("gpu.ckpt"));
  EXPECT_EQ(cpu.steps_done(), 81);
  EXPECT_TRUE(std::isfinite(cpu.step(batch).g_l1));  // generator, discriminator and Adam state all on the CPU
}

TEST(Trainer, ResumeContinuesExactlyWhereItStopped) {
  const FrameSet set = synthetic_frames();
  const TrainOptions o = small_options();
  test::TempDir dir;
  std::vector<StepLosses> straight;
  {
    Trainer t(o);
    for (int s = 0; s < 6; ++s) straight.push_back(t.step(training_batch(set, o.batch, o.size, o.seed, s)));
  }
  {
    Trainer first_half(o);
    for (int s = 0; s < 3; ++s) first_half.step(training_batch(set, o.batch, o.size, o.seed, s));
    first_half.save_checkpoint(dir.file("checkpoint.pt"));
  }
  Trainer resumed(o);
  resumed.load_checkpoint(dir.file("checkpoint.pt"));
  ASSERT_EQ(resumed.steps_done(), 3);
  for (int s = 3; s < 6; ++s) {
    const StepLosses l = resumed.step(training_batch(set, o.batch, o.size, o.seed, s));
    EXPECT_NEAR(l.g_l1, straight[s].g_l1, 1e-5 * std::max(1.0, straight[s].g_l1)) << "step " << s;
    EXPECT_NEAR(l.d, straight[s].d, 1e-4) << "step " << s;
    EXPECT_NEAR(l.g_gan, straight[s].g_gan, 1e-4) << "step " << s;
  }
  EXPECT_EQ(resumed.steps_done(), 6);
}

// A stage file carries both networks (fp16), the step and the history, and not the optimisers: a run
// continued from it starts where the stage ended, with weights within fp16 rounding of the stage's.
TEST(Trainer, StageFileCarriesNetworksStepAndHistory) {
  const FrameSet set = synthetic_frames();
  const TrainOptions o = small_options();
  test::TempDir dir;
  Trainer stage(o);
  stage.set_phase("cGAN");
  for (int s = 0; s < 4; ++s) stage.step(training_batch(set, o.batch, o.size, o.seed, s));
  stage.save_stage(dir.file("stage.pt"));
  stage.save_checkpoint(dir.file("checkpoint.pt"));
  EXPECT_EQ(Trainer::saved_step(dir.file("stage.pt")), 4);
  EXPECT_EQ(Trainer::saved_step(dir.file("checkpoint.pt")), 4);
  EXPECT_LT(std::filesystem::file_size(dir.file("stage.pt")),
            std::filesystem::file_size(dir.file("checkpoint.pt")) / 4);

  Trainer next(o);
  next.set_phase("cGAN");
  next.load_stage(dir.file("stage.pt"));
  EXPECT_EQ(next.steps_done(), 4);
  EXPECT_EQ(next.history(), "steps 1-4: cGAN");
  const auto trained = stage.generator()->named_parameters(), loaded = next.generator()->named_parameters();
  ASSERT_EQ(trained.size(), loaded.size());
  for (const auto& p : trained) {
    const torch::Tensor a = p.value().detach(), b = loaded[p.key()].detach();
    EXPECT_TRUE(torch::allclose(a, b, 1e-3, 1e-3)) << p.key();
    EXPECT_TRUE(torch::equal(a.to(torch::kHalf).to(torch::kFloat), b))
        << p.key() << " is not the stage's fp16";
  }
  const StepLosses l = next.step(training_batch(set, o.batch, o.size, o.seed, 4));
  EXPECT_TRUE(std::isfinite(l.g_l1) && std::isfinite(l.d));
  EXPECT_EQ(next.history(), "steps 1-5: cGAN");  // the same recipe continues the stage's part

  TrainOptions wider = o;
  wider.generator.ngf = 16;
  Trainer mismatched(wider);
  EXPECT_THROW(mismatched.load_stage(dir.file("stage.pt")), std::runtime_error);
  // A checkpoint of another shape is refused too (LibTorch's own loading would take its shapes, and the
  // run would export a generator its description does not fit).
  Trainer mismatched_resume(wider);
  try {
    mismatched_resume.load_checkpoint(dir.file("checkpoint.pt"));
    FAIL() << "a checkpoint of ngf 8 resumed a run of ngf 16";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("resume with the run's --ngf"), std::string::npos) << e.what();
  }
  Trainer not_a_stage(o);
  EXPECT_THROW(not_a_stage.load_stage(dir.file("checkpoint.pt")), std::runtime_error);
}

// A generator-only stage file leaves the discriminator out: smaller by the discriminator's weights, and
// the run continued from it has the stage's generator and a discriminator as freshly initialised as any
// new run's (the same seed gives the same one), and trains on.
TEST(Trainer, GeneratorOnlyStageStartsTheDiscriminatorAfresh) {
  const FrameSet set = synthetic_frames();
  const TrainOptions o = small_options();
  test::TempDir dir;
  Trainer stage(o);
  for (int s = 0; s < 3; ++s) stage.step(training_batch(set, o.batch, o.size, o.seed, s));
  stage.save_stage(dir.file("both.pt"));
  stage.save_stage(dir.file("generator.pt"), Trainer::StageParts::generator_only);
  std::int64_t discriminator_bytes = 0;
  for (const auto& p : stage.discriminator()->named_parameters())
    discriminator_bytes += 2 * p.value().numel();
  const auto both_size = static_cast<std::int64_t>(std::filesystem::file_size(dir.file("both.pt")));
  const auto generator_size = static_cast<std::int64_t>(std::filesystem::file_size(dir.file("generator.pt")));
  EXPECT_LE(generator_size, both_size - discriminator_bytes);
  EXPECT_EQ(Trainer::saved_step(dir.file("generator.pt")), 3);

  Trainer next(o);
  EXPECT_EQ(next.load_stage(dir.file("generator.pt")), Trainer::StageParts::generator_only);
  EXPECT_EQ(next.steps_done(), 3);
  Trainer fresh(o);
  const auto fresh_d = fresh.discriminator()->named_parameters();
  for (const auto& p : next.discriminator()->named_parameters())
    EXPECT_TRUE(torch::equal(p.value(), fresh_d[p.key()])) << "discriminator " << p.key() << " is not fresh";
  const auto trained_g = stage.generator()->named_parameters();
  for (const auto& p : next.generator()->named_parameters())
    EXPECT_TRUE(torch::equal(trained_g[p.key()].detach().to(torch::kHalf).to(torch::kFloat), p.value()))
        << "generator " << p.key() << " is not the stage's fp16";
  const StepLosses l = next.step(training_batch(set, o.batch, o.size, o.seed, 3));
  EXPECT_TRUE(std::isfinite(l.g_l1) && std::isfinite(l.d));

  Trainer from_both(o);
  EXPECT_EQ(from_both.load_stage(dir.file("both.pt")), Trainer::StageParts::both_networks);
}

// A model's provenance keeps every run that trained it: a run resumed with another recipe (an L1-only
// polish after the cGAN) adds a part instead of replacing the history.
TEST(Trainer, HistoryKeepsEachRunThatTrainedTheNetworks) {
  const FrameSet set = synthetic_frames();
  TrainOptions o = small_options();
  test::TempDir dir;
  {
    Trainer first(o);
    first.set_phase("cGAN");
    EXPECT_EQ(first.history(), "");  // no step yet
    for (int s = 0; s < 3; ++s) first.step(training_batch(set, o.batch, o.size, o.seed, s));
    EXPECT_EQ(first.history(), "steps 1-3: cGAN");
    first.save_checkpoint(dir.file("checkpoint.pt"));
  }
  o.l1_only = true;
  Trainer polish(o);
  polish.set_phase("L1 only");
  polish.load_checkpoint(dir.file("checkpoint.pt"));
  EXPECT_EQ(polish.history(), "steps 1-3: cGAN");
  for (int s = 3; s < 5; ++s) polish.step(training_batch(set, o.batch, o.size, o.seed, s));
  EXPECT_EQ(polish.history(), "steps 1-3: cGAN; steps 4-5: L1 only");
  polish.save_checkpoint(dir.file("checkpoint.pt"));
  Trainer again(o);
  again.set_phase("L1 only");
  again.load_checkpoint(dir.file("checkpoint.pt"));
  again.step(training_batch(set, o.batch, o.size, o.seed, 5));
  EXPECT_EQ(again.history(), "steps 1-3: cGAN; steps 4-6: L1 only");  // resumed, same recipe: one part
  again.save_checkpoint(dir.file("checkpoint.pt"));
  Trainer other(o);
  other.set_phase("cGAN");
  other.load_checkpoint(dir.file("checkpoint.pt"));
  other.step(training_batch(set, o.batch, o.size, o.seed, 6));
  EXPECT_EQ(other.history(), "steps 1-3: cGAN; steps 4-6: L1 only; steps 7-7: cGAN");
}

TEST(Trainer, L1OnlyBaselineHasNoDiscriminatorLoss) {
  TrainOptions o = small_options();
  o.l1_only = true;
  Trainer t(o);
  const StepLosses l = t.step(training_batch(synthetic_frames(), 2, 32, 1, 0));
  EXPECT_EQ(l.d, 0.0);
  EXPECT_EQ(l.g_gan, 0.0);
  EXPECT_GT(l.g_l1, 0.0);
}

TEST(Trainer, LearningRateDecaysLinearlyToZero) {
  TrainOptions o = small_options();
  o.steps = 10;
  o.decay_steps = 4;
  o.l1_only = true;
  Trainer t(o);
  const Batch b = training_batch(synthetic_frames(), 2, 32, 1, 0);
  std::vector<double> lrs;
  for (int s = 0; s < 10; ++s) {
    lrs.push_back(t.learning_rate());
    t.step(b);
  }
  EXPECT_DOUBLE_EQ(lrs[5], 2e-4);
  EXPECT_LT(lrs[7], lrs[6]);
  EXPECT_GT(lrs[9], 0.0);
  EXPECT_LT(lrs[9], 1e-4);
}

TEST(Trainer, ExportedGeneratorLoadsWithItsProvenance) {
  test::TempDir dir;
  Trainer t(small_options());
  t.step(training_batch(synthetic_frames(), 2, 32, 1, 0));
  t.export_generator(dir.file("g.safetensors"), {{"trained_on", "synthetic"}, {"steps", "1"}},
                     model::StorageType::Float16);
  const auto loaded = model::load_generator(dir.file("g.safetensors"));
  EXPECT_EQ(loaded.info.generator.levels, 5);
  EXPECT_EQ(loaded.info.provenance.at("trained_on"), "synthetic");
}

}  // namespace
}  // namespace colorize::training
