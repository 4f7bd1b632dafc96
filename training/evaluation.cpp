#include "training/evaluation.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "color/frame_lab.hpp"
#include "engine/reference_colours.hpp"
#ifdef COLORIZE_HAVE_TEMPORAL
#include "engine/temporal/motion_warp.hpp"
#endif
#include "training/metrics.hpp"

namespace colorize::training {

namespace {

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

// Colour statistics of one frame's ab (2 x H x W): mean a*, mean b*, central chroma.
void add_colour(Totals& t, const torch::Tensor& ab) {
  t.mean_a += ab[0].mean().item<double>();
  t.mean_b += ab[1].mean().item<double>();
  const int64_t h = ab.size(1), w = ab.size(2);
  const torch::Tensor centre = ab.slice(1, h / 4, h - h / 4).slice(2, w / 4, w - w / 4);
  t.central_chroma += centre.pow(2).sum(0).sqrt().mean().item<double>();
}

void accumulate(Totals& t, const torch::Tensor& rgb, const torch::Tensor& ab, const torch::Tensor& truth_rgb,
                const torch::Tensor& truth_ab) {
  t.ab_l1 += ab_l1(ab, truth_ab);
  t.psnr += std::min(psnr(rgb, truth_rgb), 100.0);
  t.colourfulness += colourfulness(rgb);
  add_colour(t, ab);
  ++t.frames;
}

// Frames through the engine, each tagged with its place (file-mode smoothing returns them some
// frames late).
std::vector<torch::Tensor> colorize_in_order(engine::Colorizer& colorizer,
                                             const std::vector<torch::Tensor>& frames,
                                             const engine::ReferenceColours* references = nullptr) {
  std::vector<torch::Tensor> outs;
  std::size_t received = 0;
  const auto rgb_view = [](const torch::Tensor& t) {
    return color::packed_frame(color::PixelFormat::Rgb24, t.data_ptr<std::uint8_t>(),
                               static_cast<int>(t.size(1)), static_cast<int>(t.size(0)));
  };
  const auto output_of = [&](engine::FrameTag& tag) { return rgb_view(outs.at(tag.get<std::size_t>())); };
  const auto receive_finished = [&] {
    while (colorizer.receive(output_of)) ++received;
  };
  for (const auto& frame : frames) {
    const torch::Tensor in = frame.contiguous();
    outs.push_back(torch::empty_like(in));
    std::vector<engine::TaggedFrame> one;
    const long index = static_cast<long>(outs.size() - 1);
    one.push_back(
        {color::FrameView(rgb_view(in)), outs.size() - 1, references ? references->guide(index) : nullptr});
    colorizer.send(std::move(one));
    receive_finished();
  }
  colorizer.flush();
  receive_finished();
  if (received != outs.size()) throw std::logic_error("colorize-eval: the engine kept frames back");
  return outs;
}

nlohmann::json summary_of(const Totals& t, const Totals& truth) {
  const double n = std::max<double>(1, static_cast<double>(t.frames));
  const double truth_colourfulness =
      truth.colourfulness / std::max<double>(1, static_cast<double>(truth.frames));
  const double colourfulness = t.colourfulness / n;
  const double truth_central = truth.central_chroma / std::max<double>(1, static_cast<double>(truth.frames));
  nlohmann::json j{
      {"ab_l1", t.ab_l1 / n},
      {"psnr_db", t.psnr / n},
      {"colourfulness", colourfulness},
      {"colourfulness_ratio", truth_colourfulness > 0 ? colourfulness / truth_colourfulness : 0.0},
      {"mean_a", t.mean_a / n},
      {"mean_b", t.mean_b / n},
      {"central_chroma", t.central_chroma / n},
      {"central_chroma_ratio", truth_central > 0 ? t.central_chroma / n / truth_central : 0.0}};
  if (t.sequences > 0) {
    const double sequences = static_cast<double>(t.sequences);
    const double flicker = t.flicker / sequences, truth_flicker = truth.flicker / sequences;
    j["flicker"] = flicker;
    j["flicker_ratio"] = truth_flicker > 0 ? flicker / truth_flicker : 0.0;
    if (t.warped_flicker >= 0 && truth.warped_flicker >= 0) {  // both negative without OpenCV
      const double warped = t.warped_flicker / sequences, truth_warped = truth.warped_flicker / sequences;
      j["flicker_warped"] = warped;
      j["flicker_warped_ratio"] = truth_warped > 0 ? warped / truth_warped : 0.0;
    }
  }
  return j;
}

}  // namespace

Totals& Totals::operator+=(const Totals& o) {
  ab_l1 += o.ab_l1;
  psnr += o.psnr;
  colourfulness += o.colourfulness;
  flicker += o.flicker;
  warped_flicker += o.warped_flicker;
  mean_a += o.mean_a;
  mean_b += o.mean_b;
  central_chroma += o.central_chroma;
  frames += o.frames;
  sequences += o.sequences;
  return *this;
}

Evaluation& Evaluation::operator+=(const Evaluation& o) {
  model += o.model;
  gray += o.gray;
  truth += o.truth;
  sources += o.sources;
  better_than_gray += o.better_than_gray;
  referenced += o.referenced;
  unreferenced += o.unreferenced;
  references += o.references;
  return *this;
}

namespace {

// The source's frames carried through with `count` of its own true frames, evenly spaced, as references.
std::unique_ptr<engine::ReferenceColours> references_from_truth(const std::vector<torch::Tensor>& frames,
                                                                int count, int render_size) {
  const auto view = [](const torch::Tensor& t) {
    return color::FrameView(color::packed_frame(color::PixelFormat::Rgb24, t.data_ptr<std::uint8_t>(),
                                                static_cast<int>(t.size(1)), static_cast<int>(t.size(0))));
  };
  std::vector<torch::Tensor> contiguous;
  for (const auto& f : frames) contiguous.push_back(f.contiguous());
  std::vector<engine::Reference> refs;
  const auto n = static_cast<long>(frames.size());
  for (long i = 0; i < count && i < n; ++i) {
    const long at = std::min(n - 1, ((2 * i + 1) * n) / (2L * count));
    refs.push_back(
        {std::nullopt, at, "frame " + std::to_string(at), view(contiguous[static_cast<std::size_t>(at)])});
  }
  engine::ReferenceOptions options;
  options.render_size = render_size;
  auto colours = std::make_unique<engine::ReferenceColours>(refs, options);
  for (std::size_t i = 0; i < contiguous.size(); ++i)
    colours->add(view(contiguous[i]), static_cast<double>(i));
  colours->finish();
  return colours;
}

}  // namespace

Evaluation evaluate_source(engine::Colorizer& colorizer, const Source& source, const DecodeOptions& decode,
                           int reference_frames) {
  const auto frames = decode_source(source, decode);
  colorizer.reset_temporal();  // each source is a sequence of its own
  const std::vector<torch::Tensor> outs = colorize_in_order(colorizer, frames);
  // With references from the truth: the video coloured a second time, measured beside the first.
  std::vector<torch::Tensor> guided;
  int references_used = 0;
  if (reference_frames > 0 && source.kind == SourceKind::Video && frames.size() >= 2) {
    const auto references = references_from_truth(frames, reference_frames, colorizer.options().render_size);
    colorizer.reset_temporal();
    guided = colorize_in_order(colorizer, frames, references.get());
    references_used = references->references_used();
  }
  Evaluation e;
  std::vector<torch::Tensor> model_abs, truth_abs, truth_ls;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const torch::Tensor truth_lab = to_lab(frames[i].contiguous());
    const torch::Tensor truth_rgb = to_float_rgb(frames[i]);
    const torch::Tensor model_lab = to_lab(outs[i]);
    accumulate(e.model, to_float_rgb(outs[i]), model_lab.slice(0, 1), truth_rgb, truth_lab.slice(0, 1));
    const torch::Tensor gray_lab =
        torch::cat({truth_lab.slice(0, 0, 1), torch::zeros_like(truth_lab.slice(0, 1))});
    accumulate(e.gray, lab_to_rgb(gray_lab), gray_lab.slice(0, 1), truth_rgb, truth_lab.slice(0, 1));
    if (!guided.empty())
      accumulate(e.referenced, to_float_rgb(guided[i]), to_lab(guided[i]).slice(0, 1), truth_rgb,
                 truth_lab.slice(0, 1));
    e.truth.colourfulness += colourfulness(truth_rgb);
    add_colour(e.truth, truth_lab.slice(0, 1));
    ++e.truth.frames;
    if (source.kind == SourceKind::Video) {
      model_abs.push_back(model_lab.slice(0, 1));
      truth_abs.push_back(truth_lab.slice(0, 1));
      truth_ls.push_back(truth_lab.slice(0, 0, 1));
    }
  }
  if (!guided.empty()) {
    e.unreferenced = e.model;  // the same frames without the references
    e.references = references_used;
  }
  if (model_abs.size() >= 2) {
    e.model.flicker = flicker(torch::stack(model_abs));
    e.truth.flicker = flicker(torch::stack(truth_abs));
    const std::vector<double> warped = warped_flicker(truth_ls, {&model_abs, &truth_abs});
    e.model.warped_flicker = warped[0];
    e.truth.warped_flicker = warped[1];
    e.model.sequences = e.gray.sequences = e.truth.sequences = 1;  // the gray baseline's flicker is 0
  }
  e.sources = 1;
  e.better_than_gray = e.model.ab_l1 < e.gray.ab_l1 ? 1 : 0;
  return e;
}

namespace {

nlohmann::json truth_summary(const Totals& t) {
  const double n = std::max(1.0, static_cast<double>(t.frames));
  return {{"colourfulness", t.colourfulness / n},
          {"mean_a", t.mean_a / n},
          {"mean_b", t.mean_b / n},
          {"central_chroma", t.central_chroma / n}};
}

}  // namespace

nlohmann::json summary(const Evaluation& e) {
  nlohmann::json j{
      {"frames", e.truth.frames},
      {"videos", e.truth.sequences},
      {"source_count", e.sources},
      {"better_than_gray",
       e.sources > 0 ? static_cast<double>(e.better_than_gray) / static_cast<double>(e.sources) : 0.0},
      {"truth", truth_summary(e.truth)},
      {"model_result", summary_of(e.model, e.truth)},
      {"gray_baseline", summary_of(e.gray, e.truth)}};
  if (e.referenced.frames > 0) {
    const double n = static_cast<double>(e.referenced.frames);
    j["with_references"] = {
        {"references", e.references},
        {"frames", e.referenced.frames},
        {"ab_l1", e.referenced.ab_l1 / n},
        {"ab_l1_without", e.unreferenced.ab_l1 / n},
        {"ab_l1_ratio", e.unreferenced.ab_l1 > 0 ? e.referenced.ab_l1 / e.unreferenced.ab_l1 : 0.0},
        {"psnr_db", e.referenced.psnr / n},
        {"psnr_db_without", e.unreferenced.psnr / n}};
  }
  if (e.truth.sequences > 0) {
    const double sequences = static_cast<double>(e.truth.sequences);
    j["truth"]["flicker"] = e.truth.flicker / sequences;
    if (e.truth.warped_flicker >= 0) j["truth"]["flicker_warped"] = e.truth.warped_flicker / sequences;
  }
  return j;
}

}  // namespace colorize::training
