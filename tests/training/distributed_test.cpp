// Data-parallel training: the world from torchrun's or Slurm's variables, and two ranks of batch B that
// train exactly as one process of batch 2B (gradients averaged, batch norm synchronised).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <thread>

#include "support/small_training.hpp"
#include "support/temp_dir.hpp"
#include "training/distributed.hpp"
#include "training/trainer.hpp"

namespace colorize::training {
namespace {

World world_of(const std::map<std::string, std::string>& variables) {
  return world_from_environment([&](const char* name) -> const char* {
    const auto it = variables.find(name);
    return it == variables.end() ? nullptr : it->second.c_str();
  });
}

TEST(Distributed, AWorldOfOneWithoutALauncher) {
  const World w = world_of({});
  EXPECT_EQ(w.size, 1);
  EXPECT_EQ(w.rank, 0);
  EXPECT_EQ(w.launcher, "");
}

TEST(Distributed, TorchrunsVariables) {
  const World w = world_of({{"RANK", "3"},
                            {"WORLD_SIZE", "4"},
                            {"LOCAL_RANK", "1"},
                            {"MASTER_ADDR", "node7"},
                            {"MASTER_PORT", "29511"}});
  EXPECT_EQ(w.launcher, "torchrun");
  EXPECT_EQ(w.rank, 3);
  EXPECT_EQ(w.size, 4);
  EXPECT_EQ(w.local_rank, 1);
  EXPECT_EQ(w.master_addr, "node7");
  EXPECT_EQ(w.master_port, 29511);
}

TEST(Distributed, SlurmsVariables) {
  const World w = world_of({{"SLURM_PROCID", "5"},
                            {"SLURM_NTASKS", "8"},
                            {"SLURM_LOCALID", "1"},
                            {"SLURM_JOB_NODELIST", "gpu[03-05,09],cpu1"},
                            {"SLURM_JOB_ID", "123456"}});
  EXPECT_EQ(w.launcher, "slurm");
  EXPECT_EQ(w.rank, 5);
  EXPECT_EQ(w.size, 8);
  EXPECT_EQ(w.local_rank, 1);
  EXPECT_EQ(w.master_addr, "gpu03");
  EXPECT_EQ(w.master_port, 10000 + 123456 % 20000);
}

TEST(Distributed, FirstHostOfSlurmNodeLists) {
  EXPECT_EQ(first_slurm_host("node1"), "node1");
  EXPECT_EQ(first_slurm_host("node1,node2"), "node1");
  EXPECT_EQ(first_slurm_host("gpu[003-005]"), "gpu003");
  EXPECT_EQ(first_slurm_host("a[7,9-10],b[1-2]"), "a7");
}

TEST(Distributed, MalformedVariablesAreNamed) {
  EXPECT_THROW(world_of({{"RANK", "x"}, {"WORLD_SIZE", "2"}}), std::invalid_argument);
  EXPECT_THROW(world_of({{"RANK", "2"}, {"WORLD_SIZE", "2"}}), std::invalid_argument);
  try {
    world_of({{"RANK", "0"}, {"WORLD_SIZE", "two"}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("WORLD_SIZE='two'"), std::string::npos) << e.what();
  }
}

// Four 48x64 colour images, structure and colour tied, as the trainer's own tests use.
FrameSet frames() {
  FrameSet set;
  torch::manual_seed(11);
  for (int k = 0; k < 4; ++k) {
    torch::Tensor f = torch::randint(0, 256, {48, 64, 3}, torch::kUInt8);
    f.narrow(1, 8 * k, 16).select(2, 0).fill_(220);  // a red band that moves
    set.frames.push_back(f);
    set.origins.push_back("synthetic");
  }
  return set;
}

TrainOptions options() { return test::small_train_options(5); }

struct Trained {
  std::vector<StepLosses> losses;
  std::vector<torch::Tensor> weights;    // both networks' parameters after the last step
  std::vector<torch::Tensor> gradients;  // the generator's, of the last step
};

void keep_state(Trainer& t, Trained& run) {
  for (const auto& p : t.generator()->parameters()) {
    run.weights.push_back(p.detach().clone());
    run.gradients.push_back(p.grad().clone());
  }
  for (const auto& p : t.discriminator()->parameters()) run.weights.push_back(p.detach().clone());
}

// One process of batch 2B, and two ranks of batch B each (threads of this process, Gloo between them),
// `steps` steps from the same weights.
std::pair<Trained, std::vector<Trained>> train_both_ways(int steps) {
  constexpr int kB = 2;
  const FrameSet set = frames();
  test::TempDir dir;
  const std::string start = dir.file("start.pt");
  Trained one;
  {
    Trainer t(options());
    t.save_checkpoint(start);
    for (int s = 0; s < steps; ++s) one.losses.push_back(t.step(training_batch(set, 2 * kB, 32, 5, s)));
    keep_state(t, one);
  }
  LocalWorld world(2);
  std::vector<Trained> ranks(2);
  std::vector<std::string> errors(2);
  const auto rank = [&](int r) {
    try {
      const auto collectives = world.join(r);
      TrainOptions o = options();
      o.world = collectives.get();
      Trainer t(o);
      t.load_checkpoint(start);
      for (int s = 0; s < steps; ++s)
        ranks[r].losses.push_back(t.step(share_of(training_batch(set, 2 * kB, 32, 5, s), r, 2)));
      keep_state(t, ranks[r]);
    } catch (const std::exception& e) {
      errors[r] = e.what();
    }
  };
  std::thread r0(rank, 0), r1(rank, 1);
  r0.join();
  r1.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  return {one, ranks};
}

// The first step, exactly: every gradient of the generator (averaged over the ranks, through the
// synchronised batch norms of both networks) is the one process's to float precision.
TEST(Distributed, TwoRanksOfBatchBComputeTheGradientsOfOneProcessOfBatch2B) {
  if (!distributed_available()) GTEST_SKIP() << "this build has no c10d (libgloo-dev missing)";
  const auto [one, ranks] = train_both_ways(1);
  ASSERT_EQ(ranks[0].gradients.size(), one.gradients.size());
  for (std::size_t i = 0; i < one.gradients.size(); ++i) {
    const double scale = one.gradients[i].abs().max().item<double>();
    EXPECT_LT((ranks[0].gradients[i] - one.gradients[i]).abs().max().item<double>(), 1e-5 * scale)
        << "generator parameter " << i;
  }
  EXPECT_NEAR((ranks[0].losses[0].g_l1 + ranks[1].losses[0].g_l1) / 2, one.losses[0].g_l1, 1e-6);
  EXPECT_NEAR((ranks[0].losses[0].d + ranks[1].losses[0].d) / 2, one.losses[0].d, 1e-6);
  EXPECT_NEAR((ranks[0].losses[0].g_gan + ranks[1].losses[0].g_gan) / 2, one.losses[0].g_gan, 1e-6);
}

// 20 steps: the ranks stay identical, and on the one process's track. Not bit for bit: Adam divides each
// gradient by its own size, so float rounding in a gradient near zero (2.7e-8 beside 0.12 in the same
// layer here) changes that weight's step by a tenth of the learning rate, and a GAN carries such
// differences on; after 20 steps the losses agree to a few parts in a thousand, the weights to 0.34%.
TEST(Distributed, TwoRanksOfBatchBTrainAsOneProcessOfBatch2B) {
  if (!distributed_available()) GTEST_SKIP() << "this build has no c10d (libgloo-dev missing)";
  constexpr int kSteps = 20;
  const auto [one, ranks] = train_both_ways(kSteps);
  ASSERT_EQ(ranks[0].weights.size(), one.weights.size());
  double diff = 0, size = 0;
  for (std::size_t i = 0; i < one.weights.size(); ++i) {
    ASSERT_TRUE(torch::equal(ranks[0].weights[i], ranks[1].weights[i])) << "the ranks drifted apart at " << i;
    diff += (ranks[0].weights[i] - one.weights[i]).pow(2).sum().item<double>();
    size += one.weights[i].pow(2).sum().item<double>();
  }
  EXPECT_LT(std::sqrt(diff / size), 1e-2) << "relative distance of the weights after " << kSteps << " steps";
  for (int s = 0; s < kSteps; ++s) {
    const auto mean = [&](double StepLosses::*loss) {
      return (ranks[0].losses[s].*loss + ranks[1].losses[s].*loss) / 2;
    };
    EXPECT_NEAR(mean(&StepLosses::g_l1), one.losses[s].g_l1, 1e-2 * one.losses[s].g_l1) << "step " << s;
    EXPECT_NEAR(mean(&StepLosses::d), one.losses[s].d, 1e-2 * one.losses[s].d) << "step " << s;
    EXPECT_NEAR(mean(&StepLosses::g_gan), one.losses[s].g_gan, 1e-2 * one.losses[s].g_gan) << "step " << s;
  }
}

}  // namespace
}  // namespace colorize::training
