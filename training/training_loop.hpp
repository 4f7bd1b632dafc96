// The loop both trainers run (colorize-train on decoded media, colorize-train-pack on a frame pack):
// batches prepared ahead on threads of their own, in step order; a status line and metrics.csv rows;
// validation; checkpoints (and stage files) at intervals and at the end. No FFmpeg: it is part of the
// trainer core, which builds on the GPU machine.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "training/batches.hpp"
#include "training/trainer.hpp"

namespace colorize::training {

struct LoopOptions {
  std::int64_t steps = 10000;  // the schedule's last step
  std::int64_t checkpoint_every = 500, val_every = 500, log_every = 20;
  double max_minutes = 0;  // 0: no time limit
  int batch = 4, size = 256;
  std::uint64_t seed = 1;
  int batch_threads = 1;   // threads preparing batches (each batch depends only on seed and step)
  std::string out;         // run directory: metrics.csv, checkpoint.pt
  std::string stage_name;  // when set, DIR/stage_name is written with every checkpoint
  Trainer::StageParts stage_parts = Trainer::StageParts::both_networks;  // what the stage file holds
  const std::atomic<bool>* stop = nullptr;  // set by a signal handler: checkpoint and return
  // Data-parallel ranks (training/distributed.hpp): `batch` is each rank's share of a step's batch of
  // batch x ranks frames; rank 0 alone validates and writes metrics, samples, checkpoints and stage files;
  // the ranks stop together (a signal or the time limit on any one stops all after the same step).
  Collectives* world = nullptr;
};

// Where a run continues from, saying so on stderr after `program`: the stage file when one is given
// (unless DIR/checkpoint.pt is further on: that stage was interrupted and started again), else
// DIR/checkpoint.pt when `resume` is set and it exists, else step 0.
void resume_training(Trainer& trainer, const std::string& out, bool resume, const std::string& resume_stage,
                     const char* program);

// Trains until the last step, the time limit or a stop request; `on_validation(step)` runs after each
// validation (the CLI writes its sample grid there). Returns true when stopped by request (this rank's
// signal or another's).
bool run_training_loop(Trainer& trainer, const FrameSet& train, const Batch& validation,
                       const LoopOptions& options,
                       const std::function<void(std::int64_t)>& on_validation = {});

}  // namespace colorize::training
