// The Colorizer: frames in, colour frames out. Every front end (CLI, GStreamer element, trainer's
// previews) calls this; it knows nothing of FFmpeg or GStreamer, only frame views.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "color/frame_view.hpp"
#include "engine/bundled_models.hpp"
#include "engine/colour_guide.hpp"
#include "engine/frame_tag.hpp"
#include "model/model_info.hpp"

namespace colorize::engine {

enum class Device { Auto, Cpu, Cuda };
enum class Precision { Float32, BFloat16, Float16 };
// Temporal stabilisation of colour. Live (engine/temporal_stabilizer.hpp): causal, from the frames
// before, no delay. File (engine/lookahead_stabilizer.hpp): also from the frames after, so each frame
// comes out up to `lookahead` frames late.
enum class TemporalSmoothing { Off, Live, File };

// Whether this build has temporal stabilisation (it needs OpenCV's video module).
bool temporal_smoothing_available();

// A frame sent to the engine and the caller's tag for it; optionally, colour it should take over the
// network's (its size must be the network's size for the frame: std::invalid_argument otherwise).
struct TaggedFrame {
  color::FrameView frame;
  FrameTag tag;
  std::shared_ptr<const ColourGuide> guide;
};

// Every option's default as a front end offers it, help and allowed values: engine/settings.hpp.
struct ColorizerOptions {
  std::string model_path = kDefaultModel;  // a bundled model's name or a model file (find_model())
  Device device = Device::Auto;            // Auto: CUDA when LibTorch sees a GPU, else the CPU
  int render_size = 256;                   // short side, in pixels, at which the network runs
  Precision precision = Precision::Float32;
  int threads = 0;  // CPU threads for the network and colour loops; 0: every core
  // Off treats every frame alone. Live carries colour along the motion from frame to frame: the frames
  // sent must then be consecutive frames of one stream; call reset_temporal() at a seek.
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
  // Finds and loads the model (throws model::ModelFileError) and checks the options against their
  // declarations in engine/settings.hpp (std::invalid_argument).
  explicit Colorizer(const ColorizerOptions& options);
  ~Colorizer();
  Colorizer(const Colorizer&) = delete;
  Colorizer& operator=(const Colorizer&) = delete;

  // Every mode runs through send() and receive(): a frame goes in with the caller's tag and comes out
  // with it, latency_frames() frames later at most (at once with Off and Live), or at flush().

  // Frames in, in stream order, each with its tag (consecutive frames of one size make one batch). The
  // engine keeps what it needs of them (their lightness): the caller may reuse the input buffers at once.
  void send(std::vector<TaggedFrame> frames);
  void send(const color::FrameView& frame, FrameTag tag = {});
  // The oldest finished frame, if there is one: `target` is given its tag and returns where the frame
  // goes (the frame's size, any output format, host or CUDA memory); the frame is written there and its
  // tag handed back. std::nullopt when no frame is finished yet.
  std::optional<FrameTag> receive(const std::function<color::MutableFrameView(FrameTag&)>& target);
  std::optional<FrameTag> receive(const color::MutableFrameView& out);
  // End of stream, or of a sequence (a gap, a new segment): every frame held becomes finished, and
  // the frames sent next start afresh.
  void flush();
  // Frames sent and not yet received, and how many of those receive() gives now.
  int frames_held() const;
  int frames_finished() const;
  // How many later frames a frame waits for before it is finished: the look-ahead in File mode, else 0.
  int latency_frames() const;

  // The network's input size (width, height) for a frame: short side render_size, aspect ratio kept,
  // but the long side at most kMaxAspect x render_size, so that the network's memory depends on the
  // render size alone (a 4097x3 strip would otherwise run at 349,000x256). Frames longer than that
  // have a shorter short side.
  static constexpr int kMaxAspect = 4;
  static std::pair<int, int> inference_size(int width, int height, int render_size);

  // Forget earlier frames (temporal smoothing), frames held included: after a flushing seek.
  void reset_temporal();
  // Changes the mode. Frames held for File mode's look-ahead are finished first (nothing is lost), and
  // the frames sent next start afresh.
  void set_temporal(TemporalSmoothing mode);

  const model::ModelInfo& model_info() const;
  const ColorizerOptions& options() const;  // as checked, with the temporal mode now in use
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
