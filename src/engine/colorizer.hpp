// The Colorizer: frames in, colour frames out. Every front end (CLI, GStreamer element, trainer's
// previews) calls this; it knows nothing of FFmpeg or GStreamer, only frame views.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "color/frame_view.hpp"
#include "model/model_file.hpp"

namespace colorize::engine {

enum class Device { Auto, Cpu, Cuda };
enum class Precision { Float32, BFloat16, Float16 };
// Temporal stabilisation of colour (engine/temporal_stabilizer.hpp). Live: causal, frame by frame.
enum class TemporalSmoothing { Off, Live };

// Whether this build has temporal stabilisation (it needs OpenCV's video module).
bool temporal_smoothing_available();

struct ColorizerOptions {
  std::string model_path;
  Device device = Device::Auto;  // Auto: CUDA when LibTorch sees a GPU, else the CPU
  int render_size = 256;         // short side, in pixels, at which the network runs
  Precision precision = Precision::Float32;
  bool dropout = false;  // the generator's dropout "noise" at inference
  int threads = 0;       // CPU threads for the network and colour loops; 0: every core
  // Off treats every frame alone. Live carries colour along the motion from frame to frame: the frames
  // given to colorize() must then be consecutive frames of one stream; call reset_temporal() at a seek.
  TemporalSmoothing temporal = TemporalSmoothing::Off;
};

// Seconds spent per stage since construction or the last reset, and frames done.
struct StageTimes {
  double lightness = 0;  // input format -> full-resolution L
  double resize = 0;     // L -> network input (area filter down, or bilinear up)
  double network = 0;
  double compose = 0;   // L + ab (upsampled on the fly) -> output format
  double temporal = 0;  // optical flow and colour carried along it (temporal smoothing)
  long frames = 0;
  long scene_cuts = 0;  // frames the stabiliser took as scene cuts
};

class Colorizer {
 public:
  // Loads the model (throws model::ModelFileError) and checks the options (std::invalid_argument).
  explicit Colorizer(const ColorizerOptions& options);
  ~Colorizer();
  Colorizer(const Colorizer&) = delete;
  Colorizer& operator=(const Colorizer&) = delete;

  // out must have the size of in; its format may differ (RGB24, I420, NV12, GRAY8, ...).
  void colorize(const color::FrameView& in, const color::MutableFrameView& out);
  // The same for several frames; frames of one size run through the network as one batch.
  void colorize(const std::vector<color::FrameView>& in, const std::vector<color::MutableFrameView>& out);

  // The network's input size (width, height) for a frame: short side render_size, aspect ratio kept.
  static std::pair<int, int> inference_size(int width, int height, int render_size);

  // Forget earlier frames (temporal smoothing): after a seek, a flush, or before an unrelated stream.
  void reset_temporal();
  void set_temporal(TemporalSmoothing mode);

  const model::ModelInfo& model_info() const;
  bool on_cuda() const;
  const StageTimes& stage_times() const;
  void reset_stage_times();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::engine
