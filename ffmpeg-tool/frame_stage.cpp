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

}  // namespace

FrameStage::FrameStage(engine::Colorizer& colorizer, const AVCodecContext& encoder, bool preview)
    : colorizer_(colorizer), encoder_(encoder), preview_(preview) {}

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
  std::vector<color::FrameView> in_views;
  for (const auto& frame : decoded) {
    auto view = media::view_of(*frame);
    if (!view) {
      // Formats the colour code does not read (4:2:2, 4:4:4, 10-bit, ...) go through RGB24, which keeps
      // the full-resolution lightness exactly enough.
      converted_inputs.push_back(new_frame(AV_PIX_FMT_RGB24, frame->width, frame->height));
      to_rgb_.scale(*frame, *converted_inputs.back());
      view = media::view_of(*converted_inputs.back());
    }
    in_views.push_back(*view);

    InFlight f{new_frame(encoder_.pix_fmt, encoder_.width, encoder_.height), nullptr, frame->pts,
               frame->sample_aspect_ratio};
    if (preview_ || !media::color_format_of(encoder_.pix_fmt)) {
      f.staging = new_frame(AV_PIX_FMT_RGB24, encoder_.width, encoder_.height);
      if (preview_) color::convert_frame(*view, half_of(*f.staging, frame->width, false));
    }
    in_flight_.push_back(std::move(f));
  }
  colorizer_.send(in_views);  // keeps the lightness: the inputs may go now
  return collect_finished();
}

std::vector<media::FramePtr> FrameStage::drain() {
  colorizer_.drain();
  return collect_finished();
}

std::vector<media::FramePtr> FrameStage::collect_finished() {
  std::vector<media::FramePtr> outputs;
  while (!in_flight_.empty()) {
    InFlight& f = in_flight_.front();
    AVFrame& out = *f.out;
    const color::MutableFrameView target = !f.staging ? *media::mutable_view_of(out)
                                           : preview_ ? half_of(*f.staging, f.staging->width / 2, true)
                                                      : *media::mutable_view_of(*f.staging);
    if (!colorizer_.receive(target)) break;
    if (f.staging) {
      if (media::color_format_of(encoder_.pix_fmt))
        color::convert_frame(*media::view_of(*f.staging), *media::mutable_view_of(out));
      else
        from_rgb_.scale(*f.staging, out);
    }
    out.pts = f.pts;
    out.sample_aspect_ratio = f.sample_aspect_ratio;
    outputs.push_back(std::move(f.out));
    in_flight_.pop_front();
  }
  return outputs;
}

}  // namespace colorize::cli
