#include "media/input.hpp"

extern "C" {
#include <libavdevice/avdevice.h>
#include <libavutil/hwcontext.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>

#include "media/frame_adapter.hpp"

namespace colorize::media {
namespace {

int interrupt_callback(void* opaque) {
  const auto* flag = static_cast<const std::atomic<bool>*>(opaque);
  return flag != nullptr && flag->load() ? 1 : 0;
}

// AV_CUDA_USE_PRIMARY_CONTEXT of libavutil/hwcontext_cuda.h, whose header needs CUDA's own cuda.h.
constexpr int kCudaUsePrimaryContext = 1 << 0;

// The decoder's format choice: CUDA frames when offered, else its first software format (FFmpeg then
// decodes on the CPU, as ffmpeg's -hwaccel does when the hardware cannot take a stream).
AVPixelFormat prefer_cuda(AVCodecContext*, const AVPixelFormat* offered) {
  for (const AVPixelFormat* p = offered; *p != AV_PIX_FMT_NONE; ++p)
    if (*p == AV_PIX_FMT_CUDA) return *p;
  for (const AVPixelFormat* p = offered; *p != AV_PIX_FMT_NONE; ++p) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(*p);
    if (d != nullptr && !(d->flags & AV_PIX_FMT_FLAG_HWACCEL)) return *p;
  }
  return AV_PIX_FMT_NONE;
}

}  // namespace

Input::Input(const InputOptions& options)
    : keep_cuda_frames_(options.keep_cuda_frames),
      duration_(options.duration_seconds),
      interrupt_(options.interrupt),
      url_(options.url) {
  static const bool devices_registered = [] {
    avdevice_register_all();
    return true;
  }();
  (void)devices_registered;

  const AVInputFormat* forced = nullptr;
  if (!options.format.empty()) {
    forced = av_find_input_format(options.format.c_str());
    if (forced == nullptr) throw MediaError("unknown input format '" + options.format + "'");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) throw MediaError("out of memory");
  raw->interrupt_callback = {interrupt_callback, const_cast<std::atomic<bool>*>(options.interrupt)};
  // avformat_open_input frees the context itself on failure.
  // "-" is standard input, as in ffmpeg.
  const std::string open_url = url_ == "-" ? "pipe:0" : url_;
  check(avformat_open_input(&raw, open_url.c_str(), forced, nullptr), "cannot open input '" + url_ + "'");
  format_.reset(raw);
  check(avformat_find_stream_info(format_.get(), nullptr),
        "cannot read stream information of '" + url_ + "'");

  const AVCodec* codec = nullptr;
  video_index_ = av_find_best_stream(format_.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (video_index_ == AVERROR_STREAM_NOT_FOUND) throw MediaError("'" + url_ + "' has no video stream");
  if (video_index_ == AVERROR_DECODER_NOT_FOUND || codec == nullptr)
    throw MediaError("'" + url_ + "': no decoder for its video codec");
  check(video_index_, "cannot select the video stream of '" + url_ + "'");

  decoder_.reset(avcodec_alloc_context3(codec));
  if (!decoder_) throw MediaError("out of memory");
  AVStream* st = video_stream();
  check(avcodec_parameters_to_context(decoder_.get(), st->codecpar), "cannot configure the video decoder");
  decoder_->pkt_timebase = st->time_base;
  decoder_->thread_count = options.decoder_threads;
  if (options.hwaccel == "cuda") {
    const std::string why_not = use_cuda_decoding(codec);
    if (!why_not.empty())
      av_log(nullptr, AV_LOG_WARNING, "colorize: -hwaccel cuda: %s; decoding on the CPU\n", why_not.c_str());
  } else if (!options.hwaccel.empty() && options.hwaccel != "none") {
    throw MediaError("-hwaccel: '" + options.hwaccel + "' is not cuda or none");
  }
  check(avcodec_open2(decoder_.get(), codec, nullptr),
        std::string("cannot open the ") + codec->name + " decoder");

  start_time_ = format_->start_time == AV_NOPTS_VALUE ? 0 : format_->start_time;
  if (options.start_seconds > 0) {
    const int64_t target =
        start_time_ + static_cast<int64_t>(std::llround(options.start_seconds * AV_TIME_BASE));
    // Seek to the keyframe at or before the target; frames before it are decoded and dropped later.
    check(avformat_seek_file(format_.get(), -1, INT64_MIN, target, target, 0),
          "cannot seek to " + std::to_string(options.start_seconds) + " s in '" + url_ + "'");
    start_time_ = target;
    trims_start_ = true;
  } else if (options.seek_seconds > 0) {
    const int64_t target =
        start_time_ + static_cast<int64_t>(std::llround(options.seek_seconds * AV_TIME_BASE));
    check(avformat_seek_file(format_.get(), -1, INT64_MIN, target, target, 0),
          "cannot seek to " + std::to_string(options.seek_seconds) + " s in '" + url_ + "'");
  }
}

std::string Input::use_cuda_decoding(const AVCodec* codec) {
  bool supported = false;
  for (int i = 0;; ++i) {
    const AVCodecHWConfig* config = avcodec_get_hw_config(codec, i);
    if (config == nullptr) break;
    supported = supported || (config->device_type == AV_HWDEVICE_TYPE_CUDA &&
                              (config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX));
  }
  if (!supported) return std::string("the ") + codec->name + " decoder has no NVDEC path";
  AVBufferRef* device = nullptr;
  // The primary context: the one the CUDA runtime (LibTorch, the engine's kernels) uses too.
  const int ret =
      av_hwdevice_ctx_create(&device, AV_HWDEVICE_TYPE_CUDA, nullptr, nullptr, kCudaUsePrimaryContext);
  if (ret < 0) return "no CUDA device (" + av_error_text(ret) + ")";
  hw_device_.reset(device);
  decoder_->hw_device_ctx = av_buffer_ref(device);
  if (decoder_->hw_device_ctx == nullptr) throw MediaError("out of memory");
  // Frames kept in GPU memory wait in the CLI's queue and batch (up to 8 + 8) while NVDEC goes on.
  if (keep_cuda_frames_) decoder_->extra_hw_frames = 24;
  decoder_->get_format = prefer_cuda;
  return "";
}

bool Input::read(AVPacket* packet) {
  const int ret = av_read_frame(format_.get(), packet);
  if (ret == AVERROR_EOF) return false;
  check(ret, "cannot read from '" + url_ + "'");
  return true;
}

bool Input::past_end(int64_t t, AVRational time_base) const {
  return duration_ && t != AV_NOPTS_VALUE &&
         static_cast<double>(t) * av_q2d(time_base) - static_cast<double>(start_time_) / AV_TIME_BASE >=
             *duration_;
}

long Input::run(const std::function<bool(AVFrame*)>& on_frame,
                const std::function<void(AVPacket*)>& on_packet) {
  const AVRational video_tb = video_stream()->time_base;
  const int64_t video_offset = av_rescale_q(start_time_, AV_TIME_BASE_Q, video_tb);
  long frames = 0;
  bool more = true;  // false once on_frame or the range's end says stop
  // Video frames: pts relative to the range's start; those before a -ss point were decoded only to
  // reach it.
  const auto in_range = [&](AVFrame* frame) {
    const int64_t ts = frame->best_effort_timestamp;
    if (past_end(ts, video_tb)) return more = false;
    frame->pts = ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : ts - video_offset;
    if (trims_start_ && frame->pts != AV_NOPTS_VALUE && frame->pts < 0) return true;
    ++frames;
    return more = on_frame(frame);
  };
  const auto interrupted = [&] { return interrupt_ != nullptr && interrupt_->load(); };
  PacketPtr packet = make_packet();
  while (more && !interrupted() && read(packet.get())) {
    if (packet->stream_index == video_index_ && on_frame) {
      decode(packet.get(), in_range);
    } else if (on_packet) {
      // Other streams (and the video when it is not decoded): shifted to the range's start as the
      // decoded video is; after a -ss what precedes it is
      // dropped, without one every packet is kept (encoder priming, negative timestamps, included).
      const AVRational tb = format_->streams[packet->stream_index]->time_base;
      const int64_t t = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      const int64_t offset = av_rescale_q(start_time_, AV_TIME_BASE_Q, tb);
      if (!past_end(t, tb) && !(trims_start_ && t != AV_NOPTS_VALUE && t - offset < 0)) {
        if (packet->pts != AV_NOPTS_VALUE) packet->pts -= offset;
        if (packet->dts != AV_NOPTS_VALUE) packet->dts -= offset;
        on_packet(packet.get());
      }
    }
    av_packet_unref(packet.get());
  }
  if (!on_frame) return 0;
  if (more && !interrupted()) decode(nullptr, in_range);
  if (frames == 0 && !interrupted()) throw MediaError("no video frame could be decoded from '" + url_ + "'");
  return frames;
}

void Input::decode(const AVPacket* packet, const std::function<bool(AVFrame*)>& on_frame) {
  int ret = avcodec_send_packet(decoder_.get(), packet);
  // A damaged packet is reported and skipped, as ffmpeg does; the end of the stream is not an error.
  if (ret == AVERROR_INVALIDDATA) {
    av_log(nullptr, AV_LOG_WARNING, "colorize: skipping an undecodable video packet in '%s'\n", url_.c_str());
    return;
  }
  if (ret != AVERROR_EOF) check(ret, "cannot decode video of '" + url_ + "'");
  while (true) {
    ret = avcodec_receive_frame(decoder_.get(), frame_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    if (ret == AVERROR_INVALIDDATA) {
      av_log(nullptr, AV_LOG_WARNING, "colorize: skipping an undecodable video frame in '%s'\n",
             url_.c_str());
      continue;
    }
    check(ret, "cannot decode video of '" + url_ + "'");
    sanitize_colour_tags(*frame_);
    AVFrame* decoded = frame_.get();
    if (frame_->hw_frames_ctx != nullptr && !(keep_cuda_frames_ && view_of(*frame_))) {
      // NVDEC's frame, in GPU memory: brought to host memory (NV12 or P010) for the rest of the pipeline.
      check(av_hwframe_transfer_data(host_frame_.get(), frame_.get(), 0), "cannot download a decoded frame");
      check(av_frame_copy_props(host_frame_.get(), frame_.get()), "cannot copy frame properties");
      decoded = host_frame_.get();
    }
    const bool go_on = on_frame(decoded);
    av_frame_unref(host_frame_.get());
    av_frame_unref(frame_.get());
    if (!go_on) return;
  }
}

}  // namespace colorize::media
