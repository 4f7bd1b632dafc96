#include "ffmpeg-tool/references.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ffmpeg-tool/engine_input.hpp"
#include "ffmpeg-tool/transcode.hpp"
#include "media/frame_adapter.hpp"
#include "media/input.hpp"
#include "media/scaler.hpp"

namespace colorize::cli {
namespace {

namespace fs = std::filesystem;

// The picture's first frame as RGB24.
media::FramePtr read_picture(const std::string& path) {
  try {
    media::InputOptions in;
    in.url = path;
    media::Input input(in);
    media::FramePtr rgb;
    media::Scaler to_rgb;
    input.run([&](AVFrame* frame) {
      rgb = media::allocate_frame(AV_PIX_FMT_RGB24, frame->width, frame->height);
      to_rgb.scale(*frame, *rgb);
      return false;
    });
    return rgb;
  } catch (const media::MediaError& e) {
    throw media::MediaError("reference picture: " + std::string(e.what()));
  }
}

bool is_picture(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* known : {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm"})
    if (ext == known) return true;
  return false;
}

// --references DIR: every picture, named by frame number (digits only) or by time ("12.5s", "01:02.5").
std::vector<ReferenceSpec> pictures_in(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw std::runtime_error("--references: '" + dir + "' is not a folder");
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && is_picture(entry.path())) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  if (paths.empty())
    throw std::runtime_error("--references: '" + dir + "' holds no pictures (.png, .jpg, .tif, .bmp, .webp)");
  std::vector<ReferenceSpec> specs;
  for (const auto& p : paths) {
    std::string stem = p.stem().string();
    ReferenceSpec spec;
    spec.image = p.string();
    if (!stem.empty() &&
        std::all_of(stem.begin(), stem.end(), [](unsigned char c) { return std::isdigit(c); })) {
      spec.frame = std::stol(stem);
    } else {
      if (!stem.empty() && stem.back() == 's') stem.pop_back();
      spec.seconds = parse_time(stem);
      if (!spec.seconds)
        throw std::runtime_error("--references: cannot tell the time or frame of '" + p.string() +
                                 "': name it by time (12.5s.png, 01:02.5.png) or frame number (000312.png)");
    }
    specs.push_back(spec);
  }
  return specs;
}

std::string label_of(const ReferenceSpec& spec) {
  std::ostringstream text;
  if (spec.seconds)
    text << *spec.seconds << " s";
  else
    text << "frame " << *spec.frame;
  text << " (" << spec.image << ")";
  return text.str();
}

}  // namespace

std::unique_ptr<engine::ReferenceColours> read_references(const Options& o, const std::atomic<bool>& stop) {
  std::vector<ReferenceSpec> specs = o.references;
  if (!o.references_dir.empty())
    for (auto& s : pictures_in(o.references_dir)) specs.push_back(std::move(s));
  if (specs.empty()) return nullptr;

  media::InputOptions in = input_of(o);
  in.start_seconds = o.start;
  in.duration_seconds = o.duration;
  in.interrupt = &stop;
  media::Input input(in);
  // Half a frame: a time taken from a frame (an exported still) finds that frame.
  const AVRational rate = av_guess_frame_rate(input.format(), input.video_stream(), nullptr);
  engine::ReferenceOptions options;
  options.render_size = o.engine.render_size;
  if (rate.num > 0 && rate.den > 0) options.tolerance_seconds = 0.5 / av_q2d(rate);

  std::vector<media::FramePtr> pictures;
  std::vector<engine::Reference> references;
  for (const auto& spec : specs) {
    const std::string label = label_of(spec);
    if (spec.seconds && *spec.seconds + options.tolerance_seconds < o.start) {
      av_log(nullptr, AV_LOG_WARNING,
             "colorize: the reference %s lies before the range coloured (-ss); left out\n", label.c_str());
      continue;
    }
    pictures.push_back(read_picture(spec.image));
    references.push_back({spec.seconds, spec.frame, label, *media::view_of(*pictures.back())});
  }
  auto colours = std::make_unique<engine::ReferenceColours>(references, options);
  pictures.clear();  // copied

  av_log(nullptr, AV_LOG_INFO, "colorize: reading '%s' for %zu reference%s (the first of two readings)\n",
         o.input.c_str(), references.size(), references.size() == 1 ? "" : "s");
  EngineInput adapt(input.decoder()->width, input.decoder()->height);
  const double time_base = av_q2d(input.video_stream()->time_base);
  long index = 0;
  input.run([&](AVFrame* frame) {
    std::vector<media::FramePtr> keep;
    // Frames without a timestamp take their place in the frame rate's sequence.
    const double seconds = frame->pts != AV_NOPTS_VALUE
                               ? static_cast<double>(frame->pts) * time_base + o.start
                           : rate.num > 0 ? o.start + static_cast<double>(index) / av_q2d(rate)
                                          : o.start;
    colours->add(adapt.view(*frame, keep), seconds);
    ++index;
    return !stop;
  });
  if (stop) return colours;
  colours->finish();
  for (const auto& w : colours->warnings()) av_log(nullptr, AV_LOG_WARNING, "colorize: %s\n", w.c_str());
  av_log(nullptr, AV_LOG_INFO, "colorize: %d of %zu references carried to %ld of %ld frames\n",
         colours->references_used(), specs.size(), colours->frames_guided(), index);
  return colours;
}

}  // namespace colorize::cli
