#include "model/batch_norm.hpp"

#include <torch/autograd.h>
#include <torch/cuda.h>
#include <torch/nn/functional.h>

#include <cstdint>

namespace colorize::model {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Per-channel sums over batch, height and width, as N x C x 1 x 1 broadcasts them.
torch::Tensor channel_sum(const torch::Tensor& t) { return t.sum({0, 2, 3}); }
torch::Tensor per_channel(const torch::Tensor& v) { return v.view({1, -1, 1, 1}); }

// The forward and backward passes of batch normalisation over the batches of all processes: each sums
// what it has (count, sum and sum of squares forward; sum of dy and of dy * x_hat backward) and the sums
// are added across processes. The gradients of weight and bias are the process's own (the trainer
// averages every parameter's gradient afterwards, as for any other layer).
struct SynchronisedBatchNorm : torch::autograd::Function<SynchronisedBatchNorm> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, const torch::Tensor& weight,
                               const torch::Tensor& bias, torch::Tensor running_mean,
                               torch::Tensor running_var, torch::Tensor batches_tracked, double momentum,
                               double eps, CrossProcessSum* sum) {
    const torch::Tensor x = input.to(torch::kFloat);
    // The sums in double: E[x^2] - E[x]^2 in float loses the variance of channels whose mean is large.
    const torch::Tensor x64 = x.to(torch::kDouble);
    const double local_count = static_cast<double>(x.numel() / x.size(1));
    std::vector<torch::Tensor> sums{channel_sum(x64), channel_sum(x64 * x64),
                                    torch::full({1}, local_count, x64.options())};
    sum->sum(sums);
    const double count = sums[2].item<double>();
    const torch::Tensor mean64 = sums[0] / count;
    const torch::Tensor var64 =
        (sums[1] / count - mean64 * mean64).clamp_min(0);  // biased, as normalising uses
    const torch::Tensor mean = mean64.to(torch::kFloat), var = var64.to(torch::kFloat);
    const torch::Tensor invstd = torch::rsqrt(var64 + eps).to(torch::kFloat);
    {
      torch::NoGradGuard no_grad;
      running_mean.mul_(1 - momentum).add_(mean * momentum);
      running_var.mul_(1 - momentum).add_(var * (count / std::max(count - 1, 1.0)) * momentum);
      batches_tracked.add_(1);
    }
    const torch::Tensor x_hat = (x - per_channel(mean)) * per_channel(invstd);
    ctx->save_for_backward({x_hat, weight, invstd});
    ctx->saved_data["sum"] = static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(sum));
    ctx->saved_data["count"] = count;
    return (x_hat * per_channel(weight) + per_channel(bias)).to(input.scalar_type());
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &x_hat = saved[0], &weight = saved[1], &invstd = saved[2];
    auto* sum =
        reinterpret_cast<CrossProcessSum*>(static_cast<std::intptr_t>(ctx->saved_data["sum"].toInt()));
    const double count = ctx->saved_data["count"].toDouble();
    const torch::Tensor dy = grad_outputs[0].to(torch::kFloat);
    const torch::Tensor dy64 = dy.to(torch::kDouble);
    std::vector<torch::Tensor> sums{channel_sum(dy64), channel_sum(dy64 * x_hat.to(torch::kDouble))};
    // This process's own sums are the gradients of bias and weight; the sums over all are the means.
    const torch::Tensor grad_bias = sums[0].to(torch::kFloat), grad_weight = sums[1].to(torch::kFloat);
    sum->sum(sums);
    const torch::Tensor mean_dy = (sums[0] / count).to(torch::kFloat),
                        mean_dy_x_hat = (sums[1] / count).to(torch::kFloat);
    const torch::Tensor grad_input =
        (dy - per_channel(mean_dy) - x_hat * per_channel(mean_dy_x_hat)) * per_channel(invstd * weight);
    return {grad_input, grad_weight, grad_bias, {}, {}, {}, {}, {}, {}};
  }
};

}  // namespace

SyncableBatchNorm2dImpl::SyncableBatchNorm2dImpl(int channels) : channels_(channels) { reset(); }

void SyncableBatchNorm2dImpl::reset() {
  weight = register_parameter("weight", torch::ones({channels_}));
  bias = register_parameter("bias", torch::zeros({channels_}));
  running_mean = register_buffer("running_mean", torch::zeros({channels_}));
  running_var = register_buffer("running_var", torch::ones({channels_}));
  num_batches_tracked = register_buffer("num_batches_tracked", torch::tensor(0, torch::kLong));
}

torch::Tensor SyncableBatchNorm2dImpl::forward(const torch::Tensor& x) {
  if (sum_ != nullptr && is_training())
    return SynchronisedBatchNorm::apply(x, weight, bias, running_mean, running_var, num_batches_tracked,
                                        momentum_, eps_, sum_);
  if (is_training()) num_batches_tracked.add_(1);
  return torch::batch_norm(x, weight, bias, running_mean, running_var, is_training(), momentum_, eps_,
                           torch::cuda::cudnn_is_available());
}

void synchronise_batch_norm(torch::nn::Module& module, CrossProcessSum* sum) {
  for (auto& m : module.modules(true))
    if (auto* bn = m->as<SyncableBatchNorm2dImpl>()) bn->synchronise_with(sum);
}

}  // namespace colorize::model
