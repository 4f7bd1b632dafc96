#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "support/run.hpp"
#include "support/temp_dir.hpp"
#include "training/dataset.hpp"
#include "training/sources.hpp"

namespace colorize::training {
namespace {

using test::quote;

class TrainingData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    const auto ffmpeg = [](const std::string& args) {
      return test::run("ffmpeg -v error -y " + args).status;
    };
    std::filesystem::create_directories(dir_->file("photos/nested"));
    ASSERT_EQ(ffmpeg("-f lavfi -i testsrc2=size=96x64 -frames:v 1 " + quote(dir_->file("photos/a.png"))), 0);
    ASSERT_EQ(ffmpeg("-f lavfi -i mandelbrot=size=96x64 -frames:v 1 " + quote(dir_->file("photos/b.jpg"))),
              0);
    ASSERT_EQ(ffmpeg("-f lavfi -i testsrc2=size=80x80 -ss 2 -frames:v 1 " +
                     quote(dir_->file("photos/nested/c.png"))),
              0);
    ASSERT_EQ(ffmpeg("-f lavfi -i testsrc2=size=96x64 -frames:v 1 -vf format=gray " +
                     quote(dir_->file("photos/gray.png"))),
              0);
    ASSERT_EQ(test::run("echo not an image > " + quote(dir_->file("photos/broken.jpg"))).status, 0);
    ASSERT_EQ(test::run("echo notes > " + quote(dir_->file("photos/README.txt"))).status, 0);
    // 4 s of moving colour video at 10 fps, and 4 s of one still colour frame.
    ASSERT_EQ(ffmpeg("-f lavfi -i testsrc2=size=96x64:rate=10:duration=4 " + quote(dir_->file("moving.mp4"))),
              0);
    ASSERT_EQ(ffmpeg("-f lavfi -i smptebars=size=96x64:rate=10:duration=4 " + quote(dir_->file("still.mp4"))),
              0);
  }
  static void TearDownTestSuite() { delete dir_; }
  static test::TempDir* dir_;
};
test::TempDir* TrainingData::dir_ = nullptr;

TEST_F(TrainingData, FindsImagesAndVideosRecursively) {
  const auto sources = find_sources({dir_->file("photos"), dir_->file("moving.mp4")});
  ASSERT_EQ(sources.size(), 6u);  // a, b, c, gray, broken (by extension), moving; not README.txt
  EXPECT_EQ(std::count_if(sources.begin(), sources.end(),
                          [](const Source& s) { return s.kind == SourceKind::Video; }),
            1);
  EXPECT_THROW(find_sources({dir_->file("missing")}), std::runtime_error);
}

// A data list names categories; each source reports under the root it was found in, the first when two
// roots hold it; a plain --data path is a category named by its folder.
TEST_F(TrainingData, DataListNamesACategoryForEachRoot) {
  const std::string list = dir_->file("sources.list");
  {
    std::ofstream out(list);
    out << "# comment\n\nclips moving.mp4\nstills   " << dir_->file("photos") << "  \nnested photos/nested\n";
  }
  const auto roots = read_data_list(list);
  ASSERT_EQ(roots.size(), 3u);
  EXPECT_EQ(roots[0].category, "clips");
  EXPECT_EQ(roots[0].path, dir_->file("moving.mp4"));  // relative to the list's folder
  EXPECT_EQ(roots[1].path, dir_->file("photos"));      // absolute, trailing blanks dropped
  const auto sources = find_sources(roots);
  ASSERT_EQ(sources.size(), 6u);
  for (const auto& s : sources) {
    const std::string expected =
        s.kind == SourceKind::Video ? "clips" : "stills";  // nested/c.png: first root
    EXPECT_EQ(s.category, expected) << s.path;
  }
  EXPECT_EQ(data_root(dir_->file("photos") + "/").category, "photos");
  EXPECT_EQ(data_root("moving.mp4").category, "moving.mp4");
  EXPECT_EQ(find_sources({dir_->file("photos/nested")}).at(0).category, "nested");

  { std::ofstream(dir_->file("bad.list")) << "faces\n"; }
  EXPECT_THROW(read_data_list(dir_->file("bad.list")), std::runtime_error);
  EXPECT_THROW(read_data_list(dir_->file("missing.list")), std::runtime_error);
  { std::ofstream(dir_->file("empty.list")) << "# nothing\n"; }
  EXPECT_THROW(read_data_list(dir_->file("empty.list")), std::runtime_error);
}

TEST_F(TrainingData, SplitIsBySourceAndCoversEverything) {
  std::vector<Source> sources;
  for (int i = 0; i < 200; ++i)
    sources.push_back({"/data/clip" + std::to_string(i) + ".mp4", SourceKind::Video, "clips"});
  const Split split = split_sources(sources, 0.1);
  std::set<std::string> train, val;
  for (const auto& s : split.train) train.insert(s.path);
  for (const auto& s : split.validation) val.insert(s.path);
  EXPECT_EQ(train.size() + val.size(), 200u);
  for (const auto& v : val) EXPECT_EQ(train.count(v), 0u) << v << " is on both sides";
  EXPECT_GT(val.size(), 8u);
  EXPECT_LT(val.size(), 35u);
  // Stable: the same files give the same split, wherever the folder lives.
  std::vector<Source> moved = sources;
  for (auto& s : moved) s.path = "/elsewhere/" + std::filesystem::path(s.path).filename().string();
  EXPECT_EQ(split_sources(moved, 0.1).validation.size(), val.size());
  // Two sources and a positive fraction: one of them validates.
  EXPECT_EQ(split_sources({sources[0], sources[1]}, 0.1).validation.size(), 1u);
}

TEST_F(TrainingData, GraySourcesAndBrokenFilesAreSkippedAndCounted) {
  LoadReport report;
  const FrameSet set = load_frames(find_sources({dir_->file("photos")}), LoadOptions{}, report);
  EXPECT_EQ(report.sources, 5);
  EXPECT_EQ(report.gray_skipped, 1);
  EXPECT_EQ(report.failed, 1);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("broken.jpg"), std::string::npos) << report.problems[0];
  EXPECT_EQ(set.frames.size(), 3u);
}

TEST_F(TrainingData, VideoIsSampledAndRepeatsAreSkipped) {
  DecodeOptions o;
  o.video_fps = 2;
  const auto moving = decode_source({dir_->file("moving.mp4"), SourceKind::Video, "clips"}, o);
  EXPECT_GE(moving.size(), 7u);  // 4 s at 2 per second
  EXPECT_LE(moving.size(), 9u);
  const auto still = decode_source({dir_->file("still.mp4"), SourceKind::Video, "clips"}, o);
  EXPECT_EQ(still.size(), 1u);  // every sample repeats the first
}

TEST_F(TrainingData, LargeFramesAreShrunkToTheLoadSize) {
  DecodeOptions o;
  o.short_side = 32;
  const auto frames = decode_source({dir_->file("photos/a.png"), SourceKind::Image, "photos"}, o);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].size(0), 32);
  EXPECT_EQ(frames[0].size(1), 48);
}

// Frames kept on disk (--frame-cache) are the frames kept in memory, in the same order, and give the
// same batches; the memory limit does not apply to them, and the cache file never shows in the folder.
TEST_F(TrainingData, FrameCacheOnDiskGivesWhatMemoryGives) {
  const auto sources = find_sources({dir_->file("photos")});
  LoadReport report;
  const FrameSet in_memory = load_frames(sources, LoadOptions{}, report);
  LoadOptions o;
  o.cache_folder = dir_->file("cache");
  std::filesystem::create_directories(o.cache_folder);
  o.memory_limit = 1;
  o.workers = 3;
  const FrameSet on_disk = load_frames(sources, o, report);
  ASSERT_NE(on_disk.cache, nullptr);
  ASSERT_EQ(on_disk.frames.size(), in_memory.frames.size());
  EXPECT_EQ(on_disk.origins, in_memory.origins);
  for (std::size_t i = 0; i < in_memory.frames.size(); ++i)
    EXPECT_TRUE(torch::equal(on_disk.frames[i], in_memory.frames[i])) << "frame " << i;
  const Batch a = training_batch(in_memory, 4, 32, 3, 5), b = training_batch(on_disk, 4, 32, 3, 5);
  EXPECT_TRUE(torch::equal(a.L, b.L));
  EXPECT_TRUE(torch::equal(a.ab, b.ab));
  EXPECT_TRUE(std::filesystem::is_empty(o.cache_folder)) << "the cache file is unlinked at creation";
}

TEST_F(TrainingData, MemoryLimitSaysHowToStayWithinIt) {
  LoadOptions o;
  o.memory_limit = 1;
  LoadReport report;
  try {
    load_frames(find_sources({dir_->file("photos")}), o, report);
    FAIL() << "no error past the memory limit";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--frame-cache"), std::string::npos) << e.what();
  }
  o.cache_folder = dir_->file("no-such-folder");
  try {
    load_frames(find_sources({dir_->file("photos")}), o, report);
    FAIL() << "no error for a missing cache folder";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-folder"), std::string::npos) << e.what();
  }
}

TEST_F(TrainingData, BatchesDependOnlyOnSeedAndStep) {
  LoadReport report;
  const FrameSet set = load_frames(find_sources({dir_->file("photos")}), LoadOptions{}, report);
  const Batch a = training_batch(set, 3, 32, 7, 11), b = training_batch(set, 3, 32, 7, 11),
              c = training_batch(set, 3, 32, 7, 12);
  EXPECT_EQ(a.L.sizes(), (std::vector<int64_t>{3, 1, 32, 32}));
  EXPECT_EQ(a.ab.sizes(), (std::vector<int64_t>{3, 2, 32, 32}));
  EXPECT_TRUE(torch::equal(a.L, b.L));
  EXPECT_TRUE(torch::equal(a.ab, b.ab));
  EXPECT_FALSE(torch::equal(a.L, c.L));
  EXPECT_LE(a.L.abs().max().item<float>(), 1.0f + 1e-5f);  // L / 50 - 1 lies in [-1, 1]
}

// The validation batch spreads over the set (sorted by path, the first frames would all be one folder).
TEST(ValidationBatch, TakesFramesSpreadOverTheSet) {
  FrameSet set;
  for (int k = 0; k < 8; ++k) {
    set.frames.push_back(torch::full({40, 40, 3}, 30 * k, torch::kUInt8));  // grays of rising lightness
    set.origins.push_back("frame " + std::to_string(k));
  }
  const Batch b = validation_batch(set, 32, 4);
  ASSERT_EQ(b.L.size(0), 4);
  for (int i = 0; i < 4; ++i) {  // frames 0, 2, 4, 6
    const Batch one = validation_batch(FrameSet{{set.frames[2 * i]}, {"x"}, nullptr}, 32, 1);
    EXPECT_TRUE(torch::allclose(b.L[i], one.L[0])) << "row " << i;
  }
  EXPECT_EQ(validation_batch(set, 32, 20).L.size(0), 8);  // never more than the set
}

}  // namespace
}  // namespace colorize::training
