// The Colorizer: frames in, colour frames out. Every front end (CLI, GStreamer element, trainer's
// previews) calls this; it knows nothing of FFmpeg or GStreamer, only frame views.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "color/frame_view.hpp"
#include "model/model_file.hpp"

namespace colorize::engine {

enum class Device { Auto, Cpu, Cuda };
enum class Precision { Float32, BFloat16, Float16 };
// Temporal stabilisation of colour. Live (engine/temporal_stabilizer.hpp): causal, from the frames
// before, no delay. File (engine/lookahead_stabilizer.hpp): also from the frames after, so each frame
// comes out `lookahead` frames late: send() and receive() instead of colorize().
enum class TemporalSmoothing { Off, Live, File };

// Whether this build has temporal stabilisation (it needs OpenCV's video module).
bool temporal_smoothing_available();
// "off", "live", "file" (the names of the CLI option and the element's property); nullopt for others.
std::optional<TemporalSmoothing> temporal_smoothing_named(const std::string& name);

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
  int lookahead = 8;  // File: frames after a frame that its colour is carried from (1 or more)
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

  // out must have the size of in; its format may differ (RGB24, I420, NV12, GRAY8, ...). Not with
  // File smoothing, whose frames come out late (std::logic_error): use send() and receive().
  void colorize(const color::FrameView& in, const color::MutableFrameView& out);
  // The same for several frames; frames of one size run through the network as one batch.
  void colorize(const std::vector<color::FrameView>& in, const std::vector<color::MutableFrameView>& out);

  // Frames in, in stream order (one batch per run of frames of one size). The engine keeps what it
  // needs of them (their lightness); the caller may reuse the input buffers at once.
  void send(const std::vector<color::FrameView>& in);
  // Writes the oldest finished frame into out (the size of that frame; any output format) and returns
  // true, or returns false when no frame is finished yet. Off and Live finish every frame sent at once.
  bool receive(const color::MutableFrameView& out);
  // No frame follows those sent (end of stream): all become finished, and the next frame starts afresh.
  void drain();
  // Frames sent and not yet received, and how many of those receive() can give now.
  int frames_held() const;
  int frames_finished() const;

  // The network's input size (width, height) for a frame: short side render_size, aspect ratio kept.
  static std::pair<int, int> inference_size(int width, int height, int render_size);

  // Forget earlier frames (temporal smoothing), frames held included: after a flushing seek.
  void reset_temporal();
  // Changes the mode; frames held (File) are dropped when the mode changes.
  void set_temporal(TemporalSmoothing mode);

  const model::ModelInfo& model_info() const;
  bool on_cuda() const;
  // Whether frames in CUDA memory (color::Memory::Cuda, as NVDEC decodes them) can be sent and received:
  // on CUDA in a build with the CUDA colour kernels. They are then read and written in place.
  bool reads_cuda_frames() const;
  const StageTimes& stage_times() const;
  void reset_stage_times();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::engine
