// colorize-eval: how close a model's colours come to the truth on colour images or video, beside the
// gray baseline (ab = 0). Text table on stdout, JSON with --json.
#include <torch/torch.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "color/frame_lab.hpp"
#include "engine/colorizer.hpp"
#ifdef COLORIZE_HAVE_TEMPORAL
#include "engine/motion_warp.hpp"
#endif
#include "media/av_util.hpp"
#include "training/frames.hpp"
#include "training/metrics.hpp"
#include "training/sources.hpp"

namespace {

namespace po = boost::program_options;
using namespace colorize;
using namespace colorize::training;

struct Totals {
  double ab_l1 = 0, psnr = 0, colourfulness = 0, flicker = 0, warped_flicker = 0;
  long frames = 0, sequences = 0;
};

struct Result {
  Totals model, gray;
  double truth_colourfulness = 0, truth_flicker = 0, truth_warped_flicker = 0;
};

// Motion-compensated flicker (the "warping error" of video consistency work): the mean |ab_t - ab_{t-1}|
// after moving frame t-1 along the motion of the true L* between the two frames (DIS optical flow).
// Plain flicker also counts colour that merely moves with the picture, which grows with colourfulness;
// this counts only colour that changes on the same surface. One flow per frame pair serves every ab
// sequence given (the model's and the truth's). -1 for each where the build has no OpenCV.
std::vector<double> warped_flicker(const std::vector<torch::Tensor>& L,
                                   const std::vector<const std::vector<torch::Tensor>*>& abs) {
  std::vector<double> totals(abs.size(), 0.0);
#ifdef COLORIZE_HAVE_TEMPORAL
  engine::MotionWarp motion;
  for (std::size_t t = 1; t < L.size(); ++t) {
    const torch::Tensor l0 = L[t - 1].contiguous(), l1 = L[t].contiguous();
    const int h = static_cast<int>(l1.size(1)), w = static_cast<int>(l1.size(2));
    motion.estimate({l0.data_ptr<float>(), w, h, w}, {l1.data_ptr<float>(), w, h, w});
    for (std::size_t s = 0; s < abs.size(); ++s) {
      const torch::Tensor ab0 = (*abs[s])[t - 1].contiguous(), ab1 = (*abs[s])[t].contiguous();
      torch::Tensor warped = torch::empty_like(ab1);
      for (int c = 0; c < 2; ++c)
        motion.warp({ab0[c].data_ptr<float>(), w, h, w}, {warped[c].data_ptr<float>(), w, h, w});
      totals[s] += (ab1 - warped).abs().mean().item<double>();
    }
  }
  for (double& total : totals) total = L.size() > 1 ? total / static_cast<double>(L.size() - 1) : 0.0;
#else
  static_cast<void>(L);
  for (double& total : totals) total = -1;
#endif
  return totals;
}

torch::Tensor to_lab(const torch::Tensor& rgb_hwc) {
  const int h = static_cast<int>(rgb_hwc.size(0)), w = static_cast<int>(rgb_hwc.size(1));
  torch::Tensor lab = torch::empty({3, h, w});
  const color::FrameView v = color::packed_frame(
      color::PixelFormat::Rgb24, static_cast<const std::uint8_t*>(rgb_hwc.data_ptr<std::uint8_t>()), w, h);
  float* p = lab.data_ptr<float>();
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(w) * h;
  color::frame_to_lab(v, {p, w, h, w}, {p + n, w, h, w}, {p + 2 * n, w, h, w});
  return lab;
}

torch::Tensor to_float_rgb(const torch::Tensor& rgb_hwc) {
  return rgb_hwc.permute({2, 0, 1}).to(torch::kFloat32).div(255.0f);
}

void accumulate(Totals& t, const torch::Tensor& rgb, const torch::Tensor& ab, const torch::Tensor& truth_rgb,
                const torch::Tensor& truth_ab) {
  t.ab_l1 += ab_l1(ab, truth_ab);
  t.psnr += std::min(psnr(rgb, truth_rgb), 100.0);
  t.colourfulness += colourfulness(rgb);
  ++t.frames;
}

nlohmann::json summary(const Totals& t, const Result& r) {
  const double truth_colourfulness = r.truth_colourfulness, truth_flicker = r.truth_flicker;
  const double n = std::max<double>(1, static_cast<double>(t.frames));
  const double colourfulness = t.colourfulness / n;
  nlohmann::json j{
      {"ab_l1", t.ab_l1 / n},
      {"psnr_db", t.psnr / n},
      {"colourfulness", colourfulness},
      {"colourfulness_ratio", truth_colourfulness > 0 ? colourfulness / truth_colourfulness : 0.0}};
  if (t.sequences > 0) {
    const double flicker = t.flicker / static_cast<double>(t.sequences);
    j["flicker"] = flicker;
    j["flicker_ratio"] = truth_flicker > 0 ? flicker / truth_flicker : 0.0;
    if (t.warped_flicker >= 0 && r.truth_warped_flicker >= 0) {  // both negative without OpenCV
      const double warped = t.warped_flicker / static_cast<double>(t.sequences);
      j["flicker_warped"] = warped;
      j["flicker_warped_ratio"] = r.truth_warped_flicker > 0 ? warped / r.truth_warped_flicker : 0.0;
    }
  }
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> data;
  std::string model_path, json_path, device = "auto", split = "all";
  std::string temporal = engine::temporal_smoothing_available() ? "file" : "off";
  double val_fraction = 0.1;
  int render_size = 256, eval_size = 360, max_frames = 300;
  double video_fps = 1000;
  po::options_description opts(
      "colorize-eval: a model's colours against the truth, beside the gray baseline\n\n"
      "usage: colorize-eval --model FILE --data PATH [--data PATH ...] [--json FILE]\n\nOptions");
  // clang-format off
  opts.add_options()
      ("help,h", "print this help")
      ("model", po::value(&model_path)->required(), "generator model file")
      ("data", po::value(&data)->composing()->required(), "colour images (folder) or colour video files")
      ("split", po::value(&split), "all (default), or validation / train: the part colorize-train holds out or trains on")
      ("val-fraction", po::value(&val_fraction), "the --val-fraction of that training run (default 0.1)")
      ("json", po::value(&json_path), "also write the results as JSON here")
      ("device", po::value(&device), "cpu, cuda or auto (default)")
      ("render-size", po::value(&render_size), "network short side (default 256)")
      ("eval-size", po::value(&eval_size), "frames are shrunk to this short side first (default 360)")
      ("video-fps", po::value(&video_fps), "frames per second of video evaluated (default: all)")
      ("max-frames", po::value(&max_frames), "frames per video at most (default 300)")
      ("temporal-smoothing", po::value(&temporal), "off, live or file (default, as colorize): colour carried along the motion in videos");
  // clang-format on
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    if (vm.count("help")) {
      std::cout << opts << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "colorize-eval: " << e.what() << "\n(colorize-eval --help lists the options)\n";
    return 2;
  }
  media::set_log_level(AV_LOG_ERROR);
  try {
    engine::ColorizerOptions options;
    options.model_path = model_path;
    options.render_size = render_size;
    options.device = device == "cpu"    ? engine::Device::Cpu
                     : device == "cuda" ? engine::Device::Cuda
                                        : engine::Device::Auto;
    const auto mode = engine::temporal_smoothing_named(temporal);
    if (!mode)
      throw std::runtime_error("--temporal-smoothing must be off, live or file, not '" + temporal + "'");
    options.temporal = *mode;
    engine::Colorizer colorizer(options);
    DecodeOptions decode;
    decode.short_side = eval_size;
    decode.video_fps = video_fps;
    decode.min_change = -1;  // every sampled frame: flicker needs the real sequence
    decode.max_video_frames = max_frames;
    Result r;
    Totals truth;
    nlohmann::json evaluated = nlohmann::json::array();
    std::vector<Source> sources = find_sources(data);
    if (split == "validation" || split == "train") {
      const Split parts = split_sources(sources, val_fraction);
      sources = split == "validation" ? parts.validation : parts.train;
    } else if (split != "all") {
      throw std::runtime_error("--split must be all, validation or train");
    }
    for (const auto& source : sources) {
      const auto frames = decode_source(source, decode);
      colorizer.reset_temporal();  // each source is a sequence of its own
      evaluated.push_back(source.path);
      // Frames in order through the engine (file-mode smoothing returns them some frames late).
      std::vector<torch::Tensor> outs;
      std::size_t received = 0;
      const auto rgb_view = [](const torch::Tensor& t) {
        return color::packed_frame(color::PixelFormat::Rgb24, t.data_ptr<std::uint8_t>(),
                                   static_cast<int>(t.size(1)), static_cast<int>(t.size(0)));
      };
      const auto receive_finished = [&] {
        while (received < outs.size() && colorizer.receive(rgb_view(outs[received]))) ++received;
      };
      for (const auto& frame : frames) {
        const torch::Tensor in = frame.contiguous();
        colorizer.send({color::FrameView(rgb_view(in))});
        outs.push_back(torch::empty_like(in));
        receive_finished();
      }
      colorizer.drain();
      receive_finished();
      if (received != outs.size()) throw std::logic_error("colorize-eval: the engine kept frames back");

      std::vector<torch::Tensor> model_abs, truth_abs, truth_ls;
      for (std::size_t i = 0; i < frames.size(); ++i) {
        const torch::Tensor& frame = frames[i];
        const torch::Tensor& out = outs[i];
        const torch::Tensor truth_lab = to_lab(frame.contiguous());
        const torch::Tensor truth_rgb = to_float_rgb(frame);
        const torch::Tensor model_lab = to_lab(out);
        accumulate(r.model, to_float_rgb(out), model_lab.slice(0, 1), truth_rgb, truth_lab.slice(0, 1));
        const torch::Tensor gray_lab =
            torch::cat({truth_lab.slice(0, 0, 1), torch::zeros_like(truth_lab.slice(0, 1))});
        const torch::Tensor gray_rgb = lab_to_rgb(gray_lab);
        accumulate(r.gray, gray_rgb, gray_lab.slice(0, 1), truth_rgb, truth_lab.slice(0, 1));
        truth.colourfulness += colourfulness(truth_rgb);
        ++truth.frames;
        if (source.kind == SourceKind::Video) {
          model_abs.push_back(model_lab.slice(0, 1));
          truth_abs.push_back(truth_lab.slice(0, 1));
          truth_ls.push_back(truth_lab.slice(0, 0, 1));
        }
      }
      if (model_abs.size() >= 2) {
        r.model.flicker += flicker(torch::stack(model_abs));
        truth.flicker += flicker(torch::stack(truth_abs));
        const std::vector<double> warped = warped_flicker(truth_ls, {&model_abs, &truth_abs});
        r.model.warped_flicker += warped[0];
        truth.warped_flicker += warped[1];
        ++r.model.sequences;
        ++r.gray.sequences;  // the gray baseline never changes colour: flicker 0
        ++truth.sequences;
      }
    }
    if (truth.frames == 0) throw std::runtime_error("no frames to evaluate");
    r.truth_colourfulness = truth.colourfulness / static_cast<double>(truth.frames);
    r.truth_flicker = truth.sequences > 0 ? truth.flicker / static_cast<double>(truth.sequences) : 0.0;
    r.truth_warped_flicker =
        truth.sequences > 0 ? truth.warped_flicker / static_cast<double>(truth.sequences) : 0.0;
    nlohmann::json j{{"model", model_path},
                     {"temporal_smoothing", temporal},
                     {"frames", truth.frames},
                     {"videos", truth.sequences},
                     {"truth", {{"colourfulness", r.truth_colourfulness}}},
                     {"model_result", summary(r.model, r)},
                     {"gray_baseline", summary(r.gray, r)},
                     {"sources", evaluated}};
    if (truth.sequences > 0) {
      j["truth"]["flicker"] = r.truth_flicker;
      if (truth.warped_flicker >= 0) j["truth"]["flicker_warped"] = r.truth_warped_flicker;
    }
    std::printf("%-14s %10s %10s %14s %12s %10s %12s %14s\n", "", "ab L1", "PSNR dB", "colourfulness",
                "colour ratio", "flicker", "flicker ratio", "warped flicker");
    for (const auto& [name, key] :
         {std::pair{"model", "model_result"}, std::pair{"gray baseline", "gray_baseline"}}) {
      const auto& s = j[key];
      std::printf("%-14s %10.3f %10.2f %14.2f %12.3f", name, s["ab_l1"].get<double>(),
                  s["psnr_db"].get<double>(), s["colourfulness"].get<double>(),
                  s["colourfulness_ratio"].get<double>());
      if (s.contains("flicker"))
        std::printf(" %10.3f %12.3f", s["flicker"].get<double>(), s["flicker_ratio"].get<double>());
      if (s.contains("flicker_warped")) std::printf(" %14.3f", s["flicker_warped"].get<double>());
      std::printf("\n");
    }
    std::printf("%-14s %10s %10s %14.2f\n", "truth", "", "", r.truth_colourfulness);
    std::printf("(%ld frames, %ld videos)\n", truth.frames, truth.sequences);
    if (!json_path.empty()) std::ofstream(json_path) << j.dump(2) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "colorize-eval: " << e.what() << "\n";
    return 1;
  }
}
