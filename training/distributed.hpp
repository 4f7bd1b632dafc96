// Data-parallel training, as PyTorch's DistributedDataParallel does it: every process (rank) holds the
// whole model, trains on its own share of each step's batch, and the ranks average their gradients before
// every optimiser step, so N ranks of batch B train as one process of batch N x B. Batch normalisation is
// synchronised (model/batch_norm.hpp): pix2pix normalises by the batch, and per-rank statistics would
// make the N ranks a different model than the one process. Collectives: c10d's Gloo process group over
// TCP (CPU tensors; CUDA tensors go through the host), rendezvous through a TCPStore on rank 0.
#pragma once

#include <torch/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/batch_norm.hpp"

namespace colorize::training {

// Which rank this process is, of how many, and where rank 0 listens.
struct World {
  int rank = 0, size = 1, local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  std::string launcher;  // "torchrun", "slurm", or "" for a single process
};

// torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), else Slurm's
// (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID; rank 0 on the first host of SLURM_NODELIST, MASTER_PORT
// or else 10000 + SLURM_JOB_ID % 20000), else a world of one. Throws std::invalid_argument naming the
// variable when one is malformed.
World world_from_environment(const std::function<const char*(const char*)>& get = [](const char* name) {
  return std::getenv(name);
});

// The first host of a Slurm node list: "gpu[03-05,09],cpu1" -> "gpu03".
std::string first_slurm_host(const std::string& nodelist);

// Whether this build has c10d's process groups (training/CMakeLists.txt).
bool distributed_available();

// The collectives a data-parallel run needs. Every rank calls each with tensors of the same shapes, in
// the same order. Errors (a rank that died, a timeout) throw std::runtime_error.
class Collectives : public model::CrossProcessSum {
 public:
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Replaces each tensor by its sum over the ranks (model::CrossProcessSum).
  void sum(std::vector<torch::Tensor>& tensors) override = 0;
  // Replaces each tensor by rank 0's.
  virtual void broadcast(std::vector<torch::Tensor>& tensors) = 0;

  // Averages the gradients of `parameters` over the ranks, in buckets of about 25 MB (one collective per
  // bucket rather than per tensor, as DDP's buckets).
  void average_gradients(const std::vector<torch::Tensor>& parameters);
  // Makes every rank's tensors rank 0's (weights and buffers at the start, so ranks cannot drift).
  void broadcast_from_rank0(const std::vector<torch::Tensor>& tensors);
};

// Joins the world: rank 0 starts the store at master_addr:master_port, the others connect to it; all wait
// for each other up to `timeout`, which also bounds every later collective. A rank that dies makes the
// others' next collective fail at once (its connections close). Throws std::runtime_error when this
// build has no c10d or the rendezvous fails.
std::unique_ptr<Collectives> join_world(const World& world, std::chrono::seconds timeout);

// Ranks as threads of one process, for tests: join(rank) from `size` threads at once makes one world.
class LocalWorld {
 public:
  explicit LocalWorld(int size);
  ~LocalWorld();
  std::unique_ptr<Collectives> join(int rank, std::chrono::seconds timeout = std::chrono::seconds(60));

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::training
