#include "ffmpeg-tool/long_film.hpp"

#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

extern "C" {
#include <libavutil/parseutils.h>
}

#include "engine/settings.hpp"
#include "ffmpeg-tool/pieces.hpp"
#include "ffmpeg-tool/transcode.hpp"
#include "media/output.hpp"
#include "util/bounded_queue.hpp"

namespace colorize::cli {
namespace {

namespace fs = std::filesystem;

std::string of(int index, int count) { return std::to_string(index) + " of " + std::to_string(count); }

// Removes a temporary file unless it was kept (renamed into place).
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  ~TemporaryFile() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  void rename_to(const std::string& path) {
    fs::rename(path_, path);
    path_.clear();
  }

 private:
  std::string path_;
};

std::uintmax_t size_of(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

// The job a piece belongs to: the input (its name, size and frames), the cut, and every option that
// changes the pieces' pixels or encoding. Machines of one job may differ in paths, threads and device.
std::string job_record(const Options& o, const std::string& model, const Timeline& t, int count) {
  std::ostringstream r;
  r << "input=" << fs::path(o.input).filename().string() << " bytes=" << size_of(o.input)
    << " frames=" << t.pts.size() << " pieces=" << count << " model=" << fs::path(model).filename().string()
    << " model_bytes=" << size_of(model);
  for (const engine::Setting& setting : engine::settings()) {
    const std::string name = setting.name;
    // The model is named above by its file; device and threads change no pixel that matters.
    if (name != "model" && name != "device" && name != "threads")
      r << " " << name << "=" << setting.get(o.engine);
  }
  r << " container=" << media::guess_output_format(o.output_format, o.output)->name
    << " c:v=" << o.video_codec << " pix_fmt=" << o.pixel_format;
  for (const auto& [key, value] : o.codec_options) r << " " << key << "=" << value;
  return r.str();
}

// A piece's file opened for reading: its record and its video packets.
class PieceFile {
 public:
  explicit PieceFile(const std::string& path) {
    AVFormatContext* raw = nullptr;
    media::check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "cannot open '" + path + "'");
    format_.reset(raw);
    media::check(avformat_find_stream_info(raw, nullptr), "cannot read '" + path + "'");
    if (raw->nb_streams != 1 || raw->streams[0]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO)
      throw media::MediaError("'" + path + "' is not a piece (it should hold one video stream)");
  }
  std::string record(const char* key) const {
    const AVDictionaryEntry* e = av_dict_get(format_->metadata, key, nullptr, 0);
    return e != nullptr ? e->value : "";
  }
  const AVStream* video() const { return format_->streams[0]; }
  // The time base the piece's encoder had (its container keeps a finer one).
  AVRational encoder_time_base() const {
    const AVDictionaryEntry* e = av_dict_get(video()->metadata, media::kEncoderTimeBaseKey, nullptr, 0);
    AVRational tb{0, 1};
    if (e == nullptr || av_parse_ratio(&tb, e->value, 1 << 30, 0, nullptr) < 0 || tb.num <= 0 || tb.den <= 0)
      return video()->time_base;
    return tb;
  }
  bool read(AVPacket* packet) {
    const int ret = av_read_frame(format_.get(), packet);
    if (ret == AVERROR_EOF) return false;
    media::check(ret, "cannot read a piece");
    return true;
  }

 private:
  media::InputFormatPtr format_;
};

// Why the file at `path` is not finished piece `piece` of job `job` ("" when it is).
std::string problem_with(const fs::path& path, const Piece& piece, const std::string& job) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "missing ('" + path.string() + "')";
  try {
    const PieceFile file(path.string());
    if (file.record(kPieceKey) != std::to_string(piece.index) + "/" + std::to_string(piece.count) ||
        file.record(kJobKey) != job)
      return "'" + path.string() + "' was made by another job (" + file.record(kJobKey) + ")";
    if (file.record(kFramesKey) != std::to_string(piece.frames))
      return "'" + path.string() + "' holds " + file.record(kFramesKey) + " frames, not " +
             std::to_string(piece.frames);
  } catch (const media::MediaError& e) {
    return e.what();
  }
  return "";
}

int warm_up_frames(const Options& o) {
  return o.engine.temporal == engine::TemporalSmoothing::Off ? 0 : kWarmUpFrames;
}

// Colours one piece into the work directory, unless it is finished already.
long colour_piece(const Options& o, const Timeline& timeline, int index, int count, const std::string& job,
                  const std::function<engine::Colorizer&()>& colorizer, std::atomic<bool>& stop,
                  Progress& progress) {
  const Piece piece = plan_piece(timeline, index, count, warm_up_frames(o));
  const fs::path dir = work_dir_of(o);
  fs::create_directories(dir);
  const fs::path path = dir / piece_file_name(index, count);
  if (problem_with(path, piece, job).empty()) {
    if (o.log_level >= AV_LOG_INFO)
      std::cerr << "colorize: piece " << of(index, count) << " is finished already ('" << path.string()
                << "')\n";
    return 0;
  }
  TemporaryFile part(path.string() + ".part");
  const std::map<std::string, std::string> record{
      {kPieceKey, std::to_string(index) + "/" + std::to_string(count)},
      {kJobKey, job},
      {kFramesKey, std::to_string(piece.frames)}};
  const long frames =
      transcode_piece(o, colorizer(), piece, path.string(), path.string() + ".part", record, stop, progress);
  if (stop) return frames;
  part.rename_to(path.string());
  if (o.log_level >= AV_LOG_INFO)
    std::cerr << "colorize: piece " << of(index, count) << ": " << frames << " frames written to '"
              << path.string() << "'\n";
  return frames;
}

bool same_encoding(const AVStream* a, const AVStream* b) {
  const AVCodecParameters* p = a->codecpar;
  const AVCodecParameters* q = b->codecpar;
  return p->codec_id == q->codec_id && p->width == q->width && p->height == q->height &&
         p->format == q->format && p->extradata_size == q->extradata_size &&
         (p->extradata_size == 0 || std::memcmp(p->extradata, q->extradata, p->extradata_size) == 0) &&
         av_cmp_q(a->time_base, b->time_base) == 0;
}

// Makes the pieces' packets one stream: each piece moved onto the film's timeline (a container may have
// shifted it), decoding timestamps the container did not keep restored, and kept increasing across joins.
class VideoTimestamps {
 public:
  // The frames' times as the encoder had them (rounded to its time base, as media::Output does), in
  // `time_base`, the packets'.
  VideoTimestamps(const Timeline& timeline, AVRational encoder_time_base, AVRational time_base) {
    for (int64_t t : timeline.pts)
      pts_.push_back(
          av_rescale_q(av_rescale_q(t, timeline.time_base, encoder_time_base), encoder_time_base, time_base));
  }
  // A piece begins whose first frame is the film's frame `first_frame`.
  void start_piece(long first_frame) {
    expected_first_ = pts_.at(first_frame);
    shift_ = AV_NOPTS_VALUE;
    leading_ = true;
  }
  // Puts the piece's next packet (in decoding order) on the film's timeline; packets whose decoding
  // time was not kept wait in `held` until one with a decoding time arrives or the piece ends.
  void place(media::PacketPtr packet, std::vector<media::PacketPtr>& ready) {
    if (shift_ == AV_NOPTS_VALUE) shift_ = expected_first_ - packet->pts;  // the first frame shows first
    packet->pts += shift_;
    if (packet->dts != AV_NOPTS_VALUE) {
      packet->dts += shift_;
      release_held(ready);
      ready.push_back(finish(std::move(packet)));
    } else {
      held_.push_back(std::move(packet));
    }
  }
  void end_piece(std::vector<media::PacketPtr>& ready) { release_held(ready); }

 private:
  // A demuxer that stores no decoding times (NUT) cannot give them for a piece's first `d` packets, d
  // being the encoder's reordering delay; the encoder had given packet i the presentation time of the
  // film's frame i - d (as x264 does, extrapolated before the first frame).
  void release_held(std::vector<media::PacketPtr>& ready) {
    const auto d = static_cast<long>(held_.size());
    const long base = placed_;
    for (long j = 0; j < d; ++j) {
      const long i = base + j - d;
      auto& p = held_[j];
      if (leading_)
        p->dts = i >= 0 ? pts_[i] : pts_[0] - (-i) * (pts_.size() > 1 ? pts_[1] - pts_[0] : 1);
      else  // a gap inside a piece: the next step after the last (finish() keeps it increasing)
        p->dts = last_dts_;
      ready.push_back(finish(std::move(p)));
    }
    held_.clear();
    leading_ = false;
  }
  media::PacketPtr finish(media::PacketPtr p) {
    if (last_dts_ != AV_NOPTS_VALUE && p->dts <= last_dts_) p->dts = last_dts_ + 1;
    if (p->pts != AV_NOPTS_VALUE && p->dts > p->pts)
      throw media::MediaError("the pieces' timestamps cannot be joined (a decoding time after its frame's)");
    last_dts_ = p->dts;
    ++placed_;
    return p;
  }

  std::vector<int64_t> pts_;
  int64_t expected_first_ = 0, shift_ = AV_NOPTS_VALUE, last_dts_ = AV_NOPTS_VALUE;
  long placed_ = 0;
  bool leading_ = true;
  std::vector<media::PacketPtr> held_;
};

// The pieces' video and the input's other streams, interleaved by time, into the destination.
long join_pieces(const Options& o, const Timeline& timeline, int count, const std::string& job,
                 const Destination& destination, std::atomic<bool>& stop) {
  const fs::path dir = work_dir_of(o);
  std::vector<Piece> pieces;
  std::string problems;
  bool missing = false;
  for (int k = 1; k <= count; ++k) {
    pieces.push_back(plan_piece(timeline, k, count, 0));
    const std::string problem = problem_with(dir / piece_file_name(k, count), pieces.back(), job);
    if (problem.empty()) continue;
    missing = missing || problem.rfind("missing", 0) == 0;
    problems += "\n  piece " + of(k, count) + ": " + problem;
  }
  if (!problems.empty())
    throw media::MediaError("cannot join the pieces in '" + dir.string() + "':" + problems +
                            (missing ? "\n(colour what is missing with --segment K/" + std::to_string(count) +
                                           ", or run --segments " + std::to_string(count) + ")"
                                     : ""));
  // Encoded alike, or their packets cannot make one stream: checked before anything is written too.
  const PieceFile first((dir / piece_file_name(1, count)).string());
  for (int k = 2; k <= count; ++k)
    if (!same_encoding(PieceFile((dir / piece_file_name(k, count)).string()).video(), first.video()))
      throw media::MediaError("cannot join: piece " + of(k, count) +
                              " was encoded differently from piece 1 (another encoder build or options)");

  media::InputOptions in_options = input_of(o);
  in_options.interrupt = &stop;
  media::Input input(in_options);
  media::OutputOptions out_options;
  out_options.path = destination.kind == Destination::Kind::File ? destination.path : destination.url;
  out_options.url = destination.url;
  out_options.format = o.output_format;
  media::Output output(out_options, input,
                       {first.video()->codecpar, first.video()->time_base, first.encoder_time_base()});

  // The input's other streams, read on their own thread, wait here for their time to come.
  struct Abandoned {};
  util::BoundedQueue<media::PacketPtr> others(256);
  std::exception_ptr reader_error;
  std::thread reader([&] {
    try {
      input.run({}, [&](AVPacket* packet) {
        if (!output.copies(packet->stream_index)) return;
        media::PacketPtr copy(av_packet_clone(packet));
        if (!copy) throw media::MediaError("out of memory");
        if (!others.push(std::move(copy))) throw Abandoned{};
      });
    } catch (const Abandoned&) {
    } catch (...) {
      reader_error = std::current_exception();
    }
    others.close();
  });
  struct Joiner {
    std::thread& t;
    util::BoundedQueue<media::PacketPtr>& q;
    ~Joiner() {
      q.close();
      t.join();
    }
  } joiner{reader, others};

  const AVRational tb = first.video()->time_base;
  std::optional<media::PacketPtr> other = others.pop();
  // Writes the other streams' packets due up to `video` (every one that is left when nullptr).
  const auto write_others = [&](const AVPacket* video) {
    while (other) {
      const AVPacket& p = **other;
      const int64_t t = p.dts != AV_NOPTS_VALUE ? p.dts : p.pts;
      if (video != nullptr && t != AV_NOPTS_VALUE &&
          av_compare_ts(t, input.format()->streams[p.stream_index]->time_base, video->dts, tb) > 0)
        return;
      output.write_copy(other->get());
      other = others.pop();
    }
  };
  VideoTimestamps timestamps(timeline, first.encoder_time_base(), tb);
  long first_frame = 0;
  std::vector<media::PacketPtr> ready;
  for (const Piece& piece : pieces) {
    const std::string path = (dir / piece_file_name(piece.index, count)).string();
    PieceFile file(path);
    timestamps.start_piece(first_frame);
    long frames = 0;
    for (media::PacketPtr packet = media::make_packet(); !stop && file.read(packet.get());
         packet = media::make_packet()) {
      ++frames;
      timestamps.place(std::move(packet), ready);
      for (auto& p : ready) {
        write_others(p.get());
        output.write_video_packet(p.get());
      }
      ready.clear();
    }
    if (stop) return output.frames_written();
    timestamps.end_piece(ready);
    for (auto& p : ready) {
      write_others(p.get());
      output.write_video_packet(p.get());
    }
    ready.clear();
    if (frames != piece.frames)
      throw media::MediaError("piece " + of(piece.index, count) + " ('" + path + "') holds " +
                              std::to_string(frames) + " frames where its record says " +
                              std::to_string(piece.frames) +
                              ": it is damaged; remove it and colour it again");
    first_frame += piece.frames;
  }
  write_others(nullptr);
  if (reader_error) std::rethrow_exception(reader_error);
  if (stop) return output.frames_written();
  output.finish();
  return output.frames_written();
}

}  // namespace

std::filesystem::path work_dir_of(const Options& o) {
  return o.work_dir.empty() ? fs::path(o.output + ".pieces") : fs::path(o.work_dir);
}

long run_pieces(const Options& o, const std::string& model_path, const Destination& destination,
                std::atomic<bool>& stop, Progress& progress) {
  const PieceJob& job = *o.pieces;
  const Timeline timeline = read_timeline(input_of(o), &stop);
  const std::string record = job_record(o, model_path, timeline, job.count);
  // The model is loaded once a piece needs colouring: a rerun whose pieces are finished goes on to the
  // join at once.
  std::unique_ptr<engine::Colorizer> loaded;
  const std::function<engine::Colorizer&()> colorizer = [&]() -> engine::Colorizer& {
    if (!loaded) {
      engine::ColorizerOptions engine_options = o.engine;
      engine_options.model_path = model_path;
      loaded = std::make_unique<engine::Colorizer>(engine_options);
    }
    return *loaded;
  };
  if (job.step == PieceJob::Step::Colour)
    return colour_piece(o, timeline, job.index, job.count, record, colorizer, stop, progress);
  if (job.step == PieceJob::Step::All)
    for (int k = 1; k <= job.count && !stop; ++k)
      colour_piece(o, timeline, k, job.count, record, colorizer, stop, progress);
  if (stop) return 0;
  const long frames = join_pieces(o, timeline, job.count, record, destination, stop);
  if (stop) return frames;
  if (destination.kind == Destination::Kind::File) fs::rename(destination.temporary_path, destination.path);
  // The film is whole: its pieces are copies of its video.
  std::error_code ec;
  const fs::path dir = work_dir_of(o);
  for (int k = 1; k <= job.count; ++k) fs::remove(dir / piece_file_name(k, job.count), ec);
  fs::remove(dir, ec);  // only when nothing else is in it
  return frames;
}

}  // namespace colorize::cli
