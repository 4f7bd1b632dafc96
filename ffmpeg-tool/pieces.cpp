#include "ffmpeg-tool/pieces.hpp"

#include <algorithm>
#include <stdexcept>

namespace colorize::cli {

Timeline read_timeline(const media::InputOptions& options, const std::atomic<bool>* interrupt) {
  media::InputOptions o = options;
  o.interrupt = interrupt;
  media::Input input(o);
  Timeline t;
  t.time_base = input.video_stream()->time_base;
  bool untimed = false;
  input.run({}, [&](AVPacket* packet) {
    if (packet->stream_index != input.video_index() || (packet->flags & AV_PKT_FLAG_DISCARD)) return;
    if (packet->pts == AV_NOPTS_VALUE)
      untimed = true;
    else
      t.pts.push_back(packet->pts);
  });
  if (untimed || t.pts.empty())
    throw media::MediaError("cannot cut '" + options.url +
                            "' into pieces: its video packets carry no timestamps (remux it into Matroska "
                            "or MP4 first)");
  std::sort(t.pts.begin(), t.pts.end());
  return t;
}

Piece plan_piece(const Timeline& timeline, int index, int count, int warm_up_frames) {
  const auto frames = static_cast<long>(timeline.pts.size());
  if (count < 1 || index < 1 || index > count)
    throw std::invalid_argument("piece " + std::to_string(index) + " of " + std::to_string(count) +
                                " does not exist");
  if (frames < count)
    throw std::invalid_argument("cannot cut " + std::to_string(frames) + " frames into " +
                                std::to_string(count) + " pieces");
  const long first = (index - 1) * frames / count, end = index * frames / count;
  Piece p;
  p.index = index;
  p.count = count;
  p.frames = end - first;
  if (index < count) p.write_until = timeline.pts[end];
  if (index > 1) {
    p.write_from = timeline.pts[first];
    const int64_t warm = timeline.pts[std::max(0L, first - warm_up_frames)];
    p.colour_from = warm;
    p.seek_seconds = static_cast<double>(warm) * av_q2d(timeline.time_base);
  }
  return p;
}

std::string piece_file_name(int index, int count) {
  const std::size_t width = std::max<std::size_t>(std::to_string(count).size(), 2);
  const auto padded = [width](int number) {
    const std::string digits = std::to_string(number);
    return std::string(width - digits.size(), '0') + digits;
  };
  return "piece-" + padded(index) + "-of-" + padded(count) + ".nut";
}

}  // namespace colorize::cli
