// Batch normalisation that a data-parallel training run can synchronise: with a CrossProcessSum set, a
// training-mode forward pass takes its batch statistics over the batches of every process (and its
// backward pass the matching sums), so that N processes of batch B train as one of batch N x B. Without
// one, and always in eval mode, it computes what torch::nn::BatchNorm2d does, and its parameters and
// buffers carry that module's names (model files and checkpoints do not change).
#pragma once

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace colorize::model {

// Sums tensors over every process of a data-parallel run, in place; each process calls it with tensors
// of the same shapes, in the same order (training/distributed.hpp implements it with c10d).
class CrossProcessSum {
 public:
  virtual ~CrossProcessSum() = default;
  virtual void sum(std::vector<torch::Tensor>& tensors) = 0;
};

class SyncableBatchNorm2dImpl : public torch::nn::Cloneable<SyncableBatchNorm2dImpl> {
 public:
  explicit SyncableBatchNorm2dImpl(int channels);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);
  void synchronise_with(CrossProcessSum* sum) { sum_ = sum; }

  // torch::nn::BatchNorm2d's, under its names.
  torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;

 private:
  int channels_;
  double momentum_ = 0.1, eps_ = 1e-5;  // torch::nn::BatchNorm2d's defaults
  CrossProcessSum* sum_ = nullptr;
};
TORCH_MODULE(SyncableBatchNorm2d);

// Every SyncableBatchNorm2d in `module` takes its statistics over all processes through `sum`, or over
// its own batch again when `sum` is nullptr. `sum` must outlive the module's training.
void synchronise_batch_norm(torch::nn::Module& module, CrossProcessSum* sum);

}  // namespace colorize::model
