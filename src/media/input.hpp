// Demuxing and video decoding of anything libavformat opens: files, URLs, image files and capture
// devices (libavdevice). The canonical sequence of FFmpeg's doc/examples/demux_decode.c, with RAII:
// read, decode, flush at the end, and the -ss/-t range cut exactly, in one place for every caller.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "media/av_util.hpp"

namespace colorize::media {

struct InputOptions {
  std::string url;
  std::string format;                      // -f: force a demuxer or device (v4l2, lavfi, ...); empty: probe
  double start_seconds = 0;                // -ss: seek before decoding, then drop what precedes it exactly
  std::optional<double> duration_seconds;  // -t: nothing at or after start + duration is handed on
  // Pre-roll for a piece of a long film: seek to the keyframe at or before this time (seconds from the
  // input's start) but keep the input's timeline and hand on every frame decoded from there; the caller
  // picks what it needs. Not together with start_seconds.
  double seek_seconds = 0;
  int decoder_threads = 0;  // 0: FFmpeg decides
  // -hwaccel: "cuda" decodes with NVDEC where the codec and the machine allow, else (with a warning that
  // says why) on the CPU; empty or "none": the CPU.
  std::string hwaccel;
  // With -hwaccel cuda: NVDEC's frames are handed on as they are, in GPU memory, when their format is
  // one the colour code reads (NV12: 8-bit 4:2:0), for an engine that reads CUDA frames; other formats
  // (P010, 4:4:4) are downloaded as before.
  bool keep_cuda_frames = false;
  const std::atomic<bool>* interrupt = nullptr;  // stops blocking reads (live devices) when set
};

class Input {
 public:
  explicit Input(const InputOptions& options);

  AVFormatContext* format() const { return format_.get(); }
  AVStream* video_stream() const { return format_->streams[video_index_]; }
  int video_index() const { return video_index_; }
  AVCodecContext* decoder() const { return decoder_.get(); }

  // Reads the input to its end, or until on_frame returns false or the interrupt flag is set, and
  // decodes its video stream, the decoder flushed at the end. Every video frame of the selected range
  // goes to on_frame, its pts relative to the range's start (in the stream's time base), in host memory
  // (frames NVDEC decoded are downloaded first) unless InputOptions::keep_cuda_frames says otherwise;
  // every packet of another stream that starts within the range, to on_packet when given. Returns the
  // frames handed on; throws MediaError when the input ended without a single one.
  // Without on_frame the video is not decoded: its packets go to on_packet like every other stream's
  // (timestamps shifted the same way), for reading a film's timeline or copying its other streams.
  long run(const std::function<bool(AVFrame*)>& on_frame,
           const std::function<void(AVPacket*)>& on_packet = {});

 private:
  // Reads the next packet of any stream; false at the end of the input.
  bool read(AVPacket* packet);
  // Sends a video packet (nullptr at the end) and hands every frame it completes to on_frame, until it
  // returns false.
  void decode(const AVPacket* packet, const std::function<bool(AVFrame*)>& on_frame);
  // Whether a time (in `time_base` units, absolute) lies at or past the end of the selected range.
  bool past_end(int64_t t, AVRational time_base) const;

  // Sets up NVDEC decoding; returns why it cannot ("" when it can).
  std::string use_cuda_decoding(const AVCodec* codec);

  InputFormatPtr format_;
  CodecContextPtr decoder_;
  BufferPtr hw_device_;
  FramePtr frame_ = make_frame();
  FramePtr host_frame_ = make_frame();
  int video_index_ = -1;
  int64_t start_time_ = 0;    // of the selected range, AV_TIME_BASE units: the -ss point or the file's start
  bool trims_start_ = false;  // -ss moved the start: what precedes it is decoded, not handed on
  bool keep_cuda_frames_ = false;
  std::optional<double> duration_;
  const std::atomic<bool>* interrupt_ = nullptr;
  std::string url_;
};

}  // namespace colorize::media
