#include "media/encoder_choice.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

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

// Gray formats would drop the colour: never picked unless the user asks.
bool carries_colour(AVPixelFormat f) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(f);
  return d != nullptr && d->nb_components >= 3;
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
    if (color_format_of(*p) && carries_colour(*p)) return *p;
  for (const AVPixelFormat* p = supported; *p != AV_PIX_FMT_NONE; ++p)
    if (carries_colour(*p)) return *p;  // written through libswscale
  return supported[0];
}

// The first encoder of this codec that runs on the CPU (libx264 for H.264, libx265 for HEVC, ...).
const AVCodec* cpu_encoder_for(AVCodecID id) {
  void* it = nullptr;
  while (const AVCodec* c = av_codec_iterate(&it))
    if (av_codec_is_encoder(c) && c->id == id && !(c->capabilities & AV_CODEC_CAP_HARDWARE)) return c;
  return nullptr;
}

// Whether the format's chroma is subsampled along a side of odd length (4:2:0 at 321x241).
bool subsampled_across_odd_size(AVPixelFormat f, int width, int height) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(f);
  return d != nullptr &&
         ((d->log2_chroma_w > 0 && width % 2 != 0) || (d->log2_chroma_h > 0 && height % 2 != 0));
}

// For an odd size that the default format subsamples: the encoder's first format without subsampling
// there, preferring those the colour code writes directly. NONE when it has none.
AVPixelFormat format_for_odd_size(const AVCodec* codec, int width, int height) {
  if (codec->pix_fmts == nullptr) return AV_PIX_FMT_NONE;
  AVPixelFormat any = AV_PIX_FMT_NONE;
  for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p) {
    if (!carries_colour(*p) || subsampled_across_odd_size(*p, width, height)) continue;
    if (color_format_of(*p)) return *p;
    if (any == AV_PIX_FMT_NONE) any = *p;
  }
  return any;
}

}  // namespace

AVRational frame_rate_of(const Input& input) {
  return av_guess_frame_rate(input.format(), const_cast<AVStream*>(input.video_stream()), nullptr);
}

// What to open, in order, until an encoder takes it. Formats that keep each frame's time (mp4, mkv,
// ts, ...) get the input stream's time base, where timestamps are exact; encoders that refuse it
// (MPEG-1/2 take only their standard frame rates, MPEG-4 no denominator above 65535) and formats that
// store a frame rate (y4m, avi: which they take from the time base) get one tick per frame. Encoders that
// refuse odd sizes in 4:2:0 (libx264, libx265) get a format without subsampling, unless the user chose one
// with -pix_fmt. A hardware encoder that cannot open (no device or driver) is followed by a CPU encoder of
// its codec.
std::vector<EncoderChoice> encoder_choices(const OutputOptions& o, const AVOutputFormat* format,
                                           const Input& input) {
  const AVCodec* codec = pick_encoder(o, format);
  std::vector<const AVCodec*> codecs{codec};
  if (codec->capabilities & AV_CODEC_CAP_HARDWARE)
    if (const AVCodec* cpu = cpu_encoder_for(codec->id)) codecs.push_back(cpu);
  const AVRational input_rate = frame_rate_of(input);
  std::vector<EncoderChoice> choices;
  for (const AVCodec* c : codecs) {
    std::vector<AVPixelFormat> formats{pick_pixel_format(o, c)};
    if (o.pixel_format.empty() && subsampled_across_odd_size(formats[0], o.width, o.height)) {
      const AVPixelFormat whole = format_for_odd_size(c, o.width, o.height);
      if (whole != AV_PIX_FMT_NONE) formats.push_back(whole);
    }
    std::vector<AVRational> time_bases{input.video_stream()->time_base};
    AVRational rate = input_rate;
    if (rate.num > 0 && rate.den > 0) {
      if (c->supported_framerates != nullptr)
        rate = c->supported_framerates[av_find_nearest_q_idx(rate, c->supported_framerates)];
      if (av_cmp_q(av_inv_q(rate), time_bases[0]) != 0)
        time_bases.insert((format->flags & AVFMT_VARIABLE_FPS) ? time_bases.end() : time_bases.begin(),
                          av_inv_q(rate));
    }
    for (AVPixelFormat f : formats)
      for (AVRational t : time_bases) choices.push_back({c, f, t});
  }
  return choices;
}

}  // namespace colorize::media
