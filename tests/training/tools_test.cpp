// colorize-train and colorize-eval as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/model_file.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace colorize::training {
namespace {

using test::quote;
using test::run;
namespace fs = std::filesystem;

class Tools : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.file("data"));
    for (int i = 0; i < 4; ++i)
      ASSERT_EQ(run("ffmpeg -v error -y -f lavfi -i testsrc2=size=96x72 -ss " + std::to_string(i) +
                    " -frames:v 1 " + quote(dir_.file("data/p" + std::to_string(i) + ".png")))
                    .status,
                0);
    ASSERT_EQ(run("ffmpeg -v error -y -f lavfi -i testsrc2=size=96x72:rate=10:duration=2 " +
                  quote(dir_.file("data/v.mp4")))
                  .status,
              0);
  }
  std::string train(const std::string& args) {
    return std::string(COLORIZE_TRAIN) + " --data " + quote(dir_.file("data")) + " --out " +
           quote(dir_.file("run")) + " --ngf 4 --levels 5 --ndf 8 --size 32 --batch 2 " + args;
  }
  test::TempDir dir_;
};

TEST_F(Tools, TrainWritesEverythingAndResumes) {
  const std::string intervals = " --log-every 1 --val-every 3 --checkpoint-every 2";
  auto r = run(train("--steps 6" + intervals));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* f : {"run/checkpoint.pt", "run/metrics.csv", "run/generator.safetensors",
                        "run/samples/step-0000003.png", "run/samples/step-0000006.png"})
    EXPECT_TRUE(fs::exists(dir_.file(f))) << f;
  std::ifstream csv(dir_.file("run/metrics.csv"));
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("step,lr,loss_d", 0), 0u) << header;
  int rows = 0;
  for (std::string line; std::getline(csv, line);) ++rows;
  EXPECT_EQ(rows, 6);

  // The resumed run keeps its frames on disk: the same frames, so the same batches as in memory.
  r = run(train("--steps 8 --resume --frame-cache " + quote(dir_.file("frame-cache")) + intervals));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("resumed from step 6"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("in a frame cache in"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(dir_.file("frame-cache"))) << "the cache file outlived the run";
  const auto info = model::load_generator(dir_.file("run/generator.safetensors")).info;
  EXPECT_EQ(info.provenance.at("steps"), "8");
  EXPECT_FALSE(info.provenance.at("date").empty());
  EXPECT_FALSE(info.provenance.at("revision").empty());
}

TEST_F(Tools, InterruptedTrainingKeepsACheckpoint) {
  // SIGINT once training is under way (its first status line), however long start-up takes.
  const std::string log = quote(dir_.file("train.log"));
  const auto r =
      run("(" + train("--steps 100000 --log-every 1 --val-every 100000 --checkpoint-every 100000") + " >" +
          log + " 2>&1 & pid=$!; for i in $(seq 600); do grep -q 'step ' " + log +
          " && break; sleep 0.1; done; kill -INT $pid; wait $pid; echo status=$?; cat " + log + ")");
  EXPECT_NE(r.output.find("status=130"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("checkpoint saved"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(dir_.file("run/checkpoint.pt")));
  EXPECT_FALSE(fs::exists(dir_.file("run/checkpoint.pt.tmp")));
}

TEST_F(Tools, EvalReportsModelAndGrayBaseline) {
  ASSERT_EQ(run(train("--steps 2")).status, 0);
  const auto r =
      run(std::string(COLORIZE_EVAL) + " --model " + quote(dir_.file("run/generator.safetensors")) +
          " --data " + quote(dir_.file("data")) + " --json " + quote(dir_.file("eval.json")));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("gray baseline"), std::string::npos) << r.output;
  std::ifstream in(dir_.file("eval.json"));
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["frames"].get<int>(), 4 + 20);
  EXPECT_EQ(j["videos"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(j["gray_baseline"]["flicker"].get<double>(), 0.0);
  EXPECT_GT(j["gray_baseline"]["ab_l1"].get<double>(), 5.0);
  EXPECT_GT(j["truth"]["colourfulness"].get<double>(), 20.0);
  EXPECT_TRUE(j["model_result"].contains("flicker_ratio"));
  EXPECT_FALSE(fs::exists(dir_.file("eval.json.partial")));

  // Each source on its own, adding up to the whole set: frame counts, and the set's ab L1 as the
  // frame-weighted mean of the sources' (what scripts/quality-report.sh relies on).
  const auto& sources = j["per_source"];
  ASSERT_EQ(sources.size(), j["sources"].size());
  ASSERT_EQ(sources.size(), 5u);  // 4 images and a video
  long frames = 0, videos = 0;
  double weighted_ab_l1 = 0;
  for (const auto& s : sources) {
    frames += s["frames"].get<long>();
    videos += s["videos"].get<long>();
    weighted_ab_l1 += s["frames"].get<double>() * s["model_result"]["ab_l1"].get<double>();
    EXPECT_EQ(s["model_result"].contains("flicker"), s["videos"].get<long>() == 1) << s.dump();
  }
  EXPECT_EQ(frames, 24);
  EXPECT_EQ(videos, 1);
  EXPECT_NEAR(weighted_ab_l1 / 24, j["model_result"]["ab_l1"].get<double>(), 1e-9);
}

}  // namespace
}  // namespace colorize::training
