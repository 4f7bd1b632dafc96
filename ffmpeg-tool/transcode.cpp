#include "ffmpeg-tool/transcode.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>
#include <thread>
#include <variant>

#include "ffmpeg-tool/frame_stage.hpp"
#include "ffmpeg-tool/references.hpp"
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
  // `window`: the frames coloured and written (all of them but for a piece of a long film).
  // `references`: the guides of reference colours, by frame number (null: none).
  Transcode(const Options& o, engine::Colorizer& colorizer, media::Input& input, media::Output& output,
            const Piece& window, const engine::ReferenceColours* references, std::atomic<bool>& stop)
      : o_(o),
        colorizer_(colorizer),
        input_(input),
        output_(output),
        window_(window),
        references_(references),
        stop_(stop),
        failure_(stop) {}

  // Reads and decodes the input's range; frames and the packets of copied streams go out in order.
  // Frames before the window's colour_from are dropped; past its end, the look-ahead's frames go on
  // (the last frames written wait for them), then reading stops.
  void decode() {
    try {
      const int look_ahead = colorizer_.latency_frames();
      int past_end = 0;
      input_.run(
          [&](AVFrame* frame) {
            if (frame->pts < window_.colour_from) return true;
            const bool beyond = frame->pts >= window_.write_until;
            if (beyond && past_end >= look_ahead) return false;
            media::FramePtr copy(av_frame_clone(frame));
            if (!copy) throw media::MediaError("out of memory");
            decoded_.push(std::move(copy));
            past_end += beyond ? 1 : 0;
            return !(beyond && past_end >= look_ahead);
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
      FrameStage stage(colorizer_, *output_.encoder(), o_.preview, references_);
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
          const int64_t pts = (*frame)->pts;
          if (pts < window_.write_from || pts >= window_.write_until) continue;
          last_pts_.store(pts);
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
    const int64_t origin = std::max<int64_t>(window_.write_from, 0);
    s.media_seconds = s.frames == 0 ? 0
                                    : static_cast<double>(last_pts_.load() - origin) *
                                          av_q2d(input_.video_stream()->time_base);
    return s;
  }

  const Options& o_;
  engine::Colorizer& colorizer_;
  media::Input& input_;
  media::Output& output_;
  const Piece& window_;
  const engine::ReferenceColours* references_;
  std::atomic<bool>& stop_;
  Failure failure_;
  Queue decoded_{8}, colorized_{8};
  std::atomic<long> frames_done_{0};
  std::atomic<bool> encoder_done_{false};
  std::atomic<int64_t> last_pts_{0};
};

// Runs the three stages over `window` and reports progress against `total`.
void run_stages(const Options& o, engine::Colorizer& colorizer, media::Input& input, media::Output& output,
                const Piece& window, const engine::ReferenceColours* references,
                const ProgressSnapshot& total, std::atomic<bool>& stop, Progress& progress) {
  Transcode t(o, colorizer, input, output, window, references, stop);
  std::thread decode_thread([&] { t.decode(); });
  std::thread colorize_thread([&] { t.colorize(); });
  std::thread encode_thread([&] { t.encode(); });
  t.report(progress, total);
  decode_thread.join();
  colorize_thread.join();
  encode_thread.join();
  t.finish(progress, total);
}

media::InputOptions input_options(const Options& o, const engine::Colorizer& colorizer,
                                  const std::atomic<bool>& stop) {
  media::InputOptions in = input_of(o);
  in.hwaccel = o.hwaccel;
  // NVDEC's frames straight to the engine's kernels, unless the preview needs the input on the host.
  in.keep_cuda_frames = colorizer.reads_cuda_frames() && !o.preview;
  in.interrupt = &stop;
  return in;
}

media::OutputOptions output_options(const Options& o, const media::Input& input) {
  media::OutputOptions out;
  out.format = o.output_format;
  out.video_codec = o.video_codec;
  out.pixel_format = o.pixel_format;
  out.codec_options = o.codec_options;
  out.width = input.decoder()->width * (o.preview ? 2 : 1);
  out.height = input.decoder()->height;
  return out;
}

}  // namespace

media::InputOptions input_of(const Options& o) {
  media::InputOptions in;
  in.url = o.input;
  in.format = o.input_format;
  return in;
}

long transcode(const Options& o, engine::Colorizer& colorizer, const Destination& destination,
               std::atomic<bool>& stop, Progress& progress) {
  // References first: a picture that cannot be read stops the job before the output is touched.
  const auto references = read_references(o, stop);
  if (stop) return 0;
  media::InputOptions in_options = input_options(o, colorizer, stop);
  in_options.start_seconds = o.start;
  in_options.duration_seconds = o.duration;
  media::Input input(in_options);

  media::OutputOptions out_options = output_options(o, input);
  // The final name tells the format by its extension (the temporary one ends in .part).
  out_options.path = destination.kind == Destination::Kind::File ? destination.path : destination.url;
  out_options.url = destination.url;
  media::Output output(out_options, input);

  ProgressSnapshot total;
  if (o.duration) {
    total.total_seconds = *o.duration;
  } else if (input.format()->duration > 0) {
    total.total_seconds = static_cast<double>(input.format()->duration) / AV_TIME_BASE - o.start;
  }
  run_stages(o, colorizer, input, output, Piece{}, references.get(), total, stop, progress);
  return output.frames_written();
}

long transcode_piece(const Options& o, engine::Colorizer& colorizer, const Piece& piece,
                     const std::string& path, const std::string& url,
                     const std::map<std::string, std::string>& metadata, std::atomic<bool>& stop,
                     Progress& progress) {
  media::InputOptions in_options = input_options(o, colorizer, stop);
  in_options.seek_seconds = piece.seek_seconds;
  media::Input input(in_options);

  media::OutputOptions out_options = output_options(o, input);
  out_options.path = path;
  out_options.url = url;
  // NUT keeps any codec and exact timestamps; the encoder is opened as the film's container wants it.
  out_options.format = "nut";
  out_options.encode_for = media::guess_output_format(o.output_format, o.output);
  out_options.video_only = true;
  out_options.metadata = metadata;
  media::Output output(out_options, input);

  const AVRational tb = input.video_stream()->time_base;
  const double from = static_cast<double>(std::max<int64_t>(piece.write_from, 0)) * av_q2d(tb);
  ProgressSnapshot total;
  if (piece.write_until != std::numeric_limits<int64_t>::max())
    total.total_seconds = static_cast<double>(piece.write_until) * av_q2d(tb) - from;
  else if (input.format()->duration > 0)
    total.total_seconds = static_cast<double>(input.format()->duration) / AV_TIME_BASE - from;
  run_stages(o, colorizer, input, output, piece, nullptr, total, stop, progress);
  if (!stop && output.frames_written() != piece.frames)
    throw media::MediaError("piece " + std::to_string(piece.index) + " of " + std::to_string(piece.count) +
                            ": " + std::to_string(output.frames_written()) + " frames decoded where '" +
                            o.input + "' has " + std::to_string(piece.frames) +
                            " in its range (the input cannot be cut exactly there)");
  return output.frames_written();
}

}  // namespace colorize::cli
