// Output defaults that work without the user knowing the encoder's limits: MPEG-1/2 and frame-rate
// formats (y4m) get a time base they take, odd sizes get a format libx264 takes, formats that carry
// video alone leave the audio out with a note, an input whose size changes is scaled to the output's.
#include "cli/cli_fixture.hpp"

namespace colorize::cli {
namespace {

using test::quote;
using test::run;

// The clip's mp4 time base is 1/12800: MPEG-1/2 refuse it ("does not support 12800/1 fps").
TEST_F(Cli, EveryCommonContainerWorksWithItsDefaultEncoder) {
  for (const std::string ext : {"ts", "mpg", "avi", "mkv", "mov", "webm", "nut"}) {
    const std::string out = file("default." + ext);
    const auto r = colorize("-y -i " + quote(file("clip.mp4")) + " -t 1 -o " + quote(out));
    ASSERT_EQ(r.status, 0) << ext << ": " << r.output;
    // (ffprobe lists a .ts stream twice: in its program and alone)
    const std::string packets = probe(out, "stream=nb_read_packets");
    EXPECT_EQ(packets.substr(0, packets.find('\n')), "25") << ext;
  }
}

// y4m stores a frame rate, which its muxer takes from the time base: one tick per frame.
TEST_F(Cli, FrameRateFormatsGetTheInputFrameRate) {
  const std::string out = file("rate.y4m");
  const auto r = colorize("-y -i " + quote(file("clip.mp4")) + " -t 1 -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=r_frame_rate"), "25/1");
}

TEST_F(Cli, VideoOnlyFormatsLeaveTheAudioOutWithANote) {
  for (const std::string ext : {"gif", "y4m"}) {
    const std::string out = file("no-audio." + ext);
    const auto r = run(std::string(COLORIZE_CLI) + " -v warning --model " + quote(model()) + " -y -i " +
                       quote(file("clip.mp4")) + " -t 0.4 -o " + quote(out));
    ASSERT_EQ(r.status, 0) << ext << ": " << r.output;
    EXPECT_NE(r.output.find("cannot carry stream 1 (aac); it is left out"), std::string::npos) << r.output;
    EXPECT_EQ(probe(out, "stream=nb_read_packets"), "10") << ext;
  }
}

// libx264 refuses 4:2:0 at odd sizes; ffmpeg fails there. colorize keeps the size and the colour.
TEST_F(Cli, OddSizesEncodeToMp4WithoutLosingColour) {
  for (const std::string size : {"161x121", "160x121"}) {
    const std::string in = file("odd-" + size + ".mkv"), out = file("odd-" + size + ".mp4");
    ASSERT_EQ(ffmpeg("-f lavfi -i testsrc=size=" + size + ":rate=25:duration=0.4 -vf format=gray -c:v ffv1 " +
                     quote(in)),
              0);
    const auto r = run(std::string(COLORIZE_CLI) + " -v warning --model " + quote(model()) + " -y -i " +
                       quote(in) + " -o " + quote(out));
    ASSERT_EQ(r.status, 0) << size << ": " << r.output;
    EXPECT_NE(r.output.find("libx264 does not encode " + size + " as yuv420p"), std::string::npos)
        << r.output;
    EXPECT_EQ(probe(out, "stream=width,height"), size.substr(0, 3) + "\n" + size.substr(4));
    const std::string format = probe(out, "stream=pix_fmt");
    EXPECT_TRUE(format.find("444") != std::string::npos || format.find("422") != std::string::npos) << format;
    EXPECT_EQ(probe(out, "stream=nb_read_packets"), "10");
  }
  // A format the user names is kept, and libx264's refusal is shown.
  const auto r = colorize("-y -i " + quote(file("odd-161x121.mkv")) + " -pix_fmt yuv420p -o " +
                          quote(file("odd-refused.mp4")));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("width not divisible by 2"), std::string::npos) << r.output;
}

// Two transport streams of different sizes, one after the other (a spliced broadcast): ffmpeg scales
// the second to the output size and goes on; so does colorize.
TEST_F(Cli, SizeChangeMidStreamIsScaledToTheOutputSize) {
  const std::string first = file("first.ts"), second = file("second.ts"), both = file("both.ts");
  ASSERT_EQ(ffmpeg("-f lavfi -i testsrc=size=320x240:rate=25:duration=1 -vf format=gray -c:v mpeg2video " +
                   quote(first)),
            0);
  ASSERT_EQ(ffmpeg("-f lavfi -i testsrc=size=176x144:rate=25:duration=1 -vf format=gray -c:v mpeg2video " +
                   quote(second)),
            0);
  ASSERT_EQ(run("cat " + quote(first) + " " + quote(second) + " > " + quote(both)).status, 0);
  const std::string out = file("both.mkv");
  const auto r = run(std::string(COLORIZE_CLI) + " -v warning --model " + quote(model()) + " -y -i " +
                     quote(both) + " -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("the input changes to 176x144; scaling it to 320x240"), std::string::npos)
      << r.output;
  EXPECT_EQ(probe(out, "stream=width,height"), "320\n240");
  // Both halves are there (the splice may cost a frame or two at the seam).
  EXPECT_GE(std::stoi(probe(out, "stream=nb_read_packets")), 45);
}

}  // namespace
}  // namespace colorize::cli
