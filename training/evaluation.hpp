// What colorize-eval measures: a model's colours against the truth, beside the gray baseline (ab = 0),
// one source at a time, so that a report can show each source and the whole set from one pass.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/colorizer.hpp"
#include "training/frames.hpp"
#include "training/sources.hpp"

namespace colorize::training {

// Sums over frames (ab L1, PSNR, colourfulness) and over videos (flicker): sums, not means, so that
// sources add up to the whole set with each frame weighing alike, as the set's figures always have.
struct Totals {
  double ab_l1 = 0, psnr = 0, colourfulness = 0, flicker = 0, warped_flicker = 0;
  // Per frame: mean a* and b* (a cast shows as a mean away from the truth's), and the mean chroma of the
  // frame's central part, the middle half of its width and of its height (where a portrait's face is).
  double mean_a = 0, mean_b = 0, central_chroma = 0;
  long frames = 0, sequences = 0;

  Totals& operator+=(const Totals& other);
};

struct Evaluation {
  Totals model, gray, truth;  // truth: colourfulness, flicker, mean ab and chroma of the true colours
  long sources = 0, better_than_gray = 0;  // sources whose model ab L1 is below the gray baseline's
  // With references taken from the truth (videos only): the model with them, and without them on the
  // same frames.
  Totals referenced, unreferenced;
  long references = 0;

  Evaluation& operator+=(const Evaluation& other);
};

// Colorizes every frame of one source in order (temporal smoothing starts afresh) and measures it. For a
// video and reference_frames > 0, also colorizes it again with that many of its true frames as reference
// colours (engine/reference_colours.hpp), evenly spaced (1: the middle frame), and measures both.
Evaluation evaluate_source(engine::Colorizer& colorizer, const Source& source, const DecodeOptions& decode,
                           int reference_frames = 0);

// {frames, videos, source_count, better_than_gray, truth, model_result, gray_baseline}: means and ratios to
// the truth; with_references {references, frames, ab_l1, ab_l1_without, ab_l1_ratio, psnr_db,
// psnr_db_without} where references
// were taken. Warped flicker appears only where the build has OpenCV (the engine's MotionWarp).
nlohmann::json summary(const Evaluation& e);

}  // namespace colorize::training
