#include "ffmpeg-tool/transcode.hpp"

#include <chrono>
#include <mutex>
#include <thread>
#include <variant>

#include "ffmpeg-tool/frame_stage.hpp"
#include "media/input.hpp"
#include "media/output.hpp"
#include "util/bounded_queue.hpp"

namespace colorize::cli {
namespace {

// What flows between the stages, in input order: decoded or colorized frames, and packets of the
// streams that are copied.
using Item = std::variant<media::FramePtr, media::PacketPtr>;
using Queue = util::BoundedQueue<Item>;

// The first error of any stage wins; it stops the others.
class Failure {
 public:
  explicit Failure(std::atomic<bool>& stop) : stop_(stop) {}
  void record(std::exception_ptr e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = e;
    stop_ = true;
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::atomic<bool>& stop_;
  std::mutex mutex_;
  std::exception_ptr error_;
};

// The three stages and what they share. Each runs on its own thread; a stage that fails records the
// error and closes the queues it touches, so the others end too.
class Transcode {
 public:
  Transcode(const Options& o, engine::Colorizer& colorizer, media::Input& input, media::Output& output,
            std::atomic<bool>& stop)
      : o_(o), colorizer_(colorizer), input_(input), output_(output), stop_(stop), failure_(stop) {}

  // Reads and decodes the input's range; frames and the packets of copied streams go out in order.
  void decode() {
    try {
      input_.run(
          [&](AVFrame* frame) {
            media::FramePtr copy(av_frame_clone(frame));
            if (!copy) throw media::MediaError("out of memory");
            decoded_.push(std::move(copy));
            return true;
          },
          [&](AVPacket* packet) {
            if (output_.copies(packet->stream_index))
              decoded_.push(media::PacketPtr(av_packet_clone(packet)));
          });
    } catch (...) {
      failure_.record(std::current_exception());
      colorized_.close();
    }
    decoded_.close();
  }

  // Sends frames to the engine in batches and passes on what it finishes; packets pass through.
  void colorize() {
    try {
      const int batch = o_.batch > 0 ? o_.batch : (colorizer_.on_cuda() ? 8 : 1);
      FrameStage stage(colorizer_, *output_.encoder(), o_.preview);
      std::vector<media::FramePtr> pending;
      const auto send = [&] {
        if (pending.empty()) return;
        for (auto& f : stage.send(pending)) colorized_.push(std::move(f));
        pending.clear();
      };
      while (auto item = decoded_.pop()) {
        if (stop_) break;
        if (auto* frame = std::get_if<media::FramePtr>(&*item)) {
          pending.push_back(std::move(*frame));
          if (static_cast<int>(pending.size()) >= batch) send();
        } else {
          colorized_.push(std::move(*item));
        }
      }
      if (!stop_) {
        send();
        for (auto& f : stage.flush()) colorized_.push(std::move(f));
      }
    } catch (...) {
      failure_.record(std::current_exception());
      decoded_.close();
    }
    colorized_.close();
  }

  // Encodes the frames and writes them with the copied packets, then the trailer.
  void encode() {
    try {
      while (auto item = colorized_.pop()) {
        if (stop_) break;
        if (auto* frame = std::get_if<media::FramePtr>(&*item)) {
          last_pts_.store((*frame)->pts);
          output_.write_video(frame->get());
          frames_done_.fetch_add(1);
        } else {
          output_.write_copy(std::get<media::PacketPtr>(*item).get());
        }
      }
      if (!stop_) output_.finish();
    } catch (...) {
      failure_.record(std::current_exception());
      decoded_.close();
      colorized_.close();
    }
    encoder_done_ = true;
  }

  // Reports progress twice a second on the calling thread until the encoder is done.
  void report(Progress& progress, const ProgressSnapshot& total) {
    for (int tick = 1; !encoder_done_.load(); ++tick) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (tick % 5 == 0 && !stop_) progress.update(snapshot(total));
    }
  }

  // Once every stage has ended: the first error, or the last progress line.
  void finish(Progress& progress, const ProgressSnapshot& total) {
    failure_.rethrow();
    if (!stop_) progress.finish(snapshot(total));
  }

 private:
  ProgressSnapshot snapshot(const ProgressSnapshot& total) const {
    ProgressSnapshot s = total;
    s.frames = frames_done_.load();
    s.media_seconds = static_cast<double>(last_pts_.load()) * av_q2d(input_.video_stream()->time_base);
    return s;
  }

  const Options& o_;
  engine::Colorizer& colorizer_;
  media::Input& input_;
  media::Output& output_;
  std::atomic<bool>& stop_;
  Failure failure_;
  Queue decoded_{8}, colorized_{8};
  std::atomic<long> frames_done_{0};
  std::atomic<bool> encoder_done_{false};
  std::atomic<int64_t> last_pts_{0};
};

}  // namespace

long transcode(const Options& o, const std::string& model_path, const Destination& destination,
               std::atomic<bool>& stop, Progress& progress) {
  engine::ColorizerOptions engine_options = o.engine;
  engine_options.model_path = model_path;
  engine::Colorizer colorizer(engine_options);

  media::InputOptions in_options;
  in_options.url = o.input;
  in_options.format = o.input_format;
  in_options.hwaccel = o.hwaccel;
  // NVDEC's frames straight to the engine's kernels, unless the preview needs the input on the host.
  in_options.keep_cuda_frames = colorizer.reads_cuda_frames() && !o.preview;
  in_options.start_seconds = o.start;
  in_options.duration_seconds = o.duration;
  in_options.interrupt = &stop;
  media::Input input(in_options);

  media::OutputOptions out_options;
  // The final name tells the format by its extension (the temporary one ends in .part).
  out_options.path = destination.kind == Destination::Kind::File ? destination.path : destination.url;
  out_options.url = destination.url;
  out_options.format = o.output_format;
  out_options.video_codec = o.video_codec;
  out_options.pixel_format = o.pixel_format;
  out_options.codec_options = o.codec_options;
  out_options.width = input.decoder()->width * (o.preview ? 2 : 1);
  out_options.height = input.decoder()->height;
  media::Output output(out_options, input);

  ProgressSnapshot total;
  if (o.duration) {
    total.total_seconds = *o.duration;
  } else if (input.format()->duration > 0) {
    total.total_seconds = static_cast<double>(input.format()->duration) / AV_TIME_BASE - o.start;
  }

  Transcode t(o, colorizer, input, output, stop);
  std::thread decode_thread([&] { t.decode(); });
  std::thread colorize_thread([&] { t.colorize(); });
  std::thread encode_thread([&] { t.encode(); });
  t.report(progress, total);
  decode_thread.join();
  colorize_thread.join();
  encode_thread.join();
  t.finish(progress, total);
  return output.frames_written();
}

}  // namespace colorize::cli
