// colorize-train-pack: colorize-train's recipe on a frame pack (training/frame_pack.hpp) instead of
// media files, for machines without FFmpeg and Boost: the GPU machine (bench/gpu/train.sh). The same
// networks, schedule, checkpoints, stage files and exported generator; no sample grids (they are
// written with FFmpeg). Options are colorize-train's, by the same names.
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>

#include "training/frame_pack.hpp"
#include "training/trainer.hpp"
#include "training/training_loop.hpp"

namespace {

namespace fs = std::filesystem;
using namespace colorize::training;

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

constexpr const char* kUsage =
    "usage: colorize-train-pack --frames FILE --out DIR [--device cpu|cuda|auto] [--precision "
    "auto|fp32|bf16]\n"
    "  [--ngf N] [--ndf N] [--levels N] [--upsampling resize|transposed] [--batch N] [--size N] [--steps N]\n"
    "  [--warmup-steps N] [--decay-steps N] [--lr X] [--seed N] [--max-minutes X] [--checkpoint-every N]\n"
    "  [--val-every N] [--log-every N] [--threads N] [--batch-threads N] [--resume] [--resume-stage FILE]\n"
    "  [--export-stage NAME] [--export NAME] [--fp16]\n"
    "colorize-train's recipe (cGAN + L1) on a frame pack written by bench/gpu/unpack_frames.py.\n";

int run(int argc, char** argv) {
  std::string frames, out, device = "auto", precision = "auto", upsampling = "resize", resume_stage,
                           export_stage, export_name = "generator.safetensors";
  TrainOptions t;
  LoopOptions loop;
  int ngf = 16, levels = 8, threads = 0;
  long long seed = 1;
  bool resume = false, fp16 = false;
  t.ndf = 16;
  const std::map<std::string, std::function<void(const std::string&)>> values{
      {"--frames", [&](const std::string& v) { frames = v; }},
      {"--out", [&](const std::string& v) { out = v; }},
      {"--device", [&](const std::string& v) { device = v; }},
      {"--precision", [&](const std::string& v) { precision = v; }},
      {"--ngf", [&](const std::string& v) { ngf = std::stoi(v); }},
      {"--ndf", [&](const std::string& v) { t.ndf = std::stoi(v); }},
      {"--levels", [&](const std::string& v) { levels = std::stoi(v); }},
      {"--upsampling", [&](const std::string& v) { upsampling = v; }},
      {"--batch", [&](const std::string& v) { t.batch = std::stoi(v); }},
      {"--size", [&](const std::string& v) { t.size = std::stoi(v); }},
      {"--steps", [&](const std::string& v) { t.steps = std::stoll(v); }},
      {"--warmup-steps", [&](const std::string& v) { t.warmup_steps = std::stoll(v); }},
      {"--decay-steps", [&](const std::string& v) { t.decay_steps = std::stoll(v); }},
      {"--lr", [&](const std::string& v) { t.lr = std::stod(v); }},
      {"--seed", [&](const std::string& v) { seed = std::stoll(v); }},
      {"--max-minutes", [&](const std::string& v) { loop.max_minutes = std::stod(v); }},
      {"--checkpoint-every", [&](const std::string& v) { loop.checkpoint_every = std::stoll(v); }},
      {"--val-every", [&](const std::string& v) { loop.val_every = std::stoll(v); }},
      {"--log-every", [&](const std::string& v) { loop.log_every = std::stoll(v); }},
      {"--threads", [&](const std::string& v) { threads = std::stoi(v); }},
      {"--batch-threads", [&](const std::string& v) { loop.batch_threads = std::stoi(v); }},
      {"--resume-stage", [&](const std::string& v) { resume_stage = v; }},
      {"--export-stage", [&](const std::string& v) { export_stage = v; }},
      {"--export", [&](const std::string& v) { export_name = v; }},
  };
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (flag == "--resume") {
      resume = true;
    } else if (flag == "--fp16") {
      fp16 = true;
    } else if (const auto it = values.find(flag); it != values.end() && i + 1 < argc) {
      try {
        it->second(argv[++i]);
      } catch (const std::exception&) {
        std::cerr << "colorize-train-pack: " << flag << " takes a number, not '" << argv[i] << "'\n";
        return 2;
      }
    } else {
      std::cerr << "colorize-train-pack: unknown option or missing value: " << flag << "\n" << kUsage;
      return 2;
    }
  }
  if (frames.empty() || out.empty() || t.steps < 1 || t.batch < 1 || t.size < 32 || ngf < 1 || levels < 5 ||
      loop.checkpoint_every < 1 || loop.val_every < 1 || loop.log_every < 1 ||
      (device != "cpu" && device != "cuda" && device != "auto") ||
      (precision != "auto" && precision != "fp32" && precision != "bf16")) {
    std::cerr << "colorize-train-pack: --frames and --out are needed; sizes, counts and intervals positive; "
                 "device cpu, cuda or auto; precision auto, fp32 or bf16\n"
              << kUsage;
    return 2;
  }
  const bool cuda = torch::cuda::is_available();
  if (device == "cuda" && !cuda) {
    std::cerr << "colorize-train-pack: --device cuda, but LibTorch sees no CUDA device\n";
    return 1;
  }
  t.device = (device == "cuda" || (device == "auto" && cuda)) ? torch::Device(torch::kCUDA)
                                                              : torch::Device(torch::kCPU);
  t.bf16 = precision == "bf16" || (precision == "auto" && t.device.is_cuda());
  t.seed = static_cast<std::uint64_t>(seed);
  t.generator = {ngf, levels, 1, 2, colorize::model::upsampling_named(upsampling)};
  if (threads > 0) at::set_num_threads(threads);

  const FramePack pack = read_frame_pack(frames);
  std::cerr << "colorize-train-pack: " << pack.train.frames.size() << " training frames, "
            << pack.validation.frames.size() << " validation frames; skipped " << pack.gray_skipped
            << " black-and-white ones\n";
  if (pack.train.frames.empty()) throw std::runtime_error("no colour training frames in " + frames);
  fs::create_directories(out);
  Trainer trainer(t);
  trainer.set_phase("cGAN (vanilla) + 100 x L1, batch " + std::to_string(t.batch) + ", lr " +
                    std::to_string(t.lr) + ", L1 only up to step " + std::to_string(t.warmup_steps) +
                    ", lr decayed over the last " + std::to_string(t.decay_steps) + " of " +
                    std::to_string(t.steps) + " steps, from a frame pack on " +
                    (t.device.is_cuda() ? "CUDA" : "the CPU") + (t.bf16 ? " in bf16" : ""));
  resume_training(trainer, out, resume, resume_stage, "colorize-train-pack");
  loop.steps = t.steps;
  loop.batch = t.batch;
  loop.size = t.size;
  loop.seed = t.seed;
  loop.out = out;
  loop.stage_name = export_stage;
  loop.stop = &g_stop;
  if (run_training_loop(trainer, pack.train, validation_batch(pack.validation, t.size, 32), loop)) {
    std::cerr << "colorize-train-pack: interrupted at step " << trainer.steps_done()
              << "; checkpoint saved\n";
    return 130;
  }
  const std::string exported = (fs::path(out) / export_name).string();
  trainer.export_generator(
      exported,
      {{"trained_on", "frame pack " + frames},
       {"training_frames", std::to_string(pack.train.frames.size())},
       {"validation_frames", std::to_string(pack.validation.frames.size())},
       {"steps", std::to_string(trainer.steps_done())},
       {"batch", std::to_string(t.batch)},
       {"recipe", trainer.history()}},
      fp16 ? colorize::model::StorageType::Float16 : colorize::model::StorageType::Float32);
  std::cerr << "colorize-train-pack: wrote " << exported << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "colorize-train-pack: " << e.what() << "\n";
    return 1;
  }
}
