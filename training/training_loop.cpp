#include "training/training_loop.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "util/atomic_file.hpp"
#include "util/bounded_queue.hpp"

namespace colorize::training {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Batches for steps first, first + 1, ... prepared by `threads` threads, thread k taking the steps
// congruent to k: each batch depends only on (seed, step), so the order and the batches are those of
// one thread.
class BatchProducers {
 public:
  BatchProducers(const FrameSet& set, const LoopOptions& o, std::int64_t first) : first_(first) {
    const int n = std::max(1, o.batch_threads);
    for (int k = 0; k < n; ++k) queues_.push_back(std::make_unique<util::BoundedQueue<Batch>>(2));
    for (int k = 0; k < n; ++k)
      threads_.emplace_back([&set, &o, this, k, n] {
        // Ranks stop together (the loop agrees on it), not on their own signal.
        const bool alone = o.world == nullptr;
        const int ranks = alone ? 1 : o.world->size(), rank = alone ? 0 : o.world->rank();
        for (std::int64_t s = first_ + k; s < o.steps && !(alone && o.stop && *o.stop); s += n) {
          Batch step_batch = training_batch(set, o.batch * ranks, o.size, o.seed, s);
          if (!queues_[static_cast<std::size_t>(k)]->push(ranks == 1 ? step_batch
                                                                     : share_of(step_batch, rank, ranks)))
            break;
        }
        queues_[static_cast<std::size_t>(k)]->close();
      });
  }
  ~BatchProducers() {
    for (auto& q : queues_) q->close();
    for (auto& t : threads_) t.join();
  }
  BatchProducers(const BatchProducers&) = delete;
  BatchProducers& operator=(const BatchProducers&) = delete;

  std::optional<Batch> pop(std::int64_t step) {
    return queues_[static_cast<std::size_t>((step - first_) % static_cast<std::int64_t>(queues_.size()))]
        ->pop();
  }

 private:
  std::int64_t first_;
  std::vector<std::unique_ptr<util::BoundedQueue<Batch>>> queues_;
  std::vector<std::thread> threads_;
};

}  // namespace

void resume_training(Trainer& trainer, const std::string& out, bool resume, const std::string& resume_stage,
                     const char* program) {
  const std::string checkpoint = (fs::path(out) / "checkpoint.pt").string();
  const bool from_stage =
      !resume_stage.empty() &&
      !(fs::exists(checkpoint) && Trainer::saved_step(checkpoint) > Trainer::saved_step(resume_stage));
  if (from_stage) {
    const bool fresh_discriminator = trainer.load_stage(resume_stage) == Trainer::StageParts::generator_only;
    std::cerr << program << ": continuing from the stage file " << resume_stage << " at step "
              << trainer.steps_done() << " (the optimisers' moments"
              << (fresh_discriminator ? " and the discriminator" : "") << " start afresh)\n";
  } else if ((resume || !resume_stage.empty()) && fs::exists(checkpoint)) {
    trainer.load_checkpoint(checkpoint);
    std::cerr << program << ": resumed from step " << trainer.steps_done() << "\n";
  } else if (resume) {
    std::cerr << program << ": no checkpoint in " << out << " yet; starting from step 0\n";
  }
}

namespace {

// A run resumed from its checkpoint trains again the steps logged after it (up to a checkpoint interval):
// their rows leave metrics.csv first, so that no step appears twice. Rewritten atomically.
void drop_rows_after(const std::string& path, std::int64_t step) {
  std::ifstream in(path);
  std::string line, kept;
  bool header = true;
  while (std::getline(in, line)) {
    if (!header && !line.empty() && std::stoll(line.substr(0, line.find(','))) > step) continue;
    kept += line + "\n";
    header = false;
  }
  in.close();
  util::write_file_atomically(path, kept);
}

}  // namespace

bool run_training_loop(Trainer& trainer, const FrameSet& train, const Batch& validation, const LoopOptions& o,
                       const std::function<void(std::int64_t)>& on_validation) {
  const std::string checkpoint = (fs::path(o.out) / "checkpoint.pt").string();
  const std::string stage = o.stage_name.empty() ? "" : (fs::path(o.out) / o.stage_name).string();
  const int ranks = o.world != nullptr ? o.world->size() : 1;
  const bool lead = o.world == nullptr || o.world->rank() == 0;  // rank 0 writes, validates and reports
  std::int64_t saved_at = trainer.steps_done();                  // what checkpoint.pt holds (or the start)
  // A diverged run stops at once: its weights are poisoned, so nothing of it past the last checkpoint is
  // saved, and the checkpoint, the stage file and any exported generator stay usable.
  const auto diverged = [&](const std::string& what) {
    throw std::runtime_error("step " + std::to_string(trainer.steps_done()) + ": " + what +
                             ": training diverged (a learning rate too high?); nothing more is saved" +
                             (saved_at > 0 ? ", the checkpoint holds step " + std::to_string(saved_at) : ""));
  };
  const auto save = [&] {
    if (!lead) return;
    if (const std::string bad = trainer.non_finite_weight(); !bad.empty()) diverged(bad + " is not finite");
    trainer.save_checkpoint(checkpoint);
    if (!stage.empty()) trainer.save_stage(stage, o.stage_parts);
    saved_at = trainer.steps_done();
  };
  const std::string metrics_path = (fs::path(o.out) / "metrics.csv").string();
  const bool new_metrics = !fs::exists(metrics_path) || trainer.steps_done() == 0;
  if (lead && !new_metrics) drop_rows_after(metrics_path, trainer.steps_done());
  std::ofstream metrics;
  if (lead) metrics.open(metrics_path, new_metrics ? std::ios::trunc : std::ios::app);
  if (lead && new_metrics)
    metrics << "step,lr,loss_d,loss_g_gan,loss_g_l1,val_ab_l1,val_psnr,gray_ab_l1,gray_psnr,images_per_s,"
               "data_wait_s\n";
  const auto stopped = [&] { return o.stop != nullptr && o.stop->load(); };
  const auto out_of_time = [&](Clock::time_point start) {
    return o.max_minutes > 0 && seconds_since(start) > o.max_minutes * 60;
  };
  // Whether to stop before the next step: on a signal (a stop request, reported to the caller) or the
  // time limit. Ranks agree on it (any one's reason stops all), so that none waits in a collective for a
  // rank that left.
  bool stop_requested = false;
  const auto should_stop = [&](Clock::time_point start) {
    std::vector<torch::Tensor> reasons{
        torch::tensor({stopped() ? 1.0 : 0.0, out_of_time(start) ? 1.0 : 0.0}, torch::kDouble)};
    if (ranks > 1) o.world->sum(reasons);
    stop_requested = stop_requested || reasons[0][0].item<double>() > 0;
    return reasons[0].sum().item<double>() > 0;
  };

  const std::int64_t first = trainer.steps_done();
  BatchProducers batches(train, o, first);  // the loop measures how long it waits for them
  const auto start = Clock::now();
  auto interval_start = start;
  double wait = 0, d_sum = 0, gan_sum = 0, l1_sum = 0;
  int interval_steps = 0;
  const bool tty = isatty(STDERR_FILENO) == 1;
  while (trainer.steps_done() < o.steps && !should_stop(start)) {
    const auto t0 = Clock::now();
    auto batch = batches.pop(trainer.steps_done());
    wait += seconds_since(t0);
    if (!batch) break;
    const StepLosses l = trainer.step(*batch);
    if (!std::isfinite(l.d) || !std::isfinite(l.g_gan) || !std::isfinite(l.g_l1)) {
      char losses[160];
      std::snprintf(losses, sizeof losses, "the losses are not finite (D %g, G_gan %g, G_L1 %g)", l.d,
                    l.g_gan, l.g_l1);
      diverged(losses);
    }
    d_sum += l.d;
    gan_sum += l.g_gan;
    l1_sum += l.g_l1;
    ++interval_steps;
    const std::int64_t step = trainer.steps_done();
    const bool validate = step % o.val_every == 0 || step == o.steps;
    if (step % o.log_every == 0 || validate) {
      if (ranks > 1) {  // the losses of the whole step's batch: the ranks' means averaged
        std::vector<torch::Tensor> sums{torch::tensor({d_sum, gan_sum, l1_sum}, torch::kDouble)};
        o.world->sum(sums);
        d_sum = sums[0][0].item<double>() / ranks;
        gan_sum = sums[0][1].item<double>() / ranks;
        l1_sum = sums[0][2].item<double>() / ranks;
      }
      if (lead) {
        const double ips = interval_steps * o.batch * ranks / std::max(seconds_since(interval_start), 1e-9);
        metrics << step << "," << trainer.learning_rate() << "," << d_sum / interval_steps << ","
                << gan_sum / interval_steps << "," << l1_sum / interval_steps << ",";
        if (validate) {
          const ValidationMetrics v = trainer.validate(validation);
          metrics << v.ab_l1 << "," << v.psnr << "," << v.gray_ab_l1 << "," << v.gray_psnr;
          if (on_validation) on_validation(step);
        } else {
          metrics << ",,,";
        }
        metrics << "," << ips << "," << wait << "\n" << std::flush;
        const double eta =
            seconds_since(start) / static_cast<double>(step - first) * static_cast<double>(o.steps - step);
        std::fprintf(stderr,
                     "%sstep %lld/%lld  %.1f img/s  D %.3f  G_gan %.3f  G_L1 %.4f  data wait %.1fs  ETA %s%s",
                     tty ? "\r" : "", static_cast<long long>(step), static_cast<long long>(o.steps), ips,
                     d_sum / interval_steps, gan_sum / interval_steps, l1_sum / interval_steps, wait,
                     clock_text(eta).c_str(), tty ? "   " : "\n");
      }
      interval_start = Clock::now();
      d_sum = gan_sum = l1_sum = 0;
      interval_steps = 0;
    }
    if (step % o.checkpoint_every == 0) save();
  }
  if (tty && lead) std::fputc('\n', stderr);
  save();
  return stop_requested;
}

}  // namespace colorize::training
