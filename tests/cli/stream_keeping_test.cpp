// What of the input's streams and frame flags the output keeps, and that what it cannot keep is said.
#include "cli/cli_fixture.hpp"

namespace colorize::cli {
namespace {

using test::quote;
using test::run;

// A second video stream and a font attachment (styled subtitles need it): the attachment goes on in
// Matroska, everything left out is named.
TEST_F(Cli, AttachmentsAreKeptAndSecondVideoStreamsNamed) {
  const std::string font = file("font.ttf"), in = file("two-videos.mkv");
  ASSERT_EQ(run("printf 'font bytes' > " + quote(font)).status, 0);
  ASSERT_EQ(
      ffmpeg("-f lavfi -i testsrc=size=160x120:rate=25:duration=0.4 -f lavfi -i "
             "testsrc=size=80x60:rate=25:duration=0.4 -map 0 -map 1 -vf format=gray -c:v libx264 -attach " +
             quote(font) + " -metadata:s:t mimetype=application/x-truetype-font " + quote(in)),
      0);
  for (const std::string ext : {"mkv", "mp4"}) {
    const std::string out = file("kept." + ext);
    const auto r = run(std::string(COLORIZE_CLI) + " -v warning --model " + quote(model()) + " -y -i " +
                       quote(in) + " -o " + quote(out));
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("stream 1 (video, h264) is left out: colorize writes one video stream"),
              std::string::npos)
        << r.output;
    const std::string types =
        run("ffprobe -v error -show_entries stream=codec_type -of default=nw=1:nk=1 " + quote(out)).output;
    if (ext == "mkv") {
      EXPECT_EQ(types, "video\nattachment\n");
      EXPECT_EQ(probe(out, "stream_tags=filename", "t"), "font.ttf");
    } else {
      EXPECT_EQ(types, "video\n");
      EXPECT_NE(r.output.find("the mp4 format cannot carry stream 2 (ttf); it is left out"),
                std::string::npos)
          << r.output;
    }
  }
}

// Interlaced in, interlaced out: players must still know to deinterlace (was: tagged progressive).
TEST_F(Cli, InterlacedVideoStaysInterlaced) {
  const std::string in = file("interlaced.ts");
  ASSERT_EQ(
      ffmpeg("-f lavfi -i testsrc=size=320x240:rate=25:duration=0.4 -vf format=gray,setfield=tff -flags "
             "+ildct+ilme -c:v mpeg2video -top 1 " +
             quote(in)),
      0);
  for (const std::string ext : {"mkv", "mp4"}) {
    const std::string out = file("interlaced-out." + ext);
    const auto r = colorize("-y -i " + quote(in) + " -o " + quote(out));
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(probe(out, "stream=field_order"), "tt") << ext;
  }
}

}  // namespace
}  // namespace colorize::cli
