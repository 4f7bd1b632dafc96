// The built `colorize` command on clips made here with the ffmpeg tool (lavfi testsrc + sine audio).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "cli/cli_fixture.hpp"
#include "engine/settings.hpp"
#include "model/model_file.hpp"

namespace colorize::cli {
namespace {

using test::quote;
using test::run;
namespace fs = std::filesystem;

// The engine's options come from their one declaration: --help shows each with what it takes.
TEST_F(Cli, HelpListsEveryEngineSetting) {
  const auto r = run(std::string(COLORIZE_CLI) + " --help");
  ASSERT_EQ(r.status, 0) << r.output;
  for (const auto& s : engine::settings())
    EXPECT_NE(r.output.find("--" + std::string(s.name) + " " + s.allowed()), std::string::npos) << s.name;
}

// Bundled models by name: "default" is the shipped model; an unknown name says where it looked.
TEST_F(Cli, ModelsAreFoundByName) {
  const std::string out = file("by-name.png");
  auto r = run(std::string(COLORIZE_CLI) + " -v verbose -nostats --model default -i " +
               quote(file("still.png")) + " -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("models/default.safetensors'"), std::string::npos) << r.output;
  r = run(std::string(COLORIZE_CLI) + " --model no-such-model -i " + quote(file("still.png")) + " -o " +
          quote(file("unknown.png")));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("no bundled model has this name"), std::string::npos) << r.output;
}

TEST_F(Cli, VideoKeepsFramesDurationSizeAudioAndTitle) {
  const std::string out = file("video-out.mp4");
  const auto r = colorize("-i " + quote(file("clip.mp4")) + " -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "75");
  EXPECT_EQ(probe(out, "stream=width,height"), "320\n240");
  EXPECT_EQ(probe(out, "stream=pix_fmt"), "yuv420p");
  EXPECT_NEAR(std::stod(probe(out, "stream=duration")), 3.0, 0.05);
  EXPECT_EQ(audio_hash(out), audio_hash(file("clip.mp4")));
  EXPECT_FALSE(audio_hash(out).empty());
  EXPECT_EQ(probe(out, "format_tags=title", "v:0"), "colorize-test");
  for (const auto& e : fs::directory_iterator(fs::path(out).parent_path()))
    EXPECT_EQ(e.path().string().find(".part"), std::string::npos) << "left behind: " << e.path();
}

// Every smoothing mode gives every frame with its timestamp; file mode returns frames late inside the
// engine, and how the frames were batched changes nothing of what comes out.
TEST_F(Cli, EveryTemporalModeKeepsEveryFrameAndTimestamp) {
  std::string timestamps, file_mode_frames;
  for (const std::string mode : {"off", "live", "file"})
    for (const std::string batch : {"1", "4"}) {
      const std::string out = file("modes-" + mode + "-" + batch + ".mkv");
      const auto r = colorize("-i " + quote(file("clip.mp4")) + " --temporal-smoothing " + mode +
                              " --batch " + batch + " -c:v ffv1 -o " + quote(out));
      ASSERT_EQ(r.status, 0) << mode << ": " << r.output;
      EXPECT_EQ(probe(out, "stream=nb_read_packets"), "75") << mode;
      const std::string pts = probe(out, "packet=pts");
      if (timestamps.empty()) timestamps = pts;
      EXPECT_EQ(pts, timestamps) << mode << ", batch " << batch;
      if (mode == "file") {
        const std::string frames = run("ffmpeg -v error -i " + quote(out) + " -map 0:v -f framemd5 -").output;
        if (batch == "1")
          file_mode_frames = frames;
        else
          EXPECT_EQ(frames, file_mode_frames) << "batches of 4 and of 1 differ";
      }
    }
}

// NVDEC and NVENC where there is an NVIDIA GPU and its driver; elsewhere the CPU takes over, and the log
// says why. (This machine kind has no GPU: the fallbacks are what runs here.)
bool nvidia_driver_present() { return fs::exists("/dev/nvidiactl"); }

TEST_F(Cli, HwaccelCudaFallsBackToCpuDecodingAndSaysWhy) {
  const std::string out = file("hwaccel.mkv");
  const auto r = run(std::string(COLORIZE_CLI) + " -v warning --model " + quote(model()) +
                     " -hwaccel cuda -i " + quote(file("clip.mp4")) + " -c:v ffv1 -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "75");
  if (!nvidia_driver_present()) {
    EXPECT_NE(r.output.find("-hwaccel cuda: no CUDA device"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("decoding on the CPU"), std::string::npos) << r.output;
  }
  const auto bad = colorize("-hwaccel vdpau -i " + quote(file("clip.mp4")) + " -o " + quote(file("bad.mkv")));
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("-hwaccel: 'vdpau' is not cuda or none"), std::string::npos) << bad.output;
}

TEST_F(Cli, HardwareEncoderThatCannotOpenFallsBackToACpuEncoder) {
  const std::string out = file("nvenc.mp4");
  const auto r = run(std::string(COLORIZE_CLI) + " -v warning --model " + quote(model()) + " -i " +
                     quote(file("clip.mp4")) + " -c:v h264_nvenc -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=codec_name"), "h264");
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "75");
  if (!nvidia_driver_present()) {
    EXPECT_NE(r.output.find("cannot open the h264_nvenc encoder"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("encoding with libx264 instead"), std::string::npos) << r.output;
  }
}

TEST_F(Cli, StillImageInGivesStillImageOut) {
  const std::string out = file("still-out.png");
  const auto r = colorize("-i " + quote(file("still.png")) + " -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=codec_name"), "png");
  EXPECT_EQ(probe(out, "stream=width,height"), "200\n150");
  EXPECT_EQ(probe(out, "stream=pix_fmt"), "rgb24");
}

TEST_F(Cli, StartAndDurationSelectARange) {
  const std::string out = file("range.mp4");
  const auto r = colorize("-ss 1 -t 1 -i " + quote(file("clip.mp4")) + " -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "25");
  EXPECT_NEAR(std::stod(probe(out, "stream=duration", "a:0")), 1.0, 0.05);
}

TEST_F(Cli, PreviewIsSideBySide) {
  const std::string out = file("preview.mp4");
  const auto r = colorize("-i " + quote(file("clip.mp4")) + " -t 0.4 --preview -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=width,height"), "640\n240");
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "10");
}

TEST_F(Cli, ProgressFileForScripts) {
  const std::string out = file("progress.mp4");
  const auto r = colorize("-i " + quote(file("clip.mp4")) + " -t 1 -progress " + quote(file("progress.txt")) +
                          " -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto text = run("cat " + quote(file("progress.txt"))).output;
  EXPECT_NE(text.find("frame=25\n"), std::string::npos) << text;
  EXPECT_NE(text.find("progress=end\n"), std::string::npos) << text;
}

TEST_F(Cli, RefusesToOverwriteWithoutY) {
  const std::string out = file("exists.mp4");
  ASSERT_EQ(run("echo keep > " + quote(out)).status, 0);
  auto r = colorize("-i " + quote(file("clip.mp4")) + " -t 0.2 -o " + quote(out));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("use -y"), std::string::npos) << r.output;
  EXPECT_EQ(fs::file_size(out), 5u);
  r = colorize("-y -i " + quote(file("clip.mp4")) + " -t 0.2 -o " + quote(out));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_GT(fs::file_size(out), 5u);
}

struct BadCase {
  const char* name;
  std::string args;  // after --model MODEL; {dir} is the test directory
  int status;
  const char* message;  // part of what colorize prints
};

// gtest prints a case by its name rather than as the bytes of the struct.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class CliBadInput : public Cli, public ::testing::WithParamInterface<BadCase> {};

// Noise from a fixed seed, not /dev/urandom: some random byte strings probe as an audio format (mp3, raw
// streams), which turns "undecodable" into "has no video stream" on a chance of about one run in a few
// hundred. A fixed string fails the same way every run.
void write_noise(const std::string& path, std::size_t bytes, std::uint32_t seed) {
  std::mt19937 rng(seed);  // the standard fixes mt19937's output, so these bytes are the same everywhere
  std::string noise(bytes, '\0');
  for (auto& c : noise) c = static_cast<char>(rng() & 0xff);
  std::ofstream(path, std::ios::binary) << noise;
}

TEST_P(CliBadInput, FailsClearlyAndWritesNothing) {
  write_noise(file("junk.mp4"), 65536, 1);
  write_noise(file("junk.safetensors"), 5000, 2);
  std::string args = GetParam().args;
  for (std::size_t at; (at = args.find("{dir}")) != std::string::npos;) args.replace(at, 5, file(""));
  const std::string out = file(std::string("bad-") + GetParam().name + ".mp4");
  const auto r = run(std::string(COLORIZE_CLI) + " -v error " + args + " -o " + quote(out));
  EXPECT_EQ(r.status, GetParam().status) << r.output;
  EXPECT_NE(r.output.find(GetParam().message), std::string::npos) << r.output;
  expect_nothing_written(out);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliBadInput,
    ::testing::Values(
        BadCase{"missing_input", "--model {dir}model.safetensors -i {dir}nothing-here.mp4", 1,
                "No such file"},
        BadCase{"no_video_stream", "--model {dir}model.safetensors -i {dir}audio.wav", 1,
                "has no video stream"},
        BadCase{"undecodable", "--model {dir}model.safetensors -i {dir}junk.mp4", 1, "Invalid data"},
        BadCase{"unknown_codec", "--model {dir}model.safetensors -i {dir}clip.mp4 -c:v nonsense", 1,
                "unknown encoder 'nonsense'"},
        BadCase{"unknown_format", "--model {dir}model.safetensors -i {dir}clip.mp4 -f nonsense", 1,
                "unknown output format 'nonsense'"},
        BadCase{"unknown_input_format", "--model {dir}model.safetensors -f nonsense -i {dir}clip.mp4", 1,
                "unknown input format 'nonsense'"},
        BadCase{"bad_render_size", "--model {dir}model.safetensors -i {dir}clip.mp4 --render-size -3", 2,
                "--render-size"},
        BadCase{"zero_batch", "--model {dir}model.safetensors -i {dir}clip.mp4 --batch 0", 2,
                "--batch: 0 is outside 1-256"},
        BadCase{"model_folder", "--model {dir} -i {dir}clip.mp4", 1, "is a folder, not a model file"},
        BadCase{"bad_time", "--model {dir}model.safetensors -i {dir}clip.mp4 -t soon", 2, "-t: 'soon'"},
        BadCase{"bad_device", "--model {dir}model.safetensors -i {dir}clip.mp4 --device tpu", 2, "--device"},
        BadCase{"bad_temporal_smoothing",
                "--model {dir}model.safetensors -i {dir}clip.mp4 --temporal-smoothing sometimes", 2,
                "--temporal-smoothing: 'sometimes' is not off|live|file"},
        BadCase{"unused_encoder_option", "--model {dir}model.safetensors -i {dir}clip.mp4 -c:v mpeg4 -crf 20",
                1, "does not take option(s): crf"},
        BadCase{"missing_model", "--model {dir}no-model.safetensors -i {dir}clip.mp4", 1, "cannot open"},
        BadCase{"bad_model", "--model {dir}junk.safetensors -i {dir}clip.mp4", 1, "model file"},
        BadCase{"no_input", "--model {dir}model.safetensors", 2, "no input"},
        // ffmpeg's -r (frame rate) is not an abbreviation of --render-size: it ran at render size 30.
        BadCase{"abbreviated_option", "--model {dir}model.safetensors -i {dir}clip.mp4 -r 30", 2,
                "unrecognised option '-r'"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(Cli, InterruptLeavesNoOutput) {
  // A clip long enough to be mid-way when the signal comes.
  const std::string long_clip = file("long.mp4");
  ASSERT_EQ(
      ffmpeg("-f lavfi -i testsrc=size=640x480:rate=25:duration=60 -vf format=gray -c:v libx264 -preset "
             "ultrafast " +
             quote(long_clip)),
      0);
  const std::string out = file("interrupted.mp4");
  const std::string cmd = std::string(COLORIZE_CLI) + " -v error --model " + quote(model()) + " -i " +
                          quote(long_clip) + " -o " + quote(out);
  // Run in the background through the shell; once the partial output exists (the transcode is under
  // way, whatever the machine's load), send the signal. Ctrl-C, kill, a closed terminal, Ctrl-\.
  const std::string part = quote(file("")) + ".interrupted.mp4.colorize-*.part";
  for (const auto& [name, status] :
       {std::pair{"INT", 130}, std::pair{"TERM", 143}, std::pair{"HUP", 129}, std::pair{"QUIT", 131}}) {
    const auto r = run("(" + cmd + " & pid=$!; for i in $(seq 600); do ls " + part +
                       " >/dev/null 2>&1 && break; sleep 0.1; done; sleep 0.5; kill -" + name +
                       " $pid; wait $pid; echo status=$?)");
    EXPECT_NE(r.output.find("status=" + std::to_string(status)), std::string::npos)
        << name << ": " << r.output;
    EXPECT_NE(r.output.find("interrupted"), std::string::npos) << name << ": " << r.output;
    expect_nothing_written(out);
  }
}

// Shell: waits until process $pid catches SIGTERM (bit 15 of SigCgt), so that the signal tests what
// colorize does with it rather than how fast LibTorch loads.
const std::string kWaitForSigtermHandler =
    "for i in $(seq 300); do m=$(awk '/SigCgt/{print $2}' /proc/$pid/status); "
    "[ $(( 0x$m & 0x4000 )) -ne 0 ] && break; sleep 0.1; done;";

// A FIFO with no writer blocks the input's opening, as a network stream or a device that does not
// answer would: a signal then is still an interruption (143), not an error (1).
TEST_F(Cli, SignalWhileTheInputOpensIsAnInterruption) {
  const std::string fifo = file("silent.fifo"), out = file("never.mkv");
  ASSERT_EQ(run("mkfifo " + quote(fifo)).status, 0);
  const auto r = run("(" + std::string(COLORIZE_CLI) + " -v error --model " + quote(model()) +
                     " -f mpegts -i " + quote(fifo) + " -o " + quote(out) + " & pid=$!; " +
                     kWaitForSigtermHandler + " sleep 0.5; kill -TERM $pid; wait $pid; echo status=$?)");
  EXPECT_NE(r.output.find("status=143"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("interrupted"), std::string::npos) << r.output;
  expect_nothing_written(out);
}

// "-i -" reads standard input, as ffmpeg does.
TEST_F(Cli, DashInputIsStandardInput) {
  const std::string clip = file("piped.mkv"), out = file("from-stdin.mp4");
  ASSERT_EQ(ffmpeg("-f lavfi -i testsrc=size=160x120:rate=25:duration=1 -vf format=gray -c:v libx264 " +
                   quote(clip)),
            0);
  const auto r = run("cat " + quote(clip) + " | " + std::string(COLORIZE_CLI) + " -v error --model " +
                     quote(model()) + " -i - -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(probe(out, "stream=nb_read_packets"), "25");
}

}  // namespace
}  // namespace colorize::cli
