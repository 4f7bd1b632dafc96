// The fixture of the `colorize` command's tests: clips made here with the ffmpeg tool (lavfi testsrc +
// sine audio), a small random model, and the command run through the shell.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "model/generator_config.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"
#include "support/test_models.hpp"

namespace colorize::cli {

class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    test::write_random_generator(dir_->file("model.safetensors"), 5, model::GeneratorConfig{8, 8, 1, 2});
    // 3 s of 320x240 black-and-white video at 25 fps with a 440 Hz AAC track and a title.
    ASSERT_EQ(
        ffmpeg(
            "-f lavfi -i testsrc=size=320x240:rate=25:duration=3 -f lavfi -i sine=frequency=440:duration=3 "
            "-vf format=gray -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest -metadata "
            "title=colorize-test " +
            test::quote(dir_->file("clip.mp4"))),
        0);
    ASSERT_EQ(ffmpeg("-f lavfi -i testsrc=size=200x150 -frames:v 1 -vf format=gray " +
                     test::quote(dir_->file("still.png"))),
              0);
    ASSERT_EQ(ffmpeg("-f lavfi -i sine=duration=1 " + test::quote(dir_->file("audio.wav"))), 0);
  }
  static void TearDownTestSuite() { delete dir_; }

  static int ffmpeg(const std::string& args) { return test::run("ffmpeg -v error -y " + args).status; }
  static std::string probe(const std::string& file, const std::string& entries,
                           const std::string& select = "v:0") {
    auto r = test::run("ffprobe -v error -select_streams " + select + " -count_packets -show_entries " +
                       entries + " -of default=nw=1:nk=1 " + test::quote(file));
    while (!r.output.empty() && (r.output.back() == '\n' || r.output.back() == '\r')) r.output.pop_back();
    return r.output;
  }
  static std::string audio_hash(const std::string& file) {
    return test::run("ffmpeg -v error -i " + test::quote(file) + " -map 0:a -c copy -f md5 -").output;
  }
  static std::string model() { return dir_->file("model.safetensors"); }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static test::RunResult colorize(const std::string& args) {
    return test::run(std::string(COLORIZE_CLI) + " -v error --model " + test::quote(model()) + " " + args);
  }
  // No file named like the output, and no temporary file beside it.
  static void expect_nothing_written(const std::string& output) {
    EXPECT_FALSE(std::filesystem::exists(output)) << output;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(output).parent_path()))
      EXPECT_EQ(e.path().string().find(".part"), std::string::npos) << "left behind: " << e.path();
  }

  static inline test::TempDir* dir_ = nullptr;
};

}  // namespace colorize::cli
