#include "training/distributed.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "util/whole_number.hpp"

#ifdef COLORIZE_HAVE_C10D
#include <torch/csrc/distributed/c10d/HashStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace colorize::training {
namespace {

int integer_variable(const std::function<const char*(const char*)>& get, const char* name, int minimum) {
  const char* text = get(name);
  if (text == nullptr) throw std::invalid_argument(std::string(name) + " is not set");
  const auto value = util::whole_number(text);
  if (!value || *value < minimum)
    throw std::invalid_argument(std::string(name) + "='" + text + "' is not a number of at least " +
                                std::to_string(minimum));
  return *value;
}

// Buckets of gradients travel as one flat tensor each.
constexpr std::int64_t kBucketBytes = 25 << 20;

}  // namespace

std::string first_slurm_host(const std::string& nodelist) {
  // The first entry ends at the first comma outside brackets.
  std::size_t end = 0;
  for (int depth = 0; end < nodelist.size(); ++end) {
    if (nodelist[end] == '[') ++depth;
    if (nodelist[end] == ']') --depth;
    if (nodelist[end] == ',' && depth == 0) break;
  }
  const std::string first = nodelist.substr(0, end);
  const auto open = first.find('[');
  if (open == std::string::npos) return first;
  // "gpu[03-05,09]" -> "gpu" + the first number of the range, its zeros kept.
  std::size_t digits = open + 1;
  while (digits < first.size() && std::isdigit(static_cast<unsigned char>(first[digits]))) ++digits;
  if (digits == open + 1) throw std::invalid_argument("SLURM_NODELIST='" + nodelist + "' cannot be read");
  return first.substr(0, open) + first.substr(open + 1, digits - open - 1);
}

World world_from_environment(const std::function<const char*(const char*)>& get) {
  World w;
  if (get("WORLD_SIZE") != nullptr || get("RANK") != nullptr) {
    w.launcher = "torchrun";
    w.size = integer_variable(get, "WORLD_SIZE", 1);
    w.rank = integer_variable(get, "RANK", 0);
    w.local_rank = get("LOCAL_RANK") != nullptr ? integer_variable(get, "LOCAL_RANK", 0) : 0;
    if (const char* addr = get("MASTER_ADDR")) w.master_addr = addr;
    if (get("MASTER_PORT") != nullptr) w.master_port = integer_variable(get, "MASTER_PORT", 1);
  } else if (get("SLURM_PROCID") != nullptr && get("SLURM_NTASKS") != nullptr) {
    w.launcher = "slurm";
    w.size = integer_variable(get, "SLURM_NTASKS", 1);
    w.rank = integer_variable(get, "SLURM_PROCID", 0);
    w.local_rank = get("SLURM_LOCALID") != nullptr ? integer_variable(get, "SLURM_LOCALID", 0) : 0;
    if (const char* addr = get("MASTER_ADDR"))
      w.master_addr = addr;
    else if (const char* nodes =
                 get("SLURM_JOB_NODELIST") ? get("SLURM_JOB_NODELIST") : get("SLURM_NODELIST"))
      w.master_addr = first_slurm_host(nodes);
    if (get("MASTER_PORT") != nullptr)
      w.master_port = integer_variable(get, "MASTER_PORT", 1);
    else if (get("SLURM_JOB_ID") != nullptr)
      w.master_port = 10000 + integer_variable(get, "SLURM_JOB_ID", 0) % 20000;
  }
  if (w.rank >= w.size)
    throw std::invalid_argument("rank " + std::to_string(w.rank) + " is not below the world size " +
                                std::to_string(w.size));
  if (w.master_port > 65535)
    throw std::invalid_argument("MASTER_PORT " + std::to_string(w.master_port) + " is not a port");
  return w;
}

void Collectives::average_gradients(const std::vector<torch::Tensor>& parameters) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  for (std::size_t begin = 0; begin < grads.size();) {
    std::size_t end = begin;
    std::int64_t bytes = 0;
    while (end < grads.size() && (end == begin || bytes + grads[end].nbytes() <= kBucketBytes))
      bytes += static_cast<std::int64_t>(grads[end++].nbytes());
    std::vector<torch::Tensor> flat;
    for (std::size_t i = begin; i < end; ++i) flat.push_back(grads[i].reshape(-1));
    std::vector<torch::Tensor> bucket{torch::cat(flat)};
    sum(bucket);
    bucket[0].div_(size());
    std::int64_t offset = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::int64_t n = grads[i].numel();
      grads[i].copy_(bucket[0].narrow(0, offset, n).view_as(grads[i]));
      offset += n;
    }
    begin = end;
  }
}

void Collectives::broadcast_from_rank0(const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> flat;
  for (const auto& t : tensors) flat.push_back(t.reshape(-1).to(torch::kDouble));
  std::vector<torch::Tensor> all{torch::cat(flat)};
  broadcast(all);
  std::int64_t offset = 0;
  for (const auto& t : tensors) {
    t.copy_(all[0].narrow(0, offset, t.numel()).view_as(t));
    offset += t.numel();
  }
}

#ifdef COLORIZE_HAVE_C10D

namespace {

class GlooCollectives : public Collectives {
 public:
  GlooCollectives(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                  const std::string& address, std::chrono::seconds timeout)
      : rank_(rank), size_(size) {
    auto options = c10d::ProcessGroupGloo::Options::create();
    const bool loopback = address.rfind("127.", 0) == 0 || address == "localhost";
    options->devices.push_back(loopback ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                        : c10d::ProcessGroupGloo::createDefaultDevice());
    options->timeout = timeout;
    group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, options);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void sum(std::vector<torch::Tensor>& tensors) override {
    run(tensors, [&](std::vector<at::Tensor>& t) { return group_->allreduce(t); });
  }
  void broadcast(std::vector<torch::Tensor>& tensors) override {
    run(tensors, [&](std::vector<at::Tensor>& t) { return group_->broadcast(t); });
  }

 private:
  // One collective over the tensors flattened into one, in host memory.
  template <class Op>
  void run(std::vector<torch::Tensor>& tensors, const Op& op) {
    // In the widest type given (the batch-norm sums come in double, gradients in float).
    auto type = torch::kFloat;
    for (const auto& t : tensors)
      if (t.scalar_type() == torch::kDouble) type = torch::kDouble;
    std::vector<torch::Tensor> flat;
    for (const auto& t : tensors) flat.push_back(t.detach().reshape(-1).to(torch::kCPU, type));
    std::vector<at::Tensor> one{torch::cat(flat)};
    try {
      op(one)->wait();
    } catch (const std::exception& e) {
      throw std::runtime_error("rank " + std::to_string(rank_) + " of " + std::to_string(size_) +
                               ": a collective operation failed (did another rank stop?): " + e.what());
    }
    std::int64_t offset = 0;
    torch::NoGradGuard no_grad;
    for (auto& t : tensors) {
      t.copy_(one[0].narrow(0, offset, t.numel()).view_as(t));
      offset += t.numel();
    }
  }

  int rank_, size_;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group_;
};

}  // namespace

bool distributed_available() { return true; }

std::unique_ptr<Collectives> join_world(const World& world, std::chrono::seconds timeout) {
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(world.master_port);
    options.isServer = world.rank == 0;
    options.numWorkers = world.size;
    options.waitWorkers = true;
    options.timeout = timeout;
    auto store = c10::make_intrusive<c10d::TCPStore>(world.master_addr, options);
    return std::make_unique<GlooCollectives>(store, world.rank, world.size, world.master_addr, timeout);
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(world.rank) + " of " + std::to_string(world.size) +
                             " cannot join the others at " + world.master_addr + ":" +
                             std::to_string(world.master_port) + ": " + e.what());
  }
}

struct LocalWorld::State {
  c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::HashStore>();
  int size;
};

LocalWorld::LocalWorld(int size) : state_(std::make_unique<State>()) { state_->size = size; }
LocalWorld::~LocalWorld() = default;

std::unique_ptr<Collectives> LocalWorld::join(int rank, std::chrono::seconds timeout) {
  return std::make_unique<GlooCollectives>(state_->store, rank, state_->size, "127.0.0.1", timeout);
}

#else

bool distributed_available() { return false; }

namespace {
[[noreturn]] void unavailable() {
  throw std::runtime_error(
      "this build has no c10d process groups (build it with Gloo's headers: apt-get install libgloo-dev, "
      "then reconfigure): colorize-train runs as one process only");
}
}  // namespace

std::unique_ptr<Collectives> join_world(const World&, std::chrono::seconds) { unavailable(); }

struct LocalWorld::State {};
LocalWorld::LocalWorld(int) { unavailable(); }
LocalWorld::~LocalWorld() = default;
std::unique_ptr<Collectives> LocalWorld::join(int, std::chrono::seconds) { unavailable(); }

#endif

}  // namespace colorize::training
