#include "ffmpeg-tool/frame_stage.hpp"

#include "color/frame_lab.hpp"
#include "media/frame_adapter.hpp"

namespace colorize::cli {
namespace {

// The left or right half of a packed RGB24 frame as a view of its own.
color::MutableFrameView half_of(AVFrame& rgb, int width, bool right) {
  color::MutableFrameView v;
  v.format = color::PixelFormat::Rgb24;
  v.width = width;
  v.height = rgb.height;
  v.data[0] = rgb.data[0] + (right ? 3 * width : 0);
  v.stride[0] = rgb.linesize[0];
  return v;
}

// A frame's tag on its way through the engine: where its colour goes.
struct InFlight {
  media::FramePtr out;      // the encoder's frame
  media::FramePtr staging;  // RGB24 (preview, or a format the colour code does not write); may be null
  int64_t pts;
  AVRational sample_aspect_ratio;
  int interlaced_frame, top_field_first;
};

}  // namespace

FrameStage::FrameStage(engine::Colorizer& colorizer, const AVCodecContext& encoder, bool preview,
                       const engine::ReferenceColours* references)
    : colorizer_(colorizer),
      encoder_(encoder),
      preview_(preview),
      references_(references),
      input_(preview ? encoder.width / 2 : encoder.width, encoder.height) {}

media::FramePtr FrameStage::new_frame(AVPixelFormat format, int width, int height) const {
  media::FramePtr f = media::allocate_frame(format, width, height);
  if (format == encoder_.pix_fmt) {
    f->colorspace = encoder_.colorspace;
    f->color_range = encoder_.color_range;
    f->color_primaries = encoder_.color_primaries;
    f->color_trc = encoder_.color_trc;
    f->chroma_location = encoder_.chroma_sample_location;
  }
  return f;
}

std::vector<media::FramePtr> FrameStage::send(const std::vector<media::FramePtr>& decoded) {
  std::vector<media::FramePtr> converted_inputs;  // keeps sws-converted inputs alive for the batch
  std::vector<engine::TaggedFrame> in;
  for (const auto& decoded_frame : decoded) {
    const AVFrame* frame = decoded_frame.get();
    const color::FrameView view = input_.view(*frame, converted_inputs);
    InFlight f{new_frame(encoder_.pix_fmt, encoder_.width, encoder_.height),
               nullptr,
               frame->pts,
               frame->sample_aspect_ratio,
               frame->interlaced_frame,
               frame->top_field_first};
    if (preview_ || !media::color_format_of(encoder_.pix_fmt)) {
      f.staging = new_frame(AV_PIX_FMT_RGB24, encoder_.width, encoder_.height);
      if (preview_) color::convert_frame(view, half_of(*f.staging, view.width, false));
    }
    const long index = frames_sent_++;
    in.push_back({view, std::move(f), references_ ? references_->guide(index) : nullptr});
  }
  colorizer_.send(std::move(in));  // keeps the lightness: the inputs may go now
  return collect_finished();
}

std::vector<media::FramePtr> FrameStage::flush() {
  colorizer_.flush();
  return collect_finished();
}

std::vector<media::FramePtr> FrameStage::collect_finished() {
  std::vector<media::FramePtr> outputs;
  const auto target = [this](engine::FrameTag& tag) {
    InFlight& f = tag.get<InFlight>();
    return !f.staging ? *media::mutable_view_of(*f.out)
           : preview_ ? half_of(*f.staging, f.staging->width / 2, true)
                      : *media::mutable_view_of(*f.staging);
  };
  while (auto tag = colorizer_.receive(target)) {
    InFlight& f = tag->get<InFlight>();
    AVFrame& out = *f.out;
    if (f.staging) {
      if (media::color_format_of(encoder_.pix_fmt))
        color::convert_frame(*media::view_of(*f.staging), *media::mutable_view_of(out));
      else
        from_rgb_.scale(*f.staging, out);
    }
    out.pts = f.pts;
    out.sample_aspect_ratio = f.sample_aspect_ratio;
    out.interlaced_frame = f.interlaced_frame;
    out.top_field_first = f.top_field_first;
    outputs.push_back(std::move(f.out));
  }
  return outputs;
}

}  // namespace colorize::cli
