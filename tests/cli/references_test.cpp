// `colorize --reference TIME=IMAGE` and `--references DIR`: the frame at TIME takes the picture's colour
// and its shot follows; a folder's pictures named by frame number or time act alike; every problem is
// named (a picture that cannot be read, a time that is not one, a reference of another picture or past
// the end, a folder name that says neither time nor frame).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"
#include "color/frame_lab.hpp"

namespace colorize::cli {
namespace {

using test::quote;
namespace fs = std::filesystem;

constexpr int kW = 320, kH = 240;

class CliReferences : public Cli {
 protected:
  static void SetUpTestSuite() {
    Cli::SetUpTestSuite();
    // 2 s of turning colour gradients, every colour and point given (gradients picks them at random
    // otherwise; testsrc2's pure primaries lie on the gamut's edge, where a gray version's lightness
    // cannot hold their colour), its gray version, and its frame 25 (1.0 s).
    ASSERT_EQ(
        ffmpeg("-f lavfi -i "
               "gradients=size=320x240:rate=25:duration=2:speed=0.05:nb_colors=4:c0=0xc04040:c1=0x40a040:"
               "c2=0x4060c0:c3=0xd0c040:x0=40:y0=30:x1=280:y1=210:seed=1 -c:v ffv1 " +
               quote(file("truth.mkv"))),
        0);
    ASSERT_EQ(
        ffmpeg("-i " + quote(file("truth.mkv")) + " -vf format=gray -c:v ffv1 " + quote(file("gray.mkv"))),
        0);
    ASSERT_EQ(ffmpeg("-i " + quote(file("truth.mkv")) + " -vf " + quote("select=eq(n\\,25)") +
                     " -frames:v 1 " + quote(file("ref.png"))),
              0);
    ASSERT_EQ(ffmpeg("-f lavfi -i mandelbrot=size=320x240 -frames:v 1 " + quote(file("other.png"))), 0);
  }

  // The decoded pictures' MD5 (containers stamp files differently).
  static std::string pictures_md5(const std::string& video) {
    return test::run("ffmpeg -v error -i " + quote(video) + " -map 0:v -f md5 -").output;
  }

  // Mean |ab| between frame n of two videos.
  static double ab_difference(const std::string& a, const std::string& b, int n) {
    const auto lab = [&](const std::string& video) {
      const std::string raw = file("frame.rgb");
      EXPECT_EQ(ffmpeg("-i " + quote(video) + " -vf " + quote("select=eq(n\\," + std::to_string(n) + ")") +
                       " -frames:v 1 -f rawvideo -pix_fmt rgb24 " + quote(raw)),
                0);
      std::ifstream in(raw, std::ios::binary);
      std::vector<std::uint8_t> rgb((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::vector<float> planes(3 * static_cast<std::size_t>(kW) * kH);
      if (rgb.size() != 3 * static_cast<std::size_t>(kW) * kH) {
        ADD_FAILURE() << video << ": frame " << n << " not decoded";
        return planes;
      }
      color::FrameView v;
      v.format = color::PixelFormat::Rgb24;
      v.width = kW;
      v.height = kH;
      v.data[0] = rgb.data();
      v.stride[0] = 3 * kW;
      float* p = planes.data();
      const std::size_t n_px = static_cast<std::size_t>(kW) * kH;
      color::frame_to_lab(v, {p, kW, kH, kW}, {p + n_px, kW, kH, kW}, {p + 2 * n_px, kW, kH, kW});
      return planes;
    };
    const auto x = lab(a), y = lab(b);
    const std::size_t n_px = static_cast<std::size_t>(kW) * kH;
    double total = 0;
    for (std::size_t i = 0; i < n_px; ++i)
      total += std::hypot(static_cast<double>(x[n_px + i] - y[n_px + i]),
                          static_cast<double>(x[2 * n_px + i] - y[2 * n_px + i]));
    return total / static_cast<double>(n_px);
  }
};

TEST_F(CliReferences, TheFrameTakesThePicturesColourAndItsShotFollows) {
  const std::string plain = file("plain.mkv"), guided = file("guided.mkv");
  auto r = colorize("-i " + quote(file("gray.mkv")) + " -c:v ffv1 -o " + quote(plain));
  ASSERT_EQ(r.status, 0) << r.output;
  r = test::run(std::string(COLORIZE_CLI) + " -v info -nostats --model " + quote(model()) + " -i " +
                quote(file("gray.mkv")) + " --reference 1=" + quote(file("ref.png")) + " -c:v ffv1 -o " +
                quote(guided));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("1 of 1 references carried to"), std::string::npos) << r.output;
  EXPECT_EQ(probe(guided, "stream=nb_read_packets"), "50");
  const std::string truth = file("truth.mkv");
  // The reference's frame: the picture's colour (the random model's is far off).
  const double on_plain = ab_difference(plain, truth, 25), on_guided = ab_difference(guided, truth, 25);
  EXPECT_LT(on_guided, 4.0) << "without the reference: " << on_plain;
  EXPECT_LT(on_guided, 0.3 * on_plain);
  std::printf("frame 25: %.2f without the reference, %.2f with\n", on_plain, on_guided);
  // Frames before and after it in the shot follow.
  for (int n : {15, 35}) {
    const double without = ab_difference(plain, truth, n), with = ab_difference(guided, truth, n);
    EXPECT_LT(with, 0.6 * without) << "frame " << n;
    std::printf("frame %d: %.2f without the reference, %.2f with\n", n, without, with);
  }
}

// TIME counts from the input's start whatever -ss says: from 0.5 s on, the frame at 1.0 s is the 13th
// written (frames 13 to 24 of the input, at 0.52 to 0.96 s, come first).
TEST_F(CliReferences, TimesCountFromTheInputsStartUnderSs) {
  const std::string plain = file("ss-plain.mkv"), guided = file("ss-guided.mkv");
  auto r = colorize("-ss 0.5 -i " + quote(file("gray.mkv")) + " -c:v ffv1 -o " + quote(plain));
  ASSERT_EQ(r.status, 0) << r.output;
  r = colorize("-ss 0.5 -i " + quote(file("gray.mkv")) + " --reference 1=" + quote(file("ref.png")) +
               " -c:v ffv1 -o " + quote(guided));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string truth_from_ss = file("truth-from-ss.mkv");
  ASSERT_EQ(ffmpeg("-ss 0.5 -i " + quote(file("truth.mkv")) + " -c:v ffv1 " + quote(truth_from_ss)), 0);
  EXPECT_LT(ab_difference(guided, truth_from_ss, 12), 4.0);
  EXPECT_LT(ab_difference(guided, truth_from_ss, 12), 0.3 * ab_difference(plain, truth_from_ss, 12));
}

TEST_F(CliReferences, AFolderNamesFramesByNumberOrTime) {
  const std::string by_option = file("by-option.mkv");
  auto r = colorize("-i " + quote(file("gray.mkv")) + " --reference 00:01=" + quote(file("ref.png")) +
                    " -c:v ffv1 -o " + quote(by_option));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* name : {"000025.png", "1s.png", "1.0.png"}) {
    const fs::path dir = file(std::string("refs-") + name);
    fs::create_directories(dir);
    fs::copy_file(file("ref.png"), dir / name, fs::copy_options::overwrite_existing);
    const std::string out = file(std::string("by-folder-") + name + ".mkv");
    r = colorize("-i " + quote(file("gray.mkv")) + " --references " + quote(dir.string()) + " -c:v ffv1 -o " +
                 quote(out));
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(pictures_md5(out), pictures_md5(by_option)) << name;
  }
}

TEST_F(CliReferences, ProblemsAreNamed) {
  const std::string out = file("problem.mkv");
  const std::string in = " -i " + quote(file("gray.mkv")) + " -c:v ffv1 -o " + quote(out);
  auto r = colorize("--reference 1=" + quote(file("missing.png")) + in);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("reference picture"), std::string::npos) << r.output;
  expect_nothing_written(out);

  r = colorize("--reference soon=" + quote(file("ref.png")) + in);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("is not TIME=IMAGE"), std::string::npos) << r.output;

  r = colorize("--segments 2 --reference 1=" + quote(file("ref.png")) + in);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("do not combine with pieces"), std::string::npos) << r.output;

  const fs::path unnamed = file("unnamed");
  fs::create_directories(unnamed);
  fs::copy_file(file("ref.png"), unnamed / "the-coat.png", fs::copy_options::overwrite_existing);
  r = colorize("--references " + quote(unnamed.string()) + in);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("cannot tell the time or frame of"), std::string::npos) << r.output;
  expect_nothing_written(out);

  // Warnings, and the film is coloured without them.
  r = test::run(std::string(COLORIZE_CLI) + " -v warning --model " + quote(model()) + " --reference 1.2=" +
                quote(file("other.png")) + " --reference 99=" + quote(file("ref.png")) + " -y" + in);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("the reference 1.2 s (" + file("other.png") + ") does not match its frame"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("the reference 99 s (" + file("ref.png") + ") matches no frame"), std::string::npos)
      << r.output;
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "50");
}

}  // namespace
}  // namespace colorize::cli
