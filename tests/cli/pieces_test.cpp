// Long films in pieces: --segment K/N, --join N and --segments N give the film a single run gives, keep
// what an interrupted run finished, and name what is missing or belongs to another job.
#include <algorithm>
#include <regex>
#include <sstream>
#include <vector>

#include "cli/cli_fixture.hpp"

namespace colorize::cli {
namespace {

namespace fs = std::filesystem;
using test::quote;
using test::run;

class Pieces : public Cli {
 protected:
  static void SetUpTestSuite() {
    Cli::SetUpTestSuite();
    // 4 s at 25 fps with a keyframe a second, AAC, subtitles, two chapters and a title: everything a
    // join takes from the input.
    const std::string srt = file("film.srt"), chapters = file("chapters.txt");
    ASSERT_EQ(run("printf '1\\n00:00:00,500 --> 00:00:02,000\\nHello\\n\\n2\\n00:00:02,500 --> "
                  "00:00:03,500\\nAgain\\n' > " +
                  quote(srt))
                  .status,
              0);
    ASSERT_EQ(
        run("printf ';FFMETADATA1\\ntitle=pieces-test\\n[CHAPTER]\\nTIMEBASE=1/1000\\nSTART=0\\nEND=2000\\n"
            "title=One\\n[CHAPTER]\\nTIMEBASE=1/1000\\nSTART=2000\\nEND=4000\\ntitle=Two\\n' > " +
            quote(chapters))
            .status,
        0);
    ASSERT_EQ(
        ffmpeg("-f lavfi -i testsrc2=size=160x120:rate=25:duration=4 -f lavfi -i "
               "sine=frequency=440:duration=4 -i " +
               quote(srt) + " -i " + quote(chapters) +
               " -map 0 -map 1 -map 2 -map_metadata 3 -map_chapters 3 -vf format=gray -c:v libx264 -g 25 "
               "-c:a aac -c:s srt " +
               quote(film())),
        0);
  }

  static std::string film() { return file("film.mkv"); }
  // Every stream's packets: stream, pts, dts, and a hash of the data for streams other than video.
  static std::string packets(const std::string& f, const std::string& select) {
    return run("ffprobe -v error -select_streams " + select + " -show_entries packet=pts,dts" +
               (select == "v" ? "" : ",data_hash -show_data_hash md5") + " -of csv " + quote(f))
        .output;
  }
  static std::string chapters_and_title(const std::string& f) {
    return run("ffprobe -v error -show_chapters -show_entries format_tags=title -of csv " + quote(f)).output;
  }
  static std::string frame_hashes(const std::string& f) {
    return run("ffmpeg -v error -i " + quote(f) + " -map 0:v -fps_mode passthrough -f framemd5 -").output;
  }
  // The worst frame's mean |ab| difference (scripts/ab-difference.py): a seam shows in the frames
  // after a join.
  static double worst_frame_ab_difference(const std::string& a, const std::string& b) {
    const auto r =
        run(std::string(COLORIZE_SOURCE_DIR) + "/scripts/ab-difference.py " + quote(a) + " " + quote(b));
    std::smatch m;
    if (r.status != 0 || !std::regex_search(r.output, m, std::regex("worst_frame_ab=([0-9.]+)"))) {
      ADD_FAILURE() << r.output;
      return 1e9;
    }
    return std::stod(m[1]);
  }
};

// Lossless video, so that any difference is the pieces' own.
TEST_F(Pieces, JoinedFilmIsTheSingleRunsFilm) {
  for (const std::string smoothing : {"off", "file"}) {
    const std::string single = file("single-" + smoothing + ".mkv"),
                      joined = file("joined-" + smoothing + ".mkv");
    const std::string common = "-y -i " + quote(film()) + " -c:v ffv1 --temporal-smoothing " + smoothing;
    // The shipped model: a random one paints nearly one colour, which hides seams.
    const auto colorize = [](const std::string& args) {
      return run(std::string(COLORIZE_CLI) + " -v error --model default " + args);
    };
    auto r = colorize(common + " -o " + quote(single));
    ASSERT_EQ(r.status, 0) << r.output;
    r = colorize(common + " -o " + quote(joined) + " --segments 3");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(packets(joined, "v"), packets(single, "v")) << smoothing;
    EXPECT_EQ(packets(joined, "a"), packets(single, "a")) << smoothing;
    EXPECT_EQ(packets(joined, "s"), packets(single, "s")) << smoothing;
    EXPECT_EQ(chapters_and_title(joined), chapters_and_title(single)) << smoothing;
    EXPECT_NE(chapters_and_title(joined).find("pieces-test"), std::string::npos);
    EXPECT_EQ(probe(joined, "stream=nb_read_packets"), "100");
    if (smoothing == "off") {
      EXPECT_EQ(frame_hashes(joined), frame_hashes(single));  // every frame on its own: exactly equal
    } else {
      // Smoothing warmed up before each piece: what is left of the difference is far below sight (with
      // the default model on a 288-frame clip: 0.003 in the worst frame, 0.77 without the warm-up).
      EXPECT_LT(worst_frame_ab_difference(joined, single), 0.05);
    }
    EXPECT_FALSE(fs::exists(joined + ".pieces")) << "the pieces are removed once the film is whole";
  }
}

TEST_F(Pieces, PiecesMadeSeparatelyJoinAndMissingOnesAreNamed) {
  const std::string out = file("separately.mkv"), dir = file("separately-work");
  const std::string common = "-y -i " + quote(film()) + " -c:v ffv1 --temporal-smoothing off --work-dir " +
                             quote(dir) + " -o " + quote(out);
  for (const std::string k : {"3", "2"}) {
    const auto r = colorize(common + " --segment " + k + "/3");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_FALSE(fs::exists(out)) << "a piece does not write the output";
  }
  auto r = colorize(common + " --join 3");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("piece 1 of 3: missing"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--segment K/3"), std::string::npos) << r.output;
  expect_nothing_written(out);
  r = colorize(common + " --segment 1/3");
  ASSERT_EQ(r.status, 0) << r.output;
  r = colorize(common + " --join 3");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string single = file("separately-single.mkv");
  ASSERT_EQ(
      colorize("-y -i " + quote(film()) + " -c:v ffv1 --temporal-smoothing off -o " + quote(single)).status,
      0);
  EXPECT_EQ(frame_hashes(out), frame_hashes(single));
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(Pieces, FinishedPiecesAreKeptAndAnotherJobsAreNot) {
  const std::string out = file("kept.mp4");
  const std::string input = "-y -i " + quote(film()) + " -o " + quote(out);
  auto r = test::run(std::string(COLORIZE_CLI) + " -v info --model " + quote(model()) + " " + input +
                     " -crf 30 --segment 1/2");
  ASSERT_EQ(r.status, 0) << r.output;
  // A join with other encoder options is another job: the piece is not taken for it.
  r = colorize(input + " -crf 20 --join 2");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("piece 1 of 2: '"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("was made by another job"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("piece 2 of 2: missing"), std::string::npos) << r.output;
  // The same job keeps it.
  r = test::run(std::string(COLORIZE_CLI) + " -v info --model " + quote(model()) + " " + input +
                " -crf 30 --segments 2");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("piece 1 of 2 is finished already"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("piece 2 of 2 is finished already"), std::string::npos) << r.output;
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "100");
}

// SIGKILL leaves no chance to clean up: the rerun must keep every piece finished before it.
TEST_F(Pieces, KilledRunLosesAtMostThePieceInProgress) {
  const std::string clip = file("pieces-long.mp4"), out = file("killed.mkv"), dir = out + ".pieces";
  ASSERT_EQ(ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25:duration=24 -vf format=gray -c:v libx264 -g 25 "
                   "-preset ultrafast " +
                   quote(clip)),
            0);
  const std::string cmd = std::string(COLORIZE_CLI) + " -v info --model " + quote(model()) + " -y -i " +
                          quote(clip) + " -o " + quote(out) + " --segments 6";
  // Killed once two pieces are finished, whatever the machine's speed.
  auto r = run("(" + cmd + " >/dev/null 2>&1 & pid=$!; for i in $(seq 1200); do [ -e " +
               quote(dir + "/piece-02-of-06.nut") +
               " ] && break; sleep 0.05; done; kill -KILL $pid; wait $pid; "
               "echo status=$?)");
  ASSERT_NE(r.output.find("status=137"), std::string::npos) << r.output;
  ASSERT_FALSE(fs::exists(out));
  long finished = 0;
  for (const auto& e : fs::directory_iterator(dir)) finished += e.path().extension() == ".nut" ? 1 : 0;
  ASSERT_GE(finished, 2);
  r = run(cmd);
  ASSERT_EQ(r.status, 0) << r.output;
  long kept = 0;
  for (std::size_t at = 0; (at = r.output.find("is finished already", at)) != std::string::npos; ++at) ++kept;
  EXPECT_EQ(kept, finished) << r.output;
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "600");
  EXPECT_FALSE(fs::exists(dir));
}

// x264 reorders frames: each piece starts with its own keyframe, and the decoding times NUT does not
// keep are restored, increasing across the joins, as a single run's.
TEST_F(Pieces, ReorderedVideoJoinsWithTheSingleRunsTimestamps) {
  const std::string single = file("single-x264.mp4"), joined = file("joined-x264.mp4");
  auto r = colorize("-y -i " + quote(film()) + " -o " + quote(single));
  ASSERT_EQ(r.status, 0) << r.output;
  r = colorize("-y -i " + quote(film()) + " -o " + quote(joined) + " --segments 3");
  ASSERT_EQ(r.status, 0) << r.output;
  const auto column = [](const std::string& f, const std::string& entry, bool sorted) {
    const std::string text =
        run("ffprobe -v error -select_streams v -show_entries packet=" + entry + " -of csv=p=0 " + quote(f))
            .output;
    std::vector<long> values;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) values.push_back(std::stol(line));
    if (sorted) std::sort(values.begin(), values.end());
    return values;
  };
  EXPECT_EQ(column(joined, "pts", true), column(single, "pts", true));
  EXPECT_EQ(column(joined, "dts", false), column(single, "dts", false));
  EXPECT_EQ(probe(joined, "stream=has_b_frames"), probe(single, "stream=has_b_frames"));
  EXPECT_EQ(packets(joined, "a"), packets(single, "a"));
}

struct BadPieces {
  const char* name;
  std::string args;
  int status;
  const char* message;
};

void PrintTo(const BadPieces& c, std::ostream* os) { *os << c.name; }

class PiecesBadInput : public Pieces, public ::testing::WithParamInterface<BadPieces> {};

TEST_P(PiecesBadInput, FailsClearlyAndWritesNothing) {
  const std::string out = file(std::string("bad-pieces-") + GetParam().name + ".mkv");
  const auto r = colorize("-i " + quote(film()) + " -o " + quote(out) + " " + GetParam().args);
  EXPECT_EQ(r.status, GetParam().status) << r.output;
  EXPECT_NE(r.output.find(GetParam().message), std::string::npos) << r.output;
  expect_nothing_written(out);
  EXPECT_FALSE(fs::exists(out + ".pieces") && !fs::is_empty(out + ".pieces"));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PiecesBadInput,
    ::testing::Values(BadPieces{"past_the_last", "--segment 4/3", 2, "--segment: '4/3' is not K/N"},
                      BadPieces{"zeroth", "--segment 0/3", 2, "is not K/N"},
                      BadPieces{"not_a_fraction", "--segment half", 2, "is not K/N"},
                      BadPieces{"no_pieces", "--join 0", 2, "--join: 0 is outside"},
                      BadPieces{"two_steps", "--segment 1/2 --join 2", 2, "give one"},
                      BadPieces{"with_a_range", "--segments 2 -ss 1", 2, "-ss and -t do not combine"},
                      BadPieces{"work_dir_alone", "--work-dir somewhere", 2, "--work-dir: only for"},
                      BadPieces{"more_pieces_than_frames", "--segments 101", 1,
                                "cannot cut 100 frames into 101 pieces"},
                      BadPieces{"join_without_pieces", "--join 2", 1, "piece 1 of 2: missing"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace colorize::cli
