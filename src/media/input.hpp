// Demuxing and video decoding of anything libavformat opens: files, URLs, image files and capture
// devices (libavdevice). The canonical sequence of FFmpeg's doc/examples/demux_decode.c, with RAII.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "media/av_util.hpp"

namespace colorize::media {

struct InputOptions {
  std::string url;
  std::string format;        // -f: force a demuxer or device (v4l2, lavfi, ...); empty: probe
  double start_seconds = 0;  // -ss: seek before decoding, then drop what precedes it exactly
  int decoder_threads = 0;   // 0: FFmpeg decides
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
  // Start of the selected range in AV_TIME_BASE units (the -ss point, or the file's start time).
  int64_t start_time() const { return start_time_; }
  // True when -ss moved the start: what precedes start_time() is then decoded but not kept.
  bool trims_start() const { return trims_start_; }

  // Reads the next packet of any stream; false at the end of the input.
  bool read(AVPacket* packet);
  // Sends a video packet (nullptr at the end) and hands every frame it completes to on_frame, in host
  // memory (frames NVDEC decoded are downloaded first) unless InputOptions::keep_cuda_frames says
  // otherwise.
  void decode(const AVPacket* packet, const std::function<void(AVFrame*)>& on_frame);

 private:
  // Sets up NVDEC decoding; returns why it cannot ("" when it can).
  std::string use_cuda_decoding(const AVCodec* codec);

  InputFormatPtr format_;
  CodecContextPtr decoder_;
  BufferPtr hw_device_;
  FramePtr frame_ = make_frame();
  FramePtr host_frame_ = make_frame();
  int video_index_ = -1;
  int64_t start_time_ = 0;
  bool trims_start_ = false;
  bool keep_cuda_frames_ = false;
  std::string url_;
};

}  // namespace colorize::media
