#include "media/output.hpp"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cstring>
#include <utility>

#include "media/encoder_choice.hpp"

namespace colorize::media {
namespace {

bool is_rgb(AVPixelFormat f) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(f);
  return d != nullptr && (d->flags & AV_PIX_FMT_FLAG_RGB);
}

// FFmpeg knows for some formats which codecs they carry. Of the others, those without a default audio
// codec (gif, yuv4mpegpipe) carry video alone; for the rest the muxer decides when it starts.
enum class Carries { Yes, No, Unknown };
Carries can_carry(const AVOutputFormat* format, AVCodecID codec) {
  const int known = avformat_query_codec(format, codec, FF_COMPLIANCE_NORMAL);
  if (known >= 0) return known == 1 ? Carries::Yes : Carries::No;
  return format->audio_codec == AV_CODEC_ID_NONE ? Carries::No : Carries::Unknown;
}

// image2 writes one still image (the input's frame after frame, each replacing the last): no other
// streams, no chapters, and one file rather than a numbered sequence.
bool writes_one_image(const AVOutputFormat* muxer) { return std::strcmp(muxer->name, "image2") == 0; }

// The muxer's header, with image2 told to keep one file.
int write_header(AVFormatContext* format) {
  AVDictionary* options = nullptr;
  if (writes_one_image(format->oformat)) av_dict_set(&options, "update", "1", 0);
  const int ret = avformat_write_header(format, &options);
  av_dict_free(&options);
  return ret;
}

// Describes the video in `c` (its pix_fmt set) as the source's is described: aspect ratio, colour
// description, field order.
void describe_as_source(const Input& input, AVCodecContext* c) {
  const AVCodecContext* dec = input.decoder();
  c->sample_aspect_ratio = dec->sample_aspect_ratio.num != 0 ? dec->sample_aspect_ratio
                                                             : input.video_stream()->sample_aspect_ratio;
  if (!is_rgb(c->pix_fmt)) {
    // The colour description of the source is kept; the engine writes with the same encoding.
    c->colorspace = known_or(dec->colorspace, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED);
    c->color_primaries = known_or(dec->color_primaries, AVCOL_PRI_NB, AVCOL_PRI_UNSPECIFIED);
    c->color_trc = known_or(dec->color_trc, AVCOL_TRC_NB, AVCOL_TRC_UNSPECIFIED);
    c->chroma_sample_location =
        known_or(dec->chroma_sample_location, AVCHROMA_LOC_NB, AVCHROMA_LOC_UNSPECIFIED);
    c->color_range = c->pix_fmt == AV_PIX_FMT_YUVJ420P
                         ? AVCOL_RANGE_JPEG
                         : known_or(dec->color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
  }
  // Interlaced video stays interlaced, as ffmpeg keeps it: the colour is painted on the whole frame,
  // the fields keep their lightness, and players still need to know to deinterlace.
  c->field_order = dec->field_order;
}

}  // namespace

bool Output::open_encoder(const OutputOptions& o, const EncoderChoice& choice, std::string* error) {
  const AVCodec* codec = choice.codec;
  encoder_.reset(avcodec_alloc_context3(codec));
  if (!encoder_) throw MediaError("out of memory");
  AVCodecContext* enc = encoder_.get();
  enc->width = o.width;
  enc->height = o.height;
  enc->pix_fmt = choice.pixel_format;
  describe_as_source(input_, enc);
  enc->time_base = choice.time_base;
  enc->framerate = frame_rate_of(input_);
  if (enc->field_order != AV_FIELD_PROGRESSIVE && enc->field_order != AV_FIELD_UNKNOWN)
    enc->flags |= AV_CODEC_FLAG_INTERLACED_DCT | AV_CODEC_FLAG_INTERLACED_ME;
  enc->thread_count = o.encoder_threads;
  const AVOutputFormat* conventions = o.encode_for != nullptr ? o.encode_for : muxer_;
  if (conventions->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

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

const AVOutputFormat* guess_output_format(const std::string& format, const std::string& name) {
  if (!format.empty()) {
    const AVOutputFormat* f = av_guess_format(format.c_str(), nullptr, nullptr);
    if (f == nullptr) throw MediaError("unknown output format '" + format + "'");
    return f;
  }
  if (protocol_of(name) == "pipe")
    throw MediaError(
        "a pipe has no name to tell the output format by; give one with -f (matroska, nut, "
        "mpegts, ... : formats that need no seeking)");
  const AVOutputFormat* f = av_guess_format(nullptr, name.c_str(), nullptr);
  if (f == nullptr)
    throw MediaError("cannot tell the output format from the name '" + name + "'; give one with -f");
  return f;
}

bool writes_no_file(const AVOutputFormat* format) { return (format->flags & AVFMT_NOFILE) != 0; }

std::string protocol_of(const std::string& url) {
  const char* name = avio_find_protocol_name(url.c_str());
  return name != nullptr ? name : "";
}

Output::Output(const OutputOptions& o, const Input& input)
    : input_(input),
      muxer_(guess_output_format(o.format, o.path)),
      video_only_(o.video_only),
      encode_for_(o.encode_for),
      metadata_(o.metadata),
      path_(o.path) {
  open_first_encoder(o, encoder_choices(o, o.encode_for != nullptr ? o.encode_for : muxer_, input));
  start_muxer(o, describe(o.url, false));
}

Output::Output(const OutputOptions& o, const Input& input, const EncodedVideo& video)
    : input_(input),
      muxer_(guess_output_format(o.format, o.path)),
      video_only_(o.video_only),
      encode_for_(o.encode_for),
      metadata_(o.metadata),
      copied_(video),
      path_(o.path) {
  start_muxer(o, describe(o.url, false));
}

void Output::open_first_encoder(const OutputOptions& o, const std::vector<EncoderChoice>& choices) {
  std::string first_error;
  HeldLog::Lines first_log;  // why the first choice failed, in the encoder's words
  const EncoderChoice* opened = nullptr;
  for (const EncoderChoice& choice : choices) {
    std::string error;
    HeldLog held;
    const bool ok = open_encoder(o, choice, &error);
    HeldLog::Lines log = held.take();
    if (ok) {
      opened = &choice;
      break;
    }
    if (first_error.empty()) {
      first_error = error;
      first_log = std::move(log);
    }
  }
  if (opened == nullptr) {
    HeldLog::print(first_log);
    throw MediaError(first_error);
  }
  const EncoderChoice& wanted = choices.front();
  if (opened->codec != wanted.codec)
    av_log(nullptr, AV_LOG_WARNING, "colorize: %s; encoding with %s instead\n", first_error.c_str(),
           opened->codec->name);
  const auto same_codec = [&](const EncoderChoice& c) { return c.codec == opened->codec; };
  const EncoderChoice& usual = *std::find_if(choices.begin(), choices.end(), same_codec);
  if (opened->pixel_format != usual.pixel_format)
    av_log(nullptr, AV_LOG_WARNING,
           "colorize: %s does not encode %dx%d as %s; encoding as %s (players that take only 4:2:0 need "
           "an even size)\n",
           opened->codec->name, o.width, o.height, av_get_pix_fmt_name(usual.pixel_format),
           av_get_pix_fmt_name(opened->pixel_format));
  if (av_cmp_q(opened->time_base, wanted.time_base) != 0)
    av_log(nullptr, AV_LOG_VERBOSE, "colorize: %s takes time base %d/%d, not the input's %d/%d\n",
           opened->codec->name, opened->time_base.num, opened->time_base.den, wanted.time_base.num,
           wanted.time_base.den);
}

int Output::describe(const std::string& url, bool only_known) {
  const AVOutputFormat* muxer = muxer_;
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, muxer, nullptr, url.c_str()), "cannot create the output");
  format_.reset(raw);
  const bool image = writes_one_image(muxer);
  int uncertain = 0;
  stream_map_.assign(input_.format()->nb_streams, -1);
  for (unsigned i = 0; i < input_.format()->nb_streams; ++i) {
    const AVStream* src = input_.format()->streams[i];
    if (static_cast<int>(i) == input_.video_index()) {
      video_out_ = avformat_new_stream(format_.get(), nullptr);
      if (video_out_ == nullptr) throw MediaError("out of memory");
      if (encoder_) {
        check(avcodec_parameters_from_context(video_out_->codecpar, encoder_.get()),
              "cannot describe the video stream");
        video_out_->time_base = encoder_->time_base;
        if (encode_for_ != nullptr) {
          const AVRational tb = encoder_->time_base;
          const std::string text = std::to_string(tb.num) + "/" + std::to_string(tb.den);
          av_dict_set(&video_out_->metadata, kEncoderTimeBaseKey, text.c_str(), 0);
        }
      } else {
        // Described as the encoder was (containers such as NUT do not keep it all).
        CodecContextPtr described(avcodec_alloc_context3(nullptr));
        if (!described) throw MediaError("out of memory");
        check(avcodec_parameters_to_context(described.get(), copied_.parameters),
              "cannot describe the video stream");
        describe_as_source(input_, described.get());
        check(avcodec_parameters_from_context(video_out_->codecpar, described.get()),
              "cannot describe the video stream");
        video_out_->codecpar->codec_tag = 0;  // the tag of the pieces' container, not this one's
        video_out_->time_base = copied_.encoder_time_base;
      }
      video_out_->avg_frame_rate = frame_rate_of(input_);
      video_out_->sample_aspect_ratio = video_out_->codecpar->sample_aspect_ratio;
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
    const char* codec_name = avcodec_get_name(src->codecpar->codec_id);
    if (type == AVMEDIA_TYPE_VIDEO) {
      // One video stream is colorized; the others (a second angle, cover art) would go out gray.
      av_log(nullptr, AV_LOG_WARNING,
             "colorize: stream %u (video, %s%s) is left out: colorize writes one video stream, the first\n",
             i, codec_name, (src->disposition & AV_DISPOSITION_ATTACHED_PIC) ? ", cover art" : "");
      continue;
    }
    // A still image has no room for other streams; a piece of a long film carries its video alone.
    if (image || video_only_ || type == AVMEDIA_TYPE_UNKNOWN) continue;
    // Attachments (the fonts of styled subtitles) are files, not packets: of FFmpeg's muxers only
    // Matroska writes them, and its codec query does not know them.
    const Carries carries = type != AVMEDIA_TYPE_ATTACHMENT ? can_carry(muxer, src->codecpar->codec_id)
                            : std::strcmp(muxer->name, "matroska") == 0 ? Carries::Yes
                                                                        : Carries::No;
    if (carries == Carries::No || (carries == Carries::Unknown && only_known)) {
      av_log(nullptr, AV_LOG_WARNING, "colorize: the %s format cannot carry stream %u (%s); it is left out\n",
             muxer->name, i, codec_name);
      continue;
    }
    if (carries == Carries::Unknown) ++uncertain;
    AVStream* dst = avformat_new_stream(format_.get(), nullptr);
    if (dst == nullptr) throw MediaError("out of memory");
    check(avcodec_parameters_copy(dst->codecpar, src->codecpar), "cannot copy stream parameters");
    dst->codecpar->codec_tag = 0;
    dst->time_base = src->time_base;
    dst->disposition = src->disposition;
    av_dict_copy(&dst->metadata, src->metadata, 0);
    stream_map_[i] = dst->index;
  }

  if (!video_only_) av_dict_copy(&format_->metadata, input_.format()->metadata, 0);
  for (const auto& [key, value] : metadata_) av_dict_set(&format_->metadata, key.c_str(), value.c_str(), 0);
  if (!image && !video_only_ && input_.format()->nb_chapters > 0) {
    auto** chapters = static_cast<AVChapter**>(av_calloc(input_.format()->nb_chapters, sizeof(AVChapter*)));
    if (chapters == nullptr) throw MediaError("out of memory");
    format_->chapters = chapters;
    for (unsigned c = 0; c < input_.format()->nb_chapters; ++c) {
      const AVChapter* src = input_.format()->chapters[c];
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

  return uncertain;
}

namespace {

// Whether the muxer takes the streams of `format`: its header written to nowhere, its complaints held
// back. For trying streams FFmpeg cannot vouch for before the real output is touched.
bool header_accepted(AVFormatContext* format, HeldLog::Lines* why) {
  constexpr int kBufferSize = 4096;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
  if (buffer == nullptr) throw MediaError("out of memory");
  const auto discard = [](void*, uint8_t*, int size) { return size; };
  const auto seek = [](void*, int64_t offset, int) { return offset; };
  AVIOContext* nowhere = avio_alloc_context(buffer, kBufferSize, 1, nullptr, nullptr, discard, seek);
  if (nowhere == nullptr) {
    av_free(buffer);
    throw MediaError("out of memory");
  }
  format->pb = nowhere;
  int ret = 0;
  {
    HeldLog held;
    ret = write_header(format);
    *why = held.take();
  }
  format->pb = nullptr;
  av_freep(&nowhere->buffer);
  avio_context_free(&nowhere);
  return ret >= 0;
}

}  // namespace

void Output::start_muxer(const OutputOptions& o, int uncertain) {
  if (uncertain > 0) {
    // Streams FFmpeg cannot say the format takes (AAC in MPEG-PS, ...) are tried on a header written to
    // nowhere; if the muxer refuses them, the video matters more and they are left out.
    HeldLog::Lines why;
    const bool accepted = header_accepted(format_.get(), &why);
    describe(o.url, !accepted);  // afresh: a context whose header was written cannot be used again
    if (!accepted)
      for (const auto& [level, text] : why)
        av_log(nullptr, AV_LOG_VERBOSE, "colorize: the %s muxer said: %s", muxer_->name, text.c_str());
  }
  if (!writes_no_file(muxer_))
    check(avio_open(&format_->pb, o.url.c_str(), AVIO_FLAG_WRITE), "cannot write '" + o.url + "'");
  check(write_header(format_.get()), "cannot write the header of '" + path_ + "'");
}

bool Output::copies(int input_stream) const {
  return input_stream != input_.video_index() && input_stream >= 0 &&
         input_stream < static_cast<int>(stream_map_.size()) && stream_map_[input_stream] >= 0;
}

void Output::write_video(AVFrame* frame) {
  if (frame != nullptr) {
    if (frame->pts != AV_NOPTS_VALUE)
      frame->pts = av_rescale_q(frame->pts, input_.video_stream()->time_base, encoder_->time_base);
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

void Output::write_video_packet(AVPacket* packet) {
  av_packet_rescale_ts(packet, copied_.time_base, video_out_->time_base);
  packet->stream_index = video_out_->index;
  packet->pos = -1;
  ++frames_;
  check(av_interleaved_write_frame(format_.get(), packet), "cannot write video to '" + path_ + "'");
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
  if (encoder_) write_video(nullptr);
  check(av_write_trailer(format_.get()), "cannot finish '" + path_ + "'");
  if (!(format_->oformat->flags & AVFMT_NOFILE))
    check(avio_closep(&format_->pb), "cannot close '" + path_ + "'");
}

}  // namespace colorize::media
