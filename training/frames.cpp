#include "training/frames.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "media/frame_adapter.hpp"
#include "media/input.hpp"
#include "media/scaler.hpp"

namespace colorize::training {

std::vector<torch::Tensor> decode_source(const Source& source, const DecodeOptions& o) {
  media::InputOptions in;
  in.url = source.path;
  in.decoder_threads = 1;  // sources are decoded in parallel already
  media::Input input(in);
  const AVRational tb = input.video_stream()->time_base;
  media::Scaler scaler;
  std::vector<torch::Tensor> frames;
  double next_time = -1e300;
  torch::Tensor last;
  const auto on_frame = [&](AVFrame* frame) {
    if (source.kind == SourceKind::Video) {
      const double t =
          frame->pts == AV_NOPTS_VALUE ? next_time : static_cast<double>(frame->pts) * av_q2d(tb);
      if (t < next_time) return true;
      next_time = t + 1.0 / o.video_fps;
    }
    const double scale =
        std::min(1.0, static_cast<double>(o.short_side) / std::min(frame->width, frame->height));
    const int w = std::max(1, static_cast<int>(std::lround(frame->width * scale)));
    const int h = std::max(1, static_cast<int>(std::lround(frame->height * scale)));
    media::FramePtr rgb = media::allocate_frame(AV_PIX_FMT_RGB24, w, h);
    scaler.scale(*frame, *rgb, SWS_AREA);
    torch::Tensor t = torch::empty({h, w, 3}, torch::kUInt8);
    for (int y = 0; y < h; ++y)
      std::memcpy(t.data_ptr<std::uint8_t>() + static_cast<std::size_t>(y) * w * 3,
                  rgb->data[0] + y * rgb->linesize[0], static_cast<std::size_t>(w) * 3);
    if (source.kind == SourceKind::Video && last.defined() &&
        (last.to(torch::kFloat32) - t.to(torch::kFloat32)).abs().mean().item<double>() < o.min_change)
      return true;  // the scene has not changed: a second copy teaches nothing new
    last = t;
    frames.push_back(t);
    if (source.kind == SourceKind::Image) return false;
    return o.max_video_frames <= 0 || static_cast<int>(frames.size()) < o.max_video_frames;
  };
  input.run(on_frame);  // throws when not one frame decodes
  return frames;
}

}  // namespace colorize::training
