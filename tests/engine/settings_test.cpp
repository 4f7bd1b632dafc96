// The engine's settings table: every front end's options and properties come from it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "engine/bundled_models.hpp"
#include "engine/settings.hpp"
#include "model/model_info.hpp"
#include "support/temp_dir.hpp"

namespace colorize::engine {
namespace {

TEST(Settings, EachHasAUniqueNameHelpAndAReadableDefault) {
  std::set<std::string> names;
  for (const auto& s : settings()) {
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_GT(std::string(s.help).size(), 10u) << s.name;
    for (Use use : {Use::Files, Use::Live}) {
      ColorizerOptions o = default_options(use);
      const std::string value = s.get(o);
      EXPECT_NO_THROW(s.set(o, value)) << s.name << " = " << value;  // the default is allowed
      EXPECT_EQ(s.get(o), value);
    }
    if (s.kind == Setting::Kind::Choice) {
      EXPECT_FALSE(s.choices.empty()) << s.name;
    }
    if (s.kind == Setting::Kind::Number) {
      EXPECT_LE(s.minimum, s.maximum) << s.name;
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"model", "device", "precision", "render-size", "threads",
                                          "temporal-smoothing", "lookahead"}));
}

TEST(Settings, TextSetsTheFieldAndBadTextSaysWhatIsAllowed) {
  ColorizerOptions o;
  setting("device").set(o, "cuda");
  EXPECT_EQ(o.device, Device::Cuda);
  setting("precision").set(o, "bf16");
  EXPECT_EQ(o.precision, Precision::BFloat16);
  setting("render-size").set(o, "384");
  EXPECT_EQ(o.render_size, 384);
  setting("model").set(o, "quality");
  EXPECT_EQ(o.model_path, "quality");
  const auto message = [&](const char* name, const char* text) {
    try {
      setting(name).set(o, text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("device", "tpu"), "device: 'tpu' is not auto|cpu|cuda");
  EXPECT_EQ(message("render-size", "8"), "render-size: 8 is outside 16-4096");
  EXPECT_EQ(message("render-size", "256px"), "render-size: '256px' is not a whole number in 16-4096");
  EXPECT_EQ(message("lookahead", "0"), "lookahead: 0 is outside 1-64");
  EXPECT_EQ(o.render_size, 384) << "a refused value leaves the option as it was";
  EXPECT_THROW(setting("no-such-setting"), std::out_of_range);
}

TEST(Settings, FilesSmoothWithLookAheadAndLiveStreamsWithoutLatency) {
  const TemporalSmoothing files = default_options(Use::Files).temporal;
  const TemporalSmoothing live = default_options(Use::Live).temporal;
  if (temporal_smoothing_available()) {
    EXPECT_EQ(files, TemporalSmoothing::File);
    EXPECT_EQ(live, TemporalSmoothing::Live);
  } else {
    EXPECT_EQ(files, TemporalSmoothing::Off);
    EXPECT_EQ(live, TemporalSmoothing::Off);
    ColorizerOptions o;
    EXPECT_THROW(setting("temporal-smoothing").set(o, "file"), std::invalid_argument);
  }
  EXPECT_EQ(
      setting("render-size").describe(Use::Files),
      "short side, in pixels, at which the network runs (its long side at most 4 times this) (default: 256)");
}

TEST(BundledModels, FindsTheDefaultByNameAndTakesPathsAsTheyAre) {
  const std::string found = find_model("");
  EXPECT_EQ(std::filesystem::path(found).filename(), "default.safetensors");
  EXPECT_TRUE(std::filesystem::is_regular_file(found));
  EXPECT_EQ(find_model(kDefaultModel), found);
  EXPECT_EQ(find_model("some/dir/model.safetensors"), "some/dir/model.safetensors");
  EXPECT_EQ(find_model("mine.safetensors"), "mine.safetensors") << "a file name, not a bundled name";
  test::TempDir dir;
  const std::string here = dir.file("plain-name");
  { std::ofstream(here) << "x"; }
  EXPECT_EQ(find_model(here), here);
}

TEST(BundledModels, AnUnknownNameSaysWhereItLooked) {
  try {
    find_model("no-such-model");
    FAIL() << "an unknown name was accepted";
  } catch (const model::ModelFileError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no bundled model has this name"), std::string::npos) << what;
    EXPECT_NE(what.find("no-such-model.safetensors"), std::string::npos) << what;
    EXPECT_NE(what.find("models"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace colorize::engine
