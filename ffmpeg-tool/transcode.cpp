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

// What flows between the threads, in input order: decoded or colorized frames, and packets of the
// streams that are copied.
using Item = std::variant<media::FramePtr, media::PacketPtr>;
using Queue = util::BoundedQueue<Item>;

// The first error of any thread wins; it stops the others.
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

}  // namespace

long transcode(const Options& o, const std::string& model_path, const std::string& temp_path,
               std::atomic<bool>& stop, Progress& progress) {
  engine::ColorizerOptions engine_options = o.engine;
  engine_options.model_path = model_path;
  engine::Colorizer colorizer(engine_options);
  const int batch = o.batch > 0 ? o.batch : (colorizer.on_cuda() ? 8 : 1);

  media::InputOptions in_options;
  in_options.url = o.input;
  in_options.format = o.input_format;
  in_options.hwaccel = o.hwaccel;
  // NVDEC's frames straight to the engine's kernels, unless the preview needs the input on the host.
  in_options.keep_cuda_frames = colorizer.reads_cuda_frames() && !o.preview;
  in_options.start_seconds = o.start;
  in_options.interrupt = &stop;
  media::Input input(in_options);
  const AVStream* video = input.video_stream();
  const AVRational tb = video->time_base;

  media::OutputOptions out_options;
  out_options.path = o.output;
  out_options.temp_path = temp_path;
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
  std::atomic<long> frames_done{0};
  std::atomic<bool> encoder_done{false};
  std::atomic<int64_t> last_pts{0};

  Queue decoded(8), colorized(8);
  Failure failure(stop);
  const int64_t offset = av_rescale_q(input.start_time(), AV_TIME_BASE_Q, tb);
  const bool trim_start = input.trims_start();

  std::thread decode_thread([&] {
    try {
      long frames = 0;
      bool past_end = false;
      const auto on_frame = [&](AVFrame* frame) {
        const int64_t ts = frame->best_effort_timestamp;
        int64_t pts = ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : ts - offset;
        if (trim_start && pts != AV_NOPTS_VALUE && pts < 0) return;  // decoded only to reach the -ss point
        if (o.duration && pts != AV_NOPTS_VALUE && static_cast<double>(pts) * av_q2d(tb) >= *o.duration) {
          past_end = true;
          return;
        }
        if (past_end) return;
        media::FramePtr copy(av_frame_clone(frame));
        if (!copy) throw media::MediaError("out of memory");
        copy->pts = pts;
        ++frames;
        decoded.push(std::move(copy));
      };
      media::PacketPtr packet = media::make_packet();
      while (!stop && !past_end && input.read(packet.get())) {
        if (packet->stream_index == input.video_index()) {
          input.decode(packet.get(), on_frame);
        } else if (output.copies(packet->stream_index)) {
          const AVRational ptb = input.format()->streams[packet->stream_index]->time_base;
          const int64_t t = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
          const double seconds = t == AV_NOPTS_VALUE
                                     ? 0.0
                                     : static_cast<double>(t) * av_q2d(ptb) -
                                           static_cast<double>(input.start_time()) / AV_TIME_BASE;
          if (!o.duration || seconds < *o.duration)
            decoded.push(media::PacketPtr(av_packet_clone(packet.get())));
        }
        av_packet_unref(packet.get());
      }
      if (!stop) input.decode(nullptr, on_frame);
      if (!stop && frames == 0)
        throw media::MediaError("no video frame could be decoded from '" + o.input + "'");
    } catch (...) {
      failure.record(std::current_exception());
      colorized.close();
    }
    decoded.close();
  });

  std::thread colorize_thread([&] {
    try {
      FrameStage stage(colorizer, *output.encoder(), o.preview);
      std::vector<media::FramePtr> pending;
      const auto flush = [&] {
        if (pending.empty()) return;
        for (auto& f : stage.send(pending)) colorized.push(std::move(f));
        pending.clear();
      };
      while (auto item = decoded.pop()) {
        if (stop) break;
        if (auto* frame = std::get_if<media::FramePtr>(&*item)) {
          pending.push_back(std::move(*frame));
          if (static_cast<int>(pending.size()) >= batch) flush();
        } else {
          colorized.push(std::move(*item));
        }
      }
      if (!stop) {
        flush();
        for (auto& f : stage.flush()) colorized.push(std::move(f));
      }
    } catch (...) {
      failure.record(std::current_exception());
      decoded.close();
    }
    colorized.close();
  });

  std::thread encode_thread([&] {
    try {
      while (auto item = colorized.pop()) {
        if (stop) break;
        if (auto* frame = std::get_if<media::FramePtr>(&*item)) {
          last_pts.store((*frame)->pts);
          output.write_video(frame->get());
          frames_done.fetch_add(1);
        } else {
          output.write_copy(std::get<media::PacketPtr>(*item).get());
        }
      }
      if (!stop) output.finish();
    } catch (...) {
      failure.record(std::current_exception());
      decoded.close();
      colorized.close();
    }
    encoder_done = true;
  });

  const auto snapshot = [&] {
    ProgressSnapshot s = total;
    s.frames = frames_done.load();
    s.media_seconds = static_cast<double>(last_pts.load()) * av_q2d(tb);
    return s;
  };
  // The main thread reports progress, twice a second, until the encoder thread is done.
  for (int tick = 1; !encoder_done.load(); ++tick) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (tick % 5 == 0 && !stop) progress.update(snapshot());
  }
  decode_thread.join();
  colorize_thread.join();
  encode_thread.join();
  failure.rethrow();
  if (!stop) progress.finish(snapshot());
  return output.frames_written();
}

}  // namespace colorize::cli
