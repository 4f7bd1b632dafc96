// Outputs that are not regular files, as ffmpeg writes them: standard output, pipe:, FIFOs and devices
// written directly (never replaced), formats that write nothing, a reader that goes away.
#include <sys/stat.h>

#include "cli/cli_fixture.hpp"

namespace colorize::cli {
namespace {

namespace fs = std::filesystem;
using test::quote;
using test::run;

std::string cli() { return std::string(COLORIZE_CLI) + " -v error --model "; }

TEST_F(Cli, DashOutputIsStandardOutput) {
  const std::string got = file("from-stdout.mkv");
  for (const std::string name : {"-", "pipe:1"}) {
    // stdout to a file by the shell; what colorize says goes to the test's output.
    const auto r = run("(" + cli() + quote(model()) + " -i " + quote(file("clip.mp4")) +
                       " -t 1 -f matroska -o " + name + " > " + quote(got) + ")");
    ASSERT_EQ(r.status, 0) << name << ": " << r.output;
    EXPECT_EQ(probe(got, "stream=nb_read_packets"), "25") << name;
    EXPECT_EQ(probe(got, "stream=codec_type", "a:0"), "audio") << name;
    EXPECT_FALSE(fs::exists(name)) << "a file named " << name << " was written";
  }
}

TEST_F(Cli, StandardOutputNeedsAFormat) {
  const auto r = colorize("-i " + quote(file("clip.mp4")) + " -t 0.2 -o -");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("give one with -f"), std::string::npos) << r.output;
}

TEST_F(Cli, FifoIsWrittenIntoNotReplaced) {
  const std::string fifo = file("out.fifo"), got = file("through-fifo.mkv");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string y : {"", "-y "}) {
    const auto r = run("(cat " + quote(fifo) + " > " + quote(got) + " & " + cli() + quote(model()) + " " + y +
                       "-i " + quote(file("clip.mp4")) + " -t 1 -f matroska -o " + quote(fifo) + "; wait)");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::is_fifo(fifo));
    EXPECT_EQ(probe(got, "stream=nb_read_packets"), "25");
  }
}

TEST_F(Cli, CharacterDeviceIsWrittenIntoNotReplaced) {
  const auto r = colorize("-y -i " + quote(file("clip.mp4")) + " -t 0.4 -f matroska -o /dev/null");
  ASSERT_EQ(r.status, 0) << r.output;
  struct stat st {};
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null is no longer a device";
  for (const auto& e : fs::directory_iterator("/dev"))
    EXPECT_EQ(e.path().filename().string().find(".null.colorize-"), std::string::npos) << e.path();
}

// -f null encodes and writes nothing: for timing a run, as ffmpeg's -f null -.
TEST_F(Cli, NullFormatWritesNothingAndSucceeds) {
  const std::string out = file("null-output");
  const auto r = run(std::string(COLORIZE_CLI) + " -v info --model " + quote(model()) + " -i " +
                     quote(file("clip.mp4")) + " -t 1 -f null -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("wrote 25 frames"), std::string::npos) << r.output;
  expect_nothing_written(out);
}

// colorize -o - | head: an error that says so, not a silent death by SIGPIPE.
TEST_F(Cli, ReaderThatGoesAwayIsAnError) {
  const auto s = run("bash -c " +
                     quote("set -o pipefail; " + cli() + quote(model()) + " -i " + quote(file("clip.mp4")) +
                           " -f matroska -o - 2>" + quote(file("epipe.txt")) + " | head -c 100 >/dev/null"));
  EXPECT_EQ(s.status, 1) << s.output;
  const std::string said = run("cat " + quote(file("epipe.txt"))).output;
  EXPECT_NE(said.find("Broken pipe"), std::string::npos) << said;
}

// An output named by a symbolic link is written where it points (dangling or not); the link stays.
TEST_F(Cli, SymlinkOutputIsWrittenThroughNotReplaced) {
  const std::string link = file("link.mkv"), target = file("target.mkv");
  fs::create_symlink("target.mkv", link);  // relative, and dangling until the run
  for (const std::string y : {"", "-y "}) {
    const auto r = colorize(y + "-i " + quote(file("clip.mp4")) + " -t 0.4 -o " + quote(link));
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(probe(target, "stream=nb_read_packets"), "10");
  }
}

TEST_F(Cli, FolderAsOutputIsRefused) {
  const auto r = colorize("-i " + quote(file("clip.mp4")) + " -t 0.2 -f matroska -o " + quote(file("")));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("is a folder"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace colorize::cli
