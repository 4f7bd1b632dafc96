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

std::vector<media::FramePtr> FrameStage::run(const std::vector<media::FramePtr>& decoded) {
  const auto direct_output = media::color_format_of(encoder_.pix_fmt);
  std::vector<media::FramePtr> converted_inputs;  // keeps sws-converted inputs alive for the batch
  std::vector<media::FramePtr> staging;  // RGB24 frames when the encoder format is not written directly
  std::vector<media::FramePtr> outputs;
  std::vector<color::FrameView> in_views;
  std::vector<color::MutableFrameView> out_views;
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

    media::FramePtr out = new_frame(encoder_.pix_fmt, encoder_.width, encoder_.height);
    if (preview_ || !direct_output) {
      staging.push_back(new_frame(AV_PIX_FMT_RGB24, encoder_.width, encoder_.height));
      AVFrame& rgb = *staging.back();
      if (preview_) {
        color::convert_frame(*view, half_of(rgb, frame->width, false));
        out_views.push_back(half_of(rgb, frame->width, true));
      } else {
        out_views.push_back(*media::mutable_view_of(rgb));
      }
    } else {
      out_views.push_back(*media::mutable_view_of(*out));
    }
    outputs.push_back(std::move(out));
  }

  colorizer_.colorize(in_views, out_views);

  for (std::size_t i = 0; i < outputs.size(); ++i) {
    AVFrame& out = *outputs[i];
    if (!staging.empty()) {
      if (direct_output)
        color::convert_frame(*media::view_of(*staging[i]), *media::mutable_view_of(out));
      else
        from_rgb_.scale(*staging[i], out);
    }
    out.pts = decoded[i]->pts;
    out.sample_aspect_ratio = decoded[i]->sample_aspect_ratio;
  }
  return outputs;
}

}  // namespace colorize::cli
