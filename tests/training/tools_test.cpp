// colorize-train and colorize-eval as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

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
  std::string train(const std::string& args, const std::string& out = "run") {
    return std::string(COLORIZE_TRAIN) + " --data " + quote(dir_.file("data")) + " --out " +
           quote(dir_.file(out)) + " --ngf 4 --levels 5 --ndf 8 --size 32 --batch 2 " + args;
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
  csv.close();
  // As a run that crashed after its last checkpoint leaves it: rows logged past the checkpoint's step.
  std::ofstream(dir_.file("run/metrics.csv"), std::ios::app) << "7,0,0,0,0,,,,,0,0\n8,0,0,0,0,,,,,0,0\n";

  // The resumed run keeps its frames on disk: the same frames, so the same batches as in memory.
  r = run(train("--steps 8 --resume --frame-cache " + quote(dir_.file("frame-cache")) + intervals));
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream resumed_csv(dir_.file("run/metrics.csv"));
  std::getline(resumed_csv, header);
  std::vector<std::string> steps;
  for (std::string line; std::getline(resumed_csv, line);) steps.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(steps, (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"}))
      << "each step once: the crashed run's rows past the checkpoint give way to the resumed run's";
  EXPECT_NE(r.output.find("resumed from step 6"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("in a frame cache in"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(dir_.file("frame-cache"))) << "the cache file outlived the run";
  const auto info = model::load_generator(dir_.file("run/generator.safetensors")).info;
  EXPECT_EQ(info.provenance.at("steps"), "8");
  EXPECT_FALSE(info.provenance.at("date").empty());
  EXPECT_FALSE(info.provenance.at("revision").empty());
}

// Two data-parallel ranks on this machine (scripts/train-ranks.sh, torchrun's variables): one run, its
// files written by rank 0 alone, its provenance naming the ranks; continued by one process.
TEST_F(Tools, TwoRanksTrainOneRunThatResumesAtAnyWorldSize) {
  auto r = run("COLORIZE_TRAIN=" + quote(COLORIZE_TRAIN) + " bash " + quote(COLORIZE_SOURCE_DIR) +
               "/scripts/train-ranks.sh 2 " +
               train("--steps 4 --threads 1 --log-every 1 --val-every 2 --checkpoint-every 2")
                   .substr(std::string(COLORIZE_TRAIN).size()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("rank 0 of 2 (torchrun)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[rank 1] colorize-train: rank 1 of 2"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("[rank 1] step "), std::string::npos) << "only rank 0 reports steps";
  std::ifstream csv(dir_.file("run/metrics.csv"));
  int rows = -1;
  for (std::string line; std::getline(csv, line);) ++rows;
  EXPECT_EQ(rows, 4) << "one metrics.csv, its rows written once";
  const auto info = model::load_generator(dir_.file("run/generator.safetensors")).info;
  EXPECT_NE(info.provenance.at("recipe").find("batch 4 (2 ranks of 2)"), std::string::npos)
      << info.provenance.at("recipe");
  r = run(train("--steps 6 --resume --log-every 1 --val-every 3 --checkpoint-every 3"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("resumed from step 4"), std::string::npos) << r.output;
}

// A rank that dies (SIGKILL: no goodbye) makes the others stop with an error at their next collective,
// not wait for it.
TEST_F(Tools, WhenARankDiesTheOthersStopWithinAMinute) {
  const std::string log0 = quote(dir_.file("rank0.log")), log1 = quote(dir_.file("rank1.log"));
  const std::string env =
      "WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$(python3 -c 'import socket; "
      "s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])')";
  const std::string args =
      "--steps 100000 --threads 1 --log-every 1 --val-every 100000 --checkpoint-every 100000";
  const auto r =
      run("(export " + env + "; RANK=0 " + train(args) + " >" + log0 + " 2>&1 & p0=$!; RANK=1 " +
          train(args) + " >" + log1 + " 2>&1 & p1=$!; for i in $(seq 1200); do grep -q 'step ' " + log0 +
          " && break; sleep 0.1; done; kill -KILL $p1; start=$(date +%s); wait $p0; "
          "echo status=$? seconds=$(( $(date +%s) - start )); cat " +
          log0 + ")");
  EXPECT_NE(r.output.find("status=1 "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("a collective operation failed"), std::string::npos) << r.output;
  const auto at = r.output.find("seconds=");
  ASSERT_NE(at, std::string::npos) << r.output;
  EXPECT_LE(std::stoi(r.output.substr(at + 8)), 60) << r.output;
}

// A run that cannot start (here: nothing in colour to learn from) says why and leaves no run folder.
TEST_F(Tools, TrainingThatCannotStartLeavesNoRunFolder) {
  fs::create_directories(dir_.file("gray"));
  ASSERT_EQ(run("ffmpeg -v error -y -f lavfi -i testsrc2=size=96x72 -frames:v 1 -vf format=gray " +
                quote(dir_.file("gray/g.png")))
                .status,
            0);
  const auto r = run(std::string(COLORIZE_TRAIN) + " --data " + quote(dir_.file("gray")) + " --out " +
                     quote(dir_.file("never")) + " --ngf 4 --levels 5 --ndf 8 --size 32 --batch 2 --steps 2");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("no colour training frames"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_.file("never")));
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

// A full disk (here: the checkpoint's temporary name leads to /dev/full) ends the run with the reason;
// it aborted in LibTorch's writer (SIGABRT) and left a partial checkpoint.pt.tmp. The last good
// checkpoint stays, and the run resumes from it once there is room.
TEST_F(Tools, FullDiskEndsTrainingWithTheReasonAndKeepsTheLastCheckpoint) {
  const std::string every = " --log-every 1 --val-every 100 --checkpoint-every 2";
  ASSERT_EQ(run(train("--steps 2" + every)).status, 0);
  const std::string tmp = dir_.file("run/checkpoint.pt.tmp");
  fs::create_symlink("/dev/full", tmp);
  auto r = run(train("--steps 6 --resume" + every));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("No space left on device"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(fs::symlink_status(tmp))) << "the temporary file outlived the failure";
  r = run(train("--steps 4 --resume" + every));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("resumed from step 2"), std::string::npos) << r.output;
}

// A learning rate far too high: batch-norm statistics overflow within a few steps while the losses stay
// finite. It exported a generator with 32 non-finite weights; now it stops and saves nothing poisoned.
TEST_F(Tools, DivergedTrainingStopsWithoutSavingPoisonedWeights) {
  const auto r = run(train("--steps 40 --lr 1e6 --log-every 1 --val-every 100 --checkpoint-every 5"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("training diverged"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_.file("run/generator.safetensors")));
  if (fs::exists(dir_.file("run/checkpoint.pt"))) {  // saved before the divergence: still good
    const auto resumed = run(train("--steps 1000 --resume --lr 1e-9 --log-every 1 --checkpoint-every 1000"));
    EXPECT_EQ(resumed.output.find("not finite"), std::string::npos) << resumed.output;
  }
}

TEST_F(Tools, EvalReportsModelAndGrayBaseline) {
  ASSERT_EQ(run(train("--steps 2")).status, 0);
  // An undecodable file among the data is skipped with a word, and the rest evaluated.
  std::ofstream(dir_.file("data/broken.png")) << "not a picture";
  const auto r =
      run(std::string(COLORIZE_EVAL) + " --model " + quote(dir_.file("run/generator.safetensors")) +
          " --data " + quote(dir_.file("data")) + " --json " + quote(dir_.file("eval.json")));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("gray baseline"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("skipped: "), std::string::npos) << r.output;
  std::ifstream in(dir_.file("eval.json"));
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["skipped"].size(), 1u) << j["skipped"].dump();
  EXPECT_NE(j["skipped"][0]["source"].get<std::string>().find("broken.png"), std::string::npos);
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

// References from the truth: the video coloured again with its middle frame as a reference, over the
// video's frames only, and far nearer the truth (a 2-step model's colour is far off; the reference's is
// the truth's).
TEST_F(Tools, EvalReportsTheVideoWithReferencesFromTheTruth) {
  ASSERT_EQ(run(train("--steps 2")).status, 0);
  const auto r = run(std::string(COLORIZE_EVAL) + " --model " +
                     quote(dir_.file("run/generator.safetensors")) + " --data " + quote(dir_.file("data")) +
                     " --reference-frames 1 --json " + quote(dir_.file("eval.json")));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("with references from the truth (1, over 20 video frames)"), std::string::npos)
      << r.output;
  std::ifstream in(dir_.file("eval.json"));
  const auto j = nlohmann::json::parse(in);
  const auto& refs = j["with_references"];
  EXPECT_EQ(refs["references"].get<int>(), 1);
  EXPECT_EQ(refs["frames"].get<int>(), 20);
  EXPECT_LT(refs["ab_l1"].get<double>(), 0.5 * refs["ab_l1_without"].get<double>()) << refs.dump();
  EXPECT_NEAR(refs["ab_l1_ratio"].get<double>(),
              refs["ab_l1"].get<double>() / refs["ab_l1_without"].get<double>(), 1e-9);
  // Only the video has references: the images' entries have none.
  for (const auto& s : j["per_source"])
    EXPECT_EQ(s.contains("with_references"), s["videos"].get<long>() == 1);
  EXPECT_EQ(run(std::string(COLORIZE_EVAL) + " --data " + quote(dir_.file("data")) + " --reference-frames -1")
                .status,
            2);
}

// A stage of a long run: the stage file is written, the next stage continues from it at its step with the
// same schedule, and a stage interrupted and started again continues from its own later checkpoint.
TEST_F(Tools, StagesContinueFromTheStageFile) {
  auto r = run(train("--steps 6 --decay-steps 4 --max-minutes 100 --export-stage stage.pt"));
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_TRUE(fs::exists(dir_.file("run/stage.pt")));
  const std::string next = " --resume-stage " + quote(dir_.file("run/stage.pt"));
  r = run(train("--steps 10 --decay-steps 4 --export-stage stage.pt" + next, "next"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("continuing from the stage file"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("at step 6"), std::string::npos) << r.output;
  const auto info = model::load_generator(dir_.file("next/generator.safetensors")).info;
  EXPECT_EQ(info.provenance.at("steps"), "10");
  r = run(train("--steps 12 --decay-steps 4" + next, "next"));  // next/checkpoint.pt (step 10) is further on
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("resumed from step 10"), std::string::npos) << r.output;

  r = run(train("--steps 2 --data-list " + quote(dir_.file("missing.list"))));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("cannot read the data list"), std::string::npos) << r.output;
}

// A generator-only stage (for generators too large to commit with their discriminator): smaller than the
// whole stage, continued from with the discriminator afresh, which the next stage says; the option without
// a stage file to shape is refused.
TEST_F(Tools, GeneratorOnlyStagesContinueWithAFreshDiscriminator) {
  auto r = run(train("--steps 4 --export-stage both.pt"));
  ASSERT_EQ(r.status, 0) << r.output;
  r = run(train("--steps 4 --export-stage generator.pt --stage-generator-only", "slim"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_LT(fs::file_size(dir_.file("slim/generator.pt")), fs::file_size(dir_.file("run/both.pt")));
  r = run(train("--steps 6 --resume-stage " + quote(dir_.file("slim/generator.pt")), "next"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("at step 4 (the optimisers' moments and the discriminator start afresh)"),
            std::string::npos)
      << r.output;
  r = run(train("--steps 2 --stage-generator-only", "refused"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("give --export-stage NAME too"), std::string::npos) << r.output;
}

// Figures per category of a data list, adding up to the whole set; the cast and chroma statistics.
TEST_F(Tools, EvalReportsEachCategory) {
  ASSERT_EQ(run(train("--steps 2")).status, 0);
  {
    std::ofstream(dir_.file("sources.list")) << "stills data/p0.png\nstills data/p1.png\nclips data/v.mp4\n";
  }
  const auto r =
      run(std::string(COLORIZE_EVAL) + " --model " + quote(dir_.file("run/generator.safetensors")) +
          " --data-list " + quote(dir_.file("sources.list")) + " --json " + quote(dir_.file("eval.json")));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("stills:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mean a*b*"), std::string::npos) << r.output;
  std::ifstream in(dir_.file("eval.json"));
  const auto j = nlohmann::json::parse(in);
  ASSERT_TRUE(j.contains("per_category"));
  EXPECT_EQ(j["per_category"]["stills"]["frames"].get<long>(), 2);
  EXPECT_EQ(j["per_category"]["clips"]["frames"].get<long>(), 20);
  EXPECT_EQ(j["per_category"]["stills"]["source_count"].get<long>(), 2);
  EXPECT_EQ(j["sources"].size(), 3u);
  for (const auto& s : j["per_source"]) EXPECT_TRUE(s["category"] == "stills" || s["category"] == "clips");
  const double better = j["better_than_gray"].get<double>();
  EXPECT_TRUE(better >= 0 && better <= 1) << better;
  // testsrc2's truth is colourful; the gray baseline has no chroma and no cast.
  EXPECT_GT(j["truth"]["central_chroma"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(j["gray_baseline"]["central_chroma"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j["gray_baseline"]["mean_a"].get<double>(), 0.0);
  const double stills_a = j["per_category"]["stills"]["truth"]["mean_a"].get<double>(),
               clips_a = j["per_category"]["clips"]["truth"]["mean_a"].get<double>();
  EXPECT_NEAR(j["truth"]["mean_a"].get<double>(), (2 * stills_a + 20 * clips_a) / 22, 1e-6);
}

// The GPU machine's path, up to the device: the data list packed as JPEG files split as colorize-train
// splits it, decoded without FFmpeg (Pillow), trained by colorize-train-pack on the CPU. Batches made on
// three threads are the batches of one: the same losses step for step.
TEST_F(Tools, DevicePackTrainsLikeTheRecipe) {
  { std::ofstream(dir_.file("sources.list")) << "stills data\n"; }
  const std::string source(COLORIZE_SOURCE_DIR);
  auto r = run("COLORIZE_TRAIN=" + quote(COLORIZE_TRAIN) + " bash " +
               quote(source + "/scripts/device-training-pack.sh") + " " + quote(dir_.file("sources.list")) +
               " " + quote(dir_.file("pack")) + " 48");
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream index(dir_.file("pack/index.tsv"));
  int train = 0, validation = 0;
  for (std::string line; std::getline(index, line);)
    (line.rfind("validation", 0) == 0 ? validation : train)++;
  EXPECT_GE(validation, 1);
  EXPECT_GE(train, 3);
  r = run("/usr/bin/python3 " + quote(source + "/bench/gpu/unpack_frames.py") + " " +
          quote(dir_.file("pack")) + " " + quote(dir_.file("frames.bin")));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto pack_train = [&](const std::string& out, int threads) {
    return run(std::string(COLORIZE_TRAIN_PACK) + " --frames " + quote(dir_.file("frames.bin")) + " --out " +
               quote(dir_.file(out)) +
               " --device cpu --ngf 4 --levels 5 --ndf 8 --size 32 --batch 2 --steps 4 " +
               "--log-every 1 --val-every 2 --fp16 --export-stage stage.pt --batch-threads " +
               std::to_string(threads));
  };
  r = pack_train("one", 1);
  ASSERT_EQ(r.status, 0) << r.output;
  r = pack_train("three", 3);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto losses = [&](const std::string& out) {
    std::ifstream csv(dir_.file(out + "/metrics.csv"));
    std::string text, line;
    while (std::getline(csv, line))
      text +=
          line.substr(0, line.find(",", line.find(",", line.find(",", line.find(",") + 1) + 1) + 1)) + "\n";
    return text;  // step, lr, loss_d, loss_g_gan of every row
  };
  EXPECT_EQ(losses("one"), losses("three"));
  EXPECT_TRUE(fs::exists(dir_.file("one/stage.pt")));
  const auto info = model::load_generator(dir_.file("one/generator.safetensors")).info;
  EXPECT_EQ(info.provenance.at("steps"), "4");
  EXPECT_EQ(info.generator.upsampling, model::Upsampling::Resize);
}

}  // namespace
}  // namespace colorize::training
