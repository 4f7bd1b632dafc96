// colorize-train: trains the pix2pix colorization generator on image folders and video files.
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "colorize_revision.hpp"  // generated at build time: cmake/write_revision.cmake
#include "flags/engine_flags.hpp"
#include "media/av_util.hpp"
#include "training/dataset.hpp"
#include "training/distributed.hpp"
#include "training/sources.hpp"
#include "training/trainer.hpp"
#include "training/training_loop.hpp"

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace colorize::training;

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

struct Cli {
  std::vector<std::string> data, data_lists;
  std::vector<DataRoot> roots;  // --data-list's lines, then each --data
  std::string out = "training-run", gan = "vanilla", device = "auto", precision = "auto",
              export_name = "generator.safetensors", export_stage, resume_stage;
  TrainOptions train;
  LoadOptions load;
  double val_fraction = 0.1;
  std::int64_t checkpoint_every = 500, val_every = 500, log_every = 20;
  int threads = 0, memory_limit_mb = 6144;
  double max_minutes = 0;   // 0: no time limit
  int dist_timeout = 1800;  // seconds a rank waits for the others
  bool resume = false, fp16 = false, list_split = false, stage_generator_only = false;
};

// "faces 72/725, scenes 60/593, ...": validation/training sources of each category, in order of appearance.
std::string count_by_category(const Split& split) {
  std::vector<std::string> order;
  std::map<std::string, std::pair<int, int>> counts;
  for (const auto* part : {&split.validation, &split.train})
    for (const auto& s : *part) {
      auto [it, fresh] = counts.try_emplace(s.category, 0, 0);
      if (fresh) order.push_back(s.category);
      (part == &split.validation ? it->second.first : it->second.second)++;
    }
  std::string text;
  for (const auto& name : order)
    text += (text.empty() ? "" : ", ") + name + " " + std::to_string(counts[name].first) + "/" +
            std::to_string(counts[name].first + counts[name].second);
  return text + " held out";
}

// This run's recipe, for the model's provenance (Trainer::history() adds its steps and what came before).
std::string describe_recipe(const Cli& c) {
  const TrainOptions& t = c.train;
  std::ostringstream s;
  if (t.l1_only)
    s << "L1 only";
  else
    s << "cGAN (" << c.gan << ") + " << t.lambda_l1 << " x L1";
  s << ", batch " << t.batch * (t.world != nullptr ? t.world->size() : 1);
  if (t.world != nullptr && t.world->size() > 1)
    s << " (" << t.world->size() << " ranks of " << t.batch << ")";
  s << ", lr " << t.lr;
  if (!t.l1_only && t.warmup_steps > 0) s << ", L1 only up to step " << t.warmup_steps;
  if (t.decay_steps > 0)
    s << ", lr decayed linearly to 0 from step " << t.steps - t.decay_steps << " to " << t.steps;
  s << ", revision " << COLORIZE_REVISION;
  return s.str();
}

int run(const Cli& c) {
  const auto sources = find_sources(c.roots);
  if (sources.empty()) throw std::runtime_error("no image or video files found in the training data");
  const Split split = split_sources(sources, c.val_fraction);
  if (c.list_split) {  // "train|validation CATEGORY PATH", tab-separated, for tools (the device's frame pack)
    for (const auto* part : {&split.train, &split.validation})
      for (const auto& s : *part)
        std::cout << (part == &split.train ? "train" : "validation") << "\t" << s.category << "\t" << s.path
                  << "\n";
    return 0;
  }
  std::cerr << "colorize-train: " << sources.size() << " sources (" << split.train.size() << " training, "
            << split.validation.size() << " validation: " << count_by_category(split) << "); decoding...\n";
  LoadReport train_report, val_report;
  if (!c.load.cache_folder.empty()) fs::create_directories(c.load.cache_folder);
  const FrameSet train = load_frames(split.train, c.load, train_report);
  const FrameSet val = load_frames(split.validation, c.load, val_report);
  for (const auto* r : {&train_report, &val_report})
    for (const auto& p : r->problems) std::cerr << "colorize-train: skipped: " << p << "\n";
  std::cerr << "colorize-train: " << train_report.frames << " training frames, " << val_report.frames
            << " validation frames (" << (train_report.bytes + val_report.bytes) / (1 << 20) << " MiB "
            << (c.load.cache_folder.empty() ? "in memory" : "in a frame cache in " + c.load.cache_folder)
            << "); skipped " << train_report.gray_skipped + val_report.gray_skipped
            << " black-and-white sources and " << train_report.failed + val_report.failed
            << " undecodable ones\n";
  if (train.frames.empty()) throw std::runtime_error("no colour training frames left to learn from");

  Trainer trainer(c.train);
  trainer.set_phase(describe_recipe(c));
  const bool lead = c.train.world == nullptr || c.train.world->rank() == 0;  // writes what the run leaves
  std::cerr << "colorize-train: training on " << (c.train.device.is_cuda() ? "CUDA" : "the CPU") << ", "
            << (c.train.bf16 ? "bf16 mixed precision" : "fp32") << "\n";
  resume_training(trainer, c.out, c.resume, c.resume_stage, "colorize-train");
  // Only once training can start: a failed run leaves none.
  if (lead) fs::create_directories(fs::path(c.out) / "samples");
  const Batch val_batch = validation_batch(val, c.train.size, 32);
  LoopOptions loop;
  loop.steps = c.train.steps;
  loop.checkpoint_every = c.checkpoint_every;
  loop.val_every = c.val_every;
  loop.log_every = c.log_every;
  loop.max_minutes = c.max_minutes;
  loop.batch = c.train.batch;
  loop.size = c.train.size;
  loop.seed = c.train.seed;
  loop.out = c.out;
  loop.stage_name = c.export_stage;
  loop.stage_parts =
      c.stage_generator_only ? Trainer::StageParts::generator_only : Trainer::StageParts::both_networks;
  loop.stop = &g_stop;
  loop.world = c.train.world;
  const bool interrupted = run_training_loop(trainer, train, val_batch, loop, [&](std::int64_t step) {
    char name[64];
    std::snprintf(name, sizeof name, "step-%07lld.png", static_cast<long long>(step));
    trainer.write_samples(val_batch, (fs::path(c.out) / "samples" / name).string(), 6);
  });
  if (interrupted) {
    std::cerr << "colorize-train: interrupted at step " << trainer.steps_done()
              << "; checkpoint saved, continue with --resume\n";
    return 130;
  }
  if (!lead) return 0;
  std::string trained_on;
  for (const auto& r : c.roots) trained_on += (trained_on.empty() ? "" : ", ") + r.category + " " + r.path;
  const std::string exported = (fs::path(c.out) / c.export_name).string();
  trainer.export_generator(
      exported,
      {{"trained_on", trained_on},
       {"training_frames", std::to_string(train.frames.size())},
       {"validation_frames", std::to_string(val.frames.size())},
       {"steps", std::to_string(trainer.steps_done())},
       {"batch", std::to_string(c.train.batch)},
       {"recipe", trainer.history()},
       {"date", utc_now()},
       {"revision", COLORIZE_REVISION}},
      c.fp16 ? colorize::model::StorageType::Float16 : colorize::model::StorageType::Float32);
  std::cerr << "colorize-train: wrote " << exported << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Cli c;
  int levels = 8, ngf = 64;
  std::string upsampling = "resize";
  long long seed = 1;
  po::options_description opts(
      "colorize-train: trains the pix2pix colorization generator (U-Net, PatchGAN, cGAN + L1)\n\n"
      "usage: colorize-train (--data PATH | --data-list FILE)... --out DIR [options]\n\nOptions");
  // clang-format off
  opts.add_options()
      ("help,h", "print this help")
      ("data", po::value(&c.data)->composing(), "image folder, video file, or folder of both (repeatable; "
       "its last path component names its category in reports)")
      ("data-list", po::value(&c.data_lists)->composing()->value_name("FILE"),
       "a file of \"CATEGORY PATH\" lines, paths relative to it (scripts/fetch-training-data.sh writes "
       "DATA/sources.list)")
      ("out", po::value(&c.out), "run directory: checkpoint, metrics.csv, samples/, the exported generator")
      ("steps", po::value(&c.train.steps), "training steps (default 10000)")
      ("max-minutes", po::value(&c.max_minutes), "stop (checkpoint and export) after this much training time")
      ("batch", po::value(&c.train.batch), "images per step (default 4); with N ranks each rank's share: N x this per step")
      ("size", po::value(&c.train.size), "training crop size (default 256)")
      ("ngf", po::value(&ngf), "generator filters in the outermost layer (default 64)")
      ("levels", po::value(&levels), "U-Net levels (default 8, pix2pix unet_256)")
      ("upsampling", po::value(&upsampling), "the decoder's x2 steps: resize (default: nearest x2, then a 3x3 conv; "
       "no checkerboard specks) or transposed (pix2pix's ConvTranspose2d)")
      ("ndf", po::value(&c.train.ndf), "discriminator filters (default 64)")
      ("lr", po::value(&c.train.lr), "Adam learning rate (default 2e-4)")
      ("lambda", po::value(&c.train.lambda_l1), "weight of the L1 term (default 100)")
      ("gan", po::value(&c.gan), "vanilla (BCE, default) or lsgan")
      ("l1-only", po::bool_switch(&c.train.l1_only), "no discriminator: the L1 baseline")
      ("warmup-steps", po::value(&c.train.warmup_steps), "L1-only generator steps before the GAN starts (default 0)")
      ("decay-steps", po::value(&c.train.decay_steps), "decay the learning rate linearly to 0 over the last N steps")
      ("seed", po::value(&seed), "seed for weights and batches (default 1)")
      ("val-fraction", po::value(&c.val_fraction), "share of sources held out for validation (default 0.1)")
      ("checkpoint-every", po::value(&c.checkpoint_every), "steps between checkpoints (default 500)")
      ("val-every", po::value(&c.val_every), "steps between validations and sample grids (default 500)")
      ("log-every", po::value(&c.log_every), "steps between status lines and metrics.csv rows (default 20)")
      ("resume", po::bool_switch(&c.resume), "continue from DIR/checkpoint.pt")
      ("export-stage", po::value(&c.export_stage)->value_name("NAME"),
       "also write DIR/NAME with every checkpoint: both networks in fp16, the step and the history, without "
       "the optimisers' state (a few MB, for committing a stage of a long run)")
      ("stage-generator-only", po::bool_switch(&c.stage_generator_only),
       "leave the discriminator out of the stage file too (the next stage starts it afresh): for "
       "generators too large to commit with it")
      ("resume-stage", po::value(&c.resume_stage)->value_name("FILE"),
       "continue from a stage file (give the same schedule: --steps, --decay-steps, ...); DIR/checkpoint.pt "
       "instead when it is further on (this stage interrupted and started again)")
      ("precision", po::value(&c.precision), "auto (default: bf16 on CUDA, fp32 on the CPU), fp32, or bf16 "
       "(mixed precision: forward passes in bfloat16 under autocast, weights and optimiser in fp32)")
      ("workers", po::value(&c.load.workers), "decoding threads (default 2)")
      ("load-size", po::value(&c.load.decode.short_side), "shrink frames to this short side when decoding (default 512)")
      ("video-fps", po::value(&c.load.decode.video_fps), "frames sampled per second of video (default 1)")
      ("memory-limit-mb", po::value(&c.memory_limit_mb), "decoded frames held in memory at most (default 6144)")
      ("frame-cache", po::value(&c.load.cache_folder)->value_name("DIR"),
       "keep the decoded frames in a file in DIR, memory-mapped, instead of in memory: for sets larger than "
       "RAM (no memory limit; the file is removed when the run ends)")
      ("export", po::value(&c.export_name), "name of the exported generator in DIR (default generator.safetensors)")
      ("fp16", po::bool_switch(&c.fp16), "store the exported generator in fp16 (half the size)")
      ("dist-timeout", po::value(&c.dist_timeout)->value_name("SECONDS"),
       "data-parallel ranks (started by torchrun's or Slurm's variables; see docs/training.md): how long a rank "
       "waits for the others, at the start and in every step, before it gives up (default 1800; a rank that "
       "dies stops the others at once)")
      ("list-split", po::bool_switch(&c.list_split), "print each source's side of the split (train or validation), "
       "category and path, tab-separated, and exit");
  // clang-format on
  // --device and --threads as colorize takes them (engine/settings.hpp); training has its own precisions.
  colorize::flags::EngineFlags engine_flags(colorize::engine::Use::Files, {"device", "threads"});
  engine_flags.add_to(opts);
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, opts), vm);
    if (vm.count("help")) {
      std::cout << opts << "\n";
      return 0;
    }
    po::notify(vm);
    if (c.data.empty() && c.data_lists.empty())
      throw po::error("give the training data: --data or --data-list");
    if (c.gan != "vanilla" && c.gan != "lsgan") throw po::error("--gan must be vanilla or lsgan");
    if (upsampling != "resize" && upsampling != "transposed")
      throw po::error("--upsampling must be resize or transposed");
    if (c.train.steps < 1 || c.train.batch < 1 || c.train.size < 32 || ngf < 1 || levels < 5 ||
        c.checkpoint_every < 1 || c.val_every < 1 || c.log_every < 1 || c.memory_limit_mb < 1 ||
        c.dist_timeout < 1)
      throw po::error("sizes, counts and intervals must be positive (size at least 32, levels at least 5)");
    if (c.val_fraction < 0 || c.val_fraction >= 1) throw po::error("--val-fraction must be in [0, 1)");
    if (c.stage_generator_only && c.export_stage.empty())
      throw po::error("--stage-generator-only shapes the stage file: give --export-stage NAME too");
    colorize::engine::ColorizerOptions engine_options;
    engine_flags.apply(vm, engine_options);
    c.device = colorize::engine::setting("device").get(engine_options);
    c.threads = engine_options.threads;
    if (c.precision != "auto" && c.precision != "fp32" && c.precision != "bf16")
      throw po::error("--precision must be auto, fp32 or bf16");
  } catch (const po::error& e) {
    std::cerr << "colorize-train: " << e.what() << "\n(colorize-train --help lists the options)\n";
    return 2;
  }
  c.train.generator = {ngf, levels, 1, 2, colorize::model::upsampling_named(upsampling)};
  c.train.lsgan = c.gan == "lsgan";
  c.train.seed = static_cast<std::uint64_t>(seed);
  c.load.memory_limit = static_cast<std::size_t>(c.memory_limit_mb) << 20;
  try {
    c.roots = data_roots(c.data_lists, c.data);
  } catch (const std::exception& e) {
    std::cerr << "colorize-train: " << e.what() << "\n";
    return 2;
  }
  const bool cuda = torch::cuda::is_available();
  if (c.device == "cuda" && !cuda) {
    std::cerr << "colorize-train: --device cuda, but LibTorch sees no CUDA device\n";
    return 1;
  }
  // One rank of a data-parallel run when torchrun's or Slurm's variables say so (training/distributed.hpp).
  World world;
  try {
    world = world_from_environment();
  } catch (const std::invalid_argument& e) {
    std::cerr << "colorize-train: " << e.what() << "\n";
    return 2;
  }
  c.train.device = (c.device == "cuda" || (c.device == "auto" && cuda))
                       ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(world.local_rank))
                       : torch::Device(torch::kCPU);
  c.train.bf16 = c.precision == "bf16" || (c.precision == "auto" && c.train.device.is_cuda());
  at::set_num_threads(c.threads > 0 ? c.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  colorize::media::set_log_level(AV_LOG_ERROR);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::unique_ptr<Collectives> collectives;
  try {
    if (world.size > 1) {
      std::cerr << "colorize-train: rank " << world.rank << " of " << world.size << " (" << world.launcher
                << "), meeting the others at " << world.master_addr << ":" << world.master_port << "\n";
      collectives = join_world(world, std::chrono::seconds(c.dist_timeout));
      c.train.world = collectives.get();
    }
    return run(c);
  } catch (const std::exception& e) {
    std::cerr << "colorize-train: " << (world.size > 1 ? "rank " + std::to_string(world.rank) + ": " : "")
              << e.what() << "\n";
    return 1;
  }
}
