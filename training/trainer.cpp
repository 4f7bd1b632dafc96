#include "training/trainer.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include <cstdio>
#include <filesystem>

#include "training/metrics.hpp"
#include "util/atomic_file.hpp"

namespace colorize::training {
namespace {

void set_lr(torch::optim::Adam& opt, double lr) {
  for (auto& group : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

}  // namespace

Trainer::Trainer(const TrainOptions& options) : o_(options) {
  torch::manual_seed(o_.seed);
  g_ = model::UnetGenerator(o_.generator);
  d_ = model::PatchDiscriminator(model::DiscriminatorConfig{o_.ndf, 3, 3});
  model::init_pix2pix_weights(*g_);
  model::init_pix2pix_weights(*d_);
  g_->to(o_.device);
  d_->to(o_.device);
  if (data_parallel()) {
    // Ranks start alike (the same seed makes the same weights; rank 0's make sure) and normalise by the
    // statistics of the whole step's batch.
    model::synchronise_batch_norm(*g_, o_.world);
    model::synchronise_batch_norm(*d_, o_.world);
    std::vector<torch::Tensor> state;
    for (const auto* m :
         {static_cast<torch::nn::Module*>(g_.get()), static_cast<torch::nn::Module*>(d_.get())}) {
      for (const auto& p : m->parameters()) state.push_back(p);
      for (const auto& b : m->buffers()) state.push_back(b);
    }
    o_.world->broadcast_from_rank0(state);
  }
  const auto adam = [&] { return torch::optim::AdamOptions(o_.lr).betas({o_.beta1, 0.999}); };
  opt_g_ = std::make_unique<torch::optim::Adam>(g_->parameters(), adam());
  opt_d_ = std::make_unique<torch::optim::Adam>(d_->parameters(), adam());
}

double Trainer::learning_rate() const {
  if (o_.decay_steps <= 0) return o_.lr;
  const std::int64_t decay_start = o_.steps - o_.decay_steps;
  if (step_ < decay_start) return o_.lr;
  return o_.lr * static_cast<double>(o_.steps - step_) / static_cast<double>(o_.decay_steps + 1);
}

namespace {

// Autocast to bfloat16 on one device type for as long as this lives (when `on`); restores what was
// set before and drops the cast weights it cached.
class Bf16Autocast {
 public:
  Bf16Autocast(torch::DeviceType device, bool on) : device_(device), on_(on) {
    if (!on_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    was_enabled_ = at::autocast::is_autocast_enabled(device_);
    was_dtype_ = at::autocast::get_autocast_dtype(device_);
    at::autocast::set_autocast_dtype(device_, at::kBFloat16);
    at::autocast::set_autocast_enabled(device_, true);
#else
    const bool cuda = device_ == torch::kCUDA;
    was_enabled_ = cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
    was_dtype_ = cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
    if (cuda) {
      at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
      at::autocast::set_enabled(true);
    } else {
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
      at::autocast::set_cpu_enabled(true);
    }
#endif
  }
  ~Bf16Autocast() {
    if (!on_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(device_, was_enabled_);
    at::autocast::set_autocast_dtype(device_, was_dtype_);
#else
    if (device_ == torch::kCUDA) {
      at::autocast::set_enabled(was_enabled_);
      at::autocast::set_autocast_gpu_dtype(was_dtype_);
    } else {
      at::autocast::set_cpu_enabled(was_enabled_);
      at::autocast::set_autocast_cpu_dtype(was_dtype_);
    }
#endif
    at::autocast::clear_cache();
  }
  Bf16Autocast(const Bf16Autocast&) = delete;
  Bf16Autocast& operator=(const Bf16Autocast&) = delete;

 private:
  torch::DeviceType device_;
  bool on_;
  bool was_enabled_ = false;
  at::ScalarType was_dtype_ = at::kFloat;
};

}  // namespace

torch::Tensor Trainer::gan_loss(const torch::Tensor& prediction, bool real) const {
  const torch::Tensor target = real ? torch::ones_like(prediction) : torch::zeros_like(prediction);
  return o_.lsgan ? torch::mse_loss(prediction, target)
                  : torch::binary_cross_entropy_with_logits(prediction, target);
}

StepLosses Trainer::step(const Batch& batch) {
  g_->train();
  d_->train();
  set_lr(*opt_g_, learning_rate());
  set_lr(*opt_d_, learning_rate());
  const torch::Tensor L = batch.L.to(o_.device), ab = batch.ab.to(o_.device);
  const bool gan = !o_.l1_only && step_ >= o_.warmup_steps;
  StepLosses losses;

  // Forward passes and losses under autocast (bf16), backward passes outside it, as autocast expects.
  const auto autocast = [&] { return Bf16Autocast(o_.device.type(), o_.bf16); };
  torch::Tensor fake;
  {
    const auto scope = autocast();
    fake = g_->forward(L);
  }

  if (gan) {
    // Discriminator: real pairs towards 1, generated pairs (not back-propagated into G) towards 0.
    opt_d_->zero_grad();
    torch::Tensor loss_d;
    {
      const auto scope = autocast();
      const torch::Tensor loss_real = gan_loss(d_->forward(torch::cat({L, ab}, 1)), true);
      const torch::Tensor loss_fake = gan_loss(d_->forward(torch::cat({L, fake.detach()}, 1)), false);
      loss_d = (loss_real + loss_fake) * 0.5;
    }
    loss_d.backward();
    if (data_parallel()) o_.world->average_gradients(d_->parameters());
    opt_d_->step();
    losses.d = loss_d.item<double>();
  }

  // Generator: fool D, and stay close to the truth in L1.
  opt_g_->zero_grad();
  torch::Tensor l1, loss_g;
  {
    const auto scope = autocast();
    l1 = torch::l1_loss(fake, ab);
    loss_g = l1 * o_.lambda_l1;
    if (gan) {
      const torch::Tensor g_gan = gan_loss(d_->forward(torch::cat({L, fake}, 1)), true);
      loss_g = loss_g + g_gan;
      losses.g_gan = g_gan.item<double>();
    }
  }
  loss_g.backward();
  if (data_parallel()) o_.world->average_gradients(g_->parameters());
  opt_g_->step();
  losses.g_l1 = l1.item<double>();
  ++step_;
  return losses;
}

torch::Tensor Trainer::predict(const torch::Tensor& L) {
  torch::NoGradGuard no_grad;
  g_->eval();
  torch::Tensor out = g_->forward(L.to(o_.device)).to(torch::kCPU, torch::kFloat32);
  g_->train();
  return out;
}

ValidationMetrics Trainer::validate(const Batch& batch) {
  ValidationMetrics m;
  if (!batch.L.defined()) return m;
  const torch::Tensor predicted = predict(batch.L);
  const torch::Tensor zero = torch::zeros_like(batch.ab);
  m.ab_l1 = ab_l1(predicted * 110.0f, batch.ab * 110.0f);
  m.gray_ab_l1 = ab_l1(zero, batch.ab * 110.0f);
  const torch::Tensor truth = normalised_to_rgb(batch.L, batch.ab);
  m.psnr = psnr(normalised_to_rgb(batch.L, predicted), truth);
  m.gray_psnr = psnr(normalised_to_rgb(batch.L, zero), truth);
  return m;
}

std::string Trainer::history() const {
  if (step_ == phase_start_) return earlier_;
  const std::string what = phase_.empty() ? "not described" : phase_;
  // A run resumed with the same recipe (after an interruption) extends the last part.
  const std::size_t last = earlier_.empty() ? std::string::npos : earlier_.rfind("; ");
  const std::size_t begin = last == std::string::npos ? 0 : last + 2;
  const std::string tail = "-" + std::to_string(phase_start_) + ": " + what;
  if (!earlier_.empty() && earlier_.size() >= tail.size() &&
      earlier_.compare(earlier_.size() - tail.size(), tail.size(), tail) == 0 &&
      earlier_.find(": ", begin) == earlier_.size() - what.size() - 2) {
    const std::size_t dash = earlier_.size() - tail.size();
    return earlier_.substr(0, dash) + "-" + std::to_string(step_) + ": " + what;
  }
  const std::string part =
      "steps " + std::to_string(phase_start_ + 1) + "-" + std::to_string(step_) + ": " + what;
  return earlier_.empty() ? part : earlier_ + "; " + part;
}

namespace {

// Serialised in memory, then written by util::write_file_atomically: LibTorch's own file writer
// aborts the process (an exception escaping its destructor) when the disk fills mid-write, leaving a
// partial .tmp. A crash or a full disk never replaces the last good file.
void save_atomically(torch::serialize::OutputArchive& archive, const std::string& path) {
  std::ostringstream bytes;
  archive.save_to(bytes);
  util::write_file_atomically(path, bytes.str());
}

void load_archive(torch::serialize::InputArchive& archive, const std::string& path, torch::Device device,
                  const char* what) {
  try {
    archive.load_from(path, device);
  } catch (const c10::Error& e) {
    throw std::runtime_error(std::string(what) + " '" + path +
                             "' cannot be read: " + e.what_without_backtrace());
  }
}

// A module's parameters and buffers by name, floating-point ones in fp16: half the bytes of fp32, and
// the precision the exported generator has anyway.
void write_half(torch::serialize::OutputArchive& archive, const torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (const auto& p : module.named_parameters())
    archive.write(p.key(), p.value().detach().to(torch::kCPU, torch::kHalf), false);
  for (const auto& b : module.named_buffers())
    archive.write(b.key(),
                  b.value().is_floating_point() ? b.value().to(torch::kCPU, torch::kHalf) : b.value().cpu(),
                  true);
}

void read_half(torch::serialize::InputArchive& archive, torch::nn::Module& module, const std::string& path,
               const char* network) {
  torch::NoGradGuard no_grad;
  const auto restore = [&](const std::string& name, torch::Tensor& target) {
    torch::Tensor value;
    if (!archive.try_read(name, value))
      throw std::runtime_error("stage file '" + path + "' has no " + network + " weight '" + name + "'");
    if (value.sizes() != target.sizes())
      throw std::runtime_error("stage file '" + path + "': " + network + " weight '" + name + "' is " +
                               c10::str(value.sizes()) + ", this run's is " + c10::str(target.sizes()) +
                               " (give the stage's --ngf, --ndf, --levels and --upsampling)");
    target.copy_(value.to(target.device(), target.scalar_type()));
  };
  for (auto& p : module.named_parameters()) restore(p.key(), p.value());
  for (auto& b : module.named_buffers()) restore(b.key(), b.value());
}

// The shapes of a module's parameters and buffers, by name.
std::map<std::string, std::vector<int64_t>> shapes_of(const torch::nn::Module& module) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& p : module.named_parameters()) shapes[p.key()] = p.value().sizes().vec();
  for (const auto& b : module.named_buffers()) shapes[b.key()] = b.value().sizes().vec();
  return shapes;
}

// LibTorch's Module::load takes whatever shapes the archive has: a checkpoint of another --ngf would
// "resume", train, and export a model its own description does not fit. Checked before anything is used.
void check_shapes(const std::map<std::string, std::vector<int64_t>>& expected,
                  const torch::nn::Module& loaded, const std::string& path, const char* network) {
  for (const auto& [name, shape] : shapes_of(loaded)) {
    const auto want = expected.find(name);
    if (want != expected.end() && want->second != shape)
      throw std::runtime_error("checkpoint '" + path + "': " + network + " weight '" + name + "' is " +
                               c10::str(c10::IntArrayRef(shape)) + ", this run's is " +
                               c10::str(c10::IntArrayRef(want->second)) +
                               " (resume with the run's --ngf, --ndf, --levels and --upsampling)");
  }
}

}  // namespace

void Trainer::save_common(torch::serialize::OutputArchive& archive) {
  archive.write("step", torch::tensor(step_, torch::kInt64));
  archive.write("history", c10::IValue(history()));
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  archive.write("cpu_rng", gen.get_state());
}

void Trainer::restore_common(torch::serialize::InputArchive& archive) {
  torch::Tensor step, rng;
  archive.read("step", step);
  archive.read("cpu_rng", rng);
  step_ = step.item<std::int64_t>();
  phase_start_ = step_;
  c10::IValue history;
  if (archive.try_read("history", history) && history.isString())
    earlier_ = history.toStringRef();
  else if (step_ > 0)  // a checkpoint from before histories were kept
    earlier_ = "steps 1-" + std::to_string(step_) + ": not recorded";
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(rng.cpu());
}

void Trainer::save_checkpoint(const std::string& path) {
  torch::serialize::OutputArchive archive, g, d, og, od;
  g_->save(g);
  d_->save(d);
  opt_g_->save(og);
  opt_d_->save(od);
  archive.write("generator", g);
  archive.write("discriminator", d);
  archive.write("optimizer_g", og);
  archive.write("optimizer_d", od);
  save_common(archive);
  save_atomically(archive, path);
}

void Trainer::load_checkpoint(const std::string& path) {
  torch::serialize::InputArchive archive, g, d, og, od;
  load_archive(archive, path, o_.device, "checkpoint");  // optimiser state too, onto this run's device
  archive.read("generator", g);
  archive.read("discriminator", d);
  archive.read("optimizer_g", og);
  archive.read("optimizer_d", od);
  const auto g_shapes = shapes_of(*g_), d_shapes = shapes_of(*d_);
  g_->load(g);
  d_->load(d);
  check_shapes(g_shapes, *g_, path, "generator");
  check_shapes(d_shapes, *d_, path, "discriminator");
  opt_g_->load(og);
  opt_d_->load(od);
  restore_common(archive);
  g_->to(o_.device);
  d_->to(o_.device);
}

std::int64_t Trainer::saved_step(const std::string& path) {
  torch::serialize::InputArchive archive;
  load_archive(archive, path, torch::kCPU, "checkpoint");
  torch::Tensor step;
  archive.read("step", step);
  return step.item<std::int64_t>();
}

void Trainer::save_stage(const std::string& path, StageParts parts) {
  torch::serialize::OutputArchive archive, g, d;
  write_half(g, *g_);
  archive.write("stage_generator", g);
  if (parts == StageParts::both_networks) {
    write_half(d, *d_);
    archive.write("stage_discriminator", d);
  }
  save_common(archive);
  save_atomically(archive, path);
}

Trainer::StageParts Trainer::load_stage(const std::string& path) {
  torch::serialize::InputArchive archive, g, d;
  load_archive(archive, path, torch::kCPU, "stage file");
  if (!archive.try_read("stage_generator", g))
    throw std::runtime_error("'" + path +
                             "' is not a stage file (colorize-train --export-stage writes them)");
  read_half(g, *g_, path, "generator");
  const bool with_discriminator = archive.try_read("stage_discriminator", d);
  if (with_discriminator) read_half(d, *d_, path, "discriminator");
  restore_common(archive);
  return with_discriminator ? StageParts::both_networks : StageParts::generator_only;
}

std::string Trainer::non_finite_weight() const {
  torch::NoGradGuard no_grad;
  // The model file's own check (model::non_finite_count), on both networks, buffers included.
  const auto first_in = [](const torch::nn::Module& net, const char* network) -> std::string {
    for (const auto& t : net.named_parameters())
      if (model::non_finite_count(t.value()) > 0) return std::string(network) + " weight " + t.key();
    for (const auto& t : net.named_buffers())
      if (model::non_finite_count(t.value()) > 0) return std::string(network) + " buffer " + t.key();
    return "";
  };
  const std::string g = first_in(*g_, "generator");
  return !g.empty() ? g : first_in(*d_, "discriminator");
}

void Trainer::export_generator(const std::string& path, const std::map<std::string, std::string>& provenance,
                               model::StorageType storage) {
  model::ModelInfo info;
  info.generator = o_.generator;
  info.provenance = provenance;
  g_->eval();
  model::save_generator(path, g_, info, storage);
  g_->train();
}

}  // namespace colorize::training
