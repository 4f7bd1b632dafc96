// colorize-eval: how close a model's colours come to the truth on colour images or video, beside the
// gray baseline (ab = 0). Text table on stdout, JSON with --json (the whole set, and each source).
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/colorizer.hpp"
#include "flags/engine_flags.hpp"
#include "media/av_util.hpp"
#include "training/evaluation.hpp"
#include "training/sources.hpp"
#include "util/atomic_file.hpp"

namespace {

namespace po = boost::program_options;
using namespace colorize;
using namespace colorize::training;

void print_table(const nlohmann::json& j) {
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
  std::printf("%-14s %10s %10s %14.2f\n", "truth", "", "", j["truth"]["colourfulness"].get<double>());
  const auto& m = j["model_result"];
  const auto& t = j["truth"];
  std::printf(
      "mean a*b*: model (%.2f, %.2f), truth (%.2f, %.2f); central chroma %.2f against %.2f (ratio %.3f)\n",
      m["mean_a"].get<double>(), m["mean_b"].get<double>(), t["mean_a"].get<double>(),
      t["mean_b"].get<double>(), m["central_chroma"].get<double>(), t["central_chroma"].get<double>(),
      m["central_chroma_ratio"].get<double>());
  if (j.contains("with_references")) {
    const auto& r = j["with_references"];
    std::printf(
        "with references from the truth (%ld, over %ld video frames): ab L1 %.3f against %.3f without "
        "(ratio %.3f)\n",
        r["references"].get<long>(), r["frames"].get<long>(), r["ab_l1"].get<double>(),
        r["ab_l1_without"].get<double>(), r["ab_l1_ratio"].get<double>());
  }
  std::printf("(%ld frames, %ld videos; %ld sources, %.0f%% nearer the truth than gray)\n",
              j["frames"].get<long>(), j["videos"].get<long>(), j["source_count"].get<long>(),
              100 * j["better_than_gray"].get<double>());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> data, data_lists;
  std::string json_path, split = "all";
  double val_fraction = 0.1;
  int eval_size = 360, max_frames = 300, reference_frames = 0;
  // As colorize runs it: the engine's settings with their defaults for files (engine/settings.hpp).
  flags::EngineFlags engine_flags(engine::Use::Files);
  engine::ColorizerOptions options = engine::default_options(engine::Use::Files);
  double video_fps = 1000;
  po::options_description opts(
      "colorize-eval: a model's colours against the truth, beside the gray baseline\n\n"
      "usage: colorize-eval [--model NAME|FILE] (--data PATH | --data-list FILE)... [--json "
      "FILE]\n\nOptions");
  // clang-format off
  opts.add_options()
      ("help,h", "print this help")
      ("data", po::value(&data)->composing(), "colour images (folder) or colour video files (repeatable; "
       "its last path component names its category)")
      ("data-list", po::value(&data_lists)->composing()->value_name("FILE"),
       "a file of \"CATEGORY PATH\" lines, as colorize-train takes it")
      ("split", po::value(&split), "all (default), or validation / train: the part colorize-train holds out or trains on")
      ("val-fraction", po::value(&val_fraction), "the --val-fraction of that training run (default 0.1)")
      ("json", po::value(&json_path), "also write the results as JSON here")
      ("eval-size", po::value(&eval_size), "frames are shrunk to this short side first (default 360)")
      ("video-fps", po::value(&video_fps), "frames per second of video evaluated (default: all)")
      ("max-frames", po::value(&max_frames), "frames per video at most (default 300)")
      ("reference-frames", po::value(&reference_frames)->value_name("K"),
       "also colour every video with K of its true frames as reference colours (evenly spaced; 1: the "
       "middle frame), and report ab L1 with them beside without (default 0: none)");
  // clang-format on
  engine_flags.add_to(opts);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    if (vm.count("help")) {
      std::cout << opts << "\n";
      return 0;
    }
    po::notify(vm);
    if (data.empty() && data_lists.empty()) throw po::error("give the data: --data or --data-list");
    if (reference_frames < 0 || reference_frames > 1000)
      throw po::error("--reference-frames: " + std::to_string(reference_frames) + " is outside 0-1000");
    engine_flags.apply(vm, options);
  } catch (const po::error& e) {
    std::cerr << "colorize-eval: " << e.what() << "\n(colorize-eval --help lists the options)\n";
    return 2;
  }
  media::set_log_level(AV_LOG_ERROR);
  try {
    engine::Colorizer colorizer(options);
    DecodeOptions decode;
    decode.short_side = eval_size;
    decode.video_fps = video_fps;
    decode.min_change = -1;  // every sampled frame: flicker needs the real sequence
    decode.max_video_frames = max_frames;
    std::vector<Source> sources = find_sources(data_roots(data_lists, data));
    if (split == "validation" || split == "train") {
      const Split parts = split_sources(sources, val_fraction);
      sources = split == "validation" ? parts.validation : parts.train;
    } else if (split != "all") {
      throw std::runtime_error("--split must be all, validation or train");
    }
    Evaluation total;
    std::vector<std::pair<std::string, Evaluation>> categories;  // in order of first appearance
    nlohmann::json paths = nlohmann::json::array(), per_source = nlohmann::json::array();
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& source : sources) {
      Evaluation e;
      try {
        e = evaluate_source(colorizer, source, decode, reference_frames);
      } catch (const media::MediaError& error) {  // one bad file does not end the evaluation of the rest
        std::cerr << "colorize-eval: skipped: " << error.what() << "\n";
        skipped.push_back({{"source", source.path}, {"why", error.what()}});
        continue;
      }
      total += e;
      auto category = std::find_if(categories.begin(), categories.end(),
                                   [&](const auto& c) { return c.first == source.category; });
      if (category == categories.end()) category = categories.insert(categories.end(), {source.category, {}});
      category->second += e;
      paths.push_back(source.path);
      nlohmann::json one = summary(e);
      one["source"] = source.path;
      one["category"] = source.category;
      per_source.push_back(std::move(one));
    }
    if (total.truth.frames == 0) throw std::runtime_error("no frames to evaluate");
    nlohmann::json j = summary(total);
    j["model"] = options.model_path;
    j["skipped"] = skipped;
    j["temporal_smoothing"] = engine::setting("temporal-smoothing").get(options);
    j["sources"] = paths;
    j["per_source"] = per_source;
    j["per_category"] = nlohmann::json::object();
    for (const auto& [name, e] : categories) j["per_category"][name] = summary(e);
    if (categories.size() > 1)
      for (const auto& [name, e] : categories) {
        std::printf("%s:\n", name.c_str());
        print_table(summary(e));
        std::printf("\n");
      }
    if (categories.size() > 1) std::printf("all:\n");
    print_table(j);
    // A report never reads a half-written file.
    if (!json_path.empty()) util::write_file_atomically(json_path, j.dump(2) + "\n");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "colorize-eval: " << e.what() << "\n";
    return 1;
  }
}
