#include "media/output.hpp"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <cstring>

#include "media/frame_adapter.hpp"

namespace colorize::media {
namespace {

const AVCodec* pick_encoder(const OutputOptions& o, const AVOutputFormat* format) {
  if (!o.video_codec.empty()) {
    const AVCodec* c = avcodec_find_encoder_by_name(o.video_codec.c_str());
    if (c == nullptr) throw MediaError("unknown encoder '" + o.video_codec + "'");
    if (c->type != AVMEDIA_TYPE_VIDEO) throw MediaError("'" + o.video_codec + "' is not a video encoder");
    return c;
  }
  const std::string name = format->name;
  if (name.find("mp4") != std::string::npos || name.find("mov") != std::string::npos ||
      name.find("matroska") != std::string::npos)
    if (const AVCodec* x264 = avcodec_find_encoder_by_name("libx264")) return x264;
  // For image2 the extension decides (.png, .jpg, ...), as in ffmpeg.
  const AVCodec* c =
      avcodec_find_encoder(av_guess_codec(format, nullptr, o.path.c_str(), nullptr, AVMEDIA_TYPE_VIDEO));
  if (c == nullptr) throw MediaError(std::string("no video encoder for the ") + format->name + " format");
  return c;
}

AVPixelFormat pick_pixel_format(const OutputOptions& o, const AVCodec* codec) {
  const AVPixelFormat* supported = codec->pix_fmts;
  if (!o.pixel_format.empty()) {
    const AVPixelFormat wanted = av_get_pix_fmt(o.pixel_format.c_str());
    if (wanted == AV_PIX_FMT_NONE) throw MediaError("unknown pixel format '" + o.pixel_format + "'");
    if (supported != nullptr) {
      bool ok = false;
      for (const AVPixelFormat* p = supported; *p != AV_PIX_FMT_NONE; ++p) ok = ok || *p == wanted;
      if (!ok)
        throw MediaError("encoder " + std::string(codec->name) + " does not take pixel format " +
                         o.pixel_format);
    }
    return wanted;
  }
  if (supported == nullptr) return AV_PIX_FMT_YUV420P;
  for (const AVPixelFormat* p = supported; *p != AV_PIX_FMT_NONE; ++p)
    if (color_format_of(*p)) return *p;
  return supported[0];  // written through libswscale
}

// The first encoder of this codec that runs on the CPU (libx264 for H.264, libx265 for HEVC, ...).
const AVCodec* cpu_encoder_for(AVCodecID id) {
  void* it = nullptr;
  while (const AVCodec* c = av_codec_iterate(&it))
    if (av_codec_is_encoder(c) && c->id == id && !(c->capabilities & AV_CODEC_CAP_HARDWARE)) return c;
  return nullptr;
}

bool is_rgb(AVPixelFormat f) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(f);
  return d != nullptr && (d->flags & AV_PIX_FMT_FLAG_RGB);
}

}  // namespace

bool Output::open_encoder(const OutputOptions& o, const AVCodec* codec, const Input& input,
                          std::string* error) {
  encoder_.reset(avcodec_alloc_context3(codec));
  if (!encoder_) throw MediaError("out of memory");
  const AVStream* in = input.video_stream();
  const AVCodecContext* dec = input.decoder();
  AVCodecContext* enc = encoder_.get();
  enc->width = o.width;
  enc->height = o.height;
  enc->pix_fmt = pick_pixel_format(o, codec);
  enc->sample_aspect_ratio =
      dec->sample_aspect_ratio.num != 0 ? dec->sample_aspect_ratio : in->sample_aspect_ratio;
  enc->time_base = in->time_base;
  enc->framerate = av_guess_frame_rate(input.format(), const_cast<AVStream*>(in), nullptr);
  if (!is_rgb(enc->pix_fmt)) {
    // The colour description of the source is kept; the engine writes with the same encoding.
    enc->colorspace = dec->colorspace;
    enc->color_primaries = dec->color_primaries;
    enc->color_trc = dec->color_trc;
    enc->chroma_sample_location = dec->chroma_sample_location;
    enc->color_range = enc->pix_fmt == AV_PIX_FMT_YUVJ420P ? AVCOL_RANGE_JPEG : dec->color_range;
  }
  enc->thread_count = o.encoder_threads;
  if (format_->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

  AVDictionary* options = nullptr;
  for (const auto& [k, v] : o.codec_options) av_dict_set(&options, k.c_str(), v.c_str(), 0);
  const int opened = avcodec_open2(enc, codec, &options);
  std::string unused;
  for (const AVDictionaryEntry* e = nullptr;
       (e = av_dict_get(options, "", e, AV_DICT_IGNORE_SUFFIX)) != nullptr;)
    unused += std::string(unused.empty() ? "" : ", ") + e->key;
  av_dict_free(&options);
  if (opened < 0) {
    *error = std::string("cannot open the ") + codec->name + " encoder: " + av_error_text(opened);
    return false;
  }
  if (!unused.empty())
    throw MediaError(std::string("encoder ") + codec->name + " does not take option(s): " + unused);
  return true;
}

Output::Output(const OutputOptions& o, const Input& input) : input_(input), path_(o.path) {
  const AVOutputFormat* guessed = nullptr;
  if (!o.format.empty()) {
    guessed = av_guess_format(o.format.c_str(), nullptr, nullptr);
    if (guessed == nullptr) throw MediaError("unknown output format '" + o.format + "'");
  } else {
    guessed = av_guess_format(nullptr, o.path.c_str(), nullptr);
    if (guessed == nullptr)
      throw MediaError("cannot tell the output format from the name '" + o.path + "'; give one with -f");
  }
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, guessed, nullptr, o.temp_path.c_str()),
        "cannot create the output");
  format_.reset(raw);
  const bool image = std::strcmp(guessed->name, "image2") == 0;

  const AVCodec* codec = pick_encoder(o, guessed);
  std::string open_error;
  if (!open_encoder(o, codec, input, &open_error)) {
    // A hardware encoder (NVENC, VAAPI, ...) that cannot open here, for want of the hardware or its
    // driver: a CPU encoder of the same codec takes over, and the log says so.
    const AVCodec* fallback =
        (codec->capabilities & AV_CODEC_CAP_HARDWARE) ? cpu_encoder_for(codec->id) : nullptr;
    if (fallback == nullptr) throw MediaError(open_error);
    av_log(nullptr, AV_LOG_WARNING, "colorize: %s; encoding with %s instead\n", open_error.c_str(),
           fallback->name);
    codec = fallback;
    if (!open_encoder(o, codec, input, &open_error)) throw MediaError(open_error);
  }
  AVCodecContext* enc = encoder_.get();

  stream_map_.assign(input.format()->nb_streams, -1);
  for (unsigned i = 0; i < input.format()->nb_streams; ++i) {
    const AVStream* src = input.format()->streams[i];
    if (static_cast<int>(i) == input.video_index()) {
      video_out_ = avformat_new_stream(format_.get(), nullptr);
      if (video_out_ == nullptr) throw MediaError("out of memory");
      check(avcodec_parameters_from_context(video_out_->codecpar, enc), "cannot describe the video stream");
      video_out_->time_base = enc->time_base;
      video_out_->avg_frame_rate = enc->framerate;
      video_out_->sample_aspect_ratio = enc->sample_aspect_ratio;
      av_dict_copy(&video_out_->metadata, src->metadata, 0);
      video_out_->disposition = src->disposition;
      // Rotation and other display side data travel as stream side data.
      for (int s = 0; s < src->nb_side_data; ++s) {
        const AVPacketSideData& sd = src->side_data[s];
        uint8_t* copy = av_stream_new_side_data(video_out_, sd.type, sd.size);
        if (copy == nullptr) throw MediaError("out of memory");
        std::memcpy(copy, sd.data, sd.size);
      }
      stream_map_[i] = video_out_->index;
      continue;
    }
    const AVMediaType type = src->codecpar->codec_type;
    if (image || (type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_SUBTITLE && type != AVMEDIA_TYPE_DATA))
      continue;
    if (avformat_query_codec(format_->oformat, src->codecpar->codec_id, FF_COMPLIANCE_NORMAL) == 0) {
      av_log(nullptr, AV_LOG_WARNING, "colorize: the %s format cannot carry stream %u (%s); it is left out\n",
             format_->oformat->name, i, avcodec_get_name(src->codecpar->codec_id));
      continue;
    }
    AVStream* dst = avformat_new_stream(format_.get(), nullptr);
    if (dst == nullptr) throw MediaError("out of memory");
    check(avcodec_parameters_copy(dst->codecpar, src->codecpar), "cannot copy stream parameters");
    dst->codecpar->codec_tag = 0;
    dst->time_base = src->time_base;
    dst->disposition = src->disposition;
    av_dict_copy(&dst->metadata, src->metadata, 0);
    stream_map_[i] = dst->index;
  }

  av_dict_copy(&format_->metadata, input.format()->metadata, 0);
  if (!image && input.format()->nb_chapters > 0) {
    auto** chapters = static_cast<AVChapter**>(av_calloc(input.format()->nb_chapters, sizeof(AVChapter*)));
    if (chapters == nullptr) throw MediaError("out of memory");
    format_->chapters = chapters;
    for (unsigned c = 0; c < input.format()->nb_chapters; ++c) {
      const AVChapter* src = input.format()->chapters[c];
      auto* dst = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
      if (dst == nullptr) throw MediaError("out of memory");
      dst->id = src->id;
      dst->time_base = src->time_base;
      dst->start = src->start;
      dst->end = src->end;
      av_dict_copy(&dst->metadata, src->metadata, 0);
      format_->chapters[format_->nb_chapters++] = dst;
    }
  }

  if (!(format_->oformat->flags & AVFMT_NOFILE))
    check(avio_open(&format_->pb, o.temp_path.c_str(), AVIO_FLAG_WRITE),
          "cannot write '" + o.temp_path + "'");
  AVDictionary* mux_options = nullptr;
  if (image) av_dict_set(&mux_options, "update", "1", 0);  // one file, not a numbered sequence
  const int header = avformat_write_header(format_.get(), &mux_options);
  av_dict_free(&mux_options);
  check(header, "cannot write the header of '" + path_ + "'");
}

bool Output::copies(int input_stream) const {
  return input_stream != input_.video_index() && input_stream >= 0 &&
         input_stream < static_cast<int>(stream_map_.size()) && stream_map_[input_stream] >= 0;
}

void Output::write_video(AVFrame* frame) {
  if (frame != nullptr) {
    // Encoders need strictly increasing timestamps; broken sources sometimes repeat one.
    if (frame->pts == AV_NOPTS_VALUE) frame->pts = last_pts_ == AV_NOPTS_VALUE ? 0 : last_pts_ + 1;
    if (last_pts_ != AV_NOPTS_VALUE && frame->pts <= last_pts_) frame->pts = last_pts_ + 1;
    last_pts_ = frame->pts;
    ++frames_;
  }
  check(avcodec_send_frame(encoder_.get(), frame), "cannot encode a video frame");
  drain_encoder();
}

void Output::drain_encoder() {
  while (true) {
    const int ret = avcodec_receive_packet(encoder_.get(), packet_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    check(ret, "cannot encode video");
    packet_->stream_index = video_out_->index;
    av_packet_rescale_ts(packet_.get(), encoder_->time_base, video_out_->time_base);
    check(av_interleaved_write_frame(format_.get(), packet_.get()), "cannot write video to '" + path_ + "'");
  }
}

void Output::write_copy(AVPacket* packet) {
  const AVStream* src = input_.format()->streams[packet->stream_index];
  AVStream* dst = format_->streams[stream_map_[packet->stream_index]];
  // Input::run() has shifted it to the range's start, as the video.
  av_packet_rescale_ts(packet, src->time_base, dst->time_base);
  packet->stream_index = dst->index;
  packet->pos = -1;
  check(av_interleaved_write_frame(format_.get(), packet), "cannot write a copied packet to '" + path_ + "'");
}

void Output::finish() {
  write_video(nullptr);
  check(av_write_trailer(format_.get()), "cannot finish '" + path_ + "'");
  if (!(format_->oformat->flags & AVFMT_NOFILE))
    check(avio_closep(&format_->pb), "cannot close '" + path_ + "'");
}

}  // namespace colorize::media
