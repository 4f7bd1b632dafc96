// Encoding the colorized video and muxing it with every other stream copied unchanged (audio,
// subtitles, data), keeping timestamps, frame rate, aspect ratio, rotation, colour tags, chapters and
// metadata. The shape of FFmpeg's doc/examples/transcode.c, with RAII and stream copy.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "media/av_util.hpp"
#include "media/input.hpp"

namespace colorize::media {

struct OutputOptions {
  std::string path;          // what the user asked for: decides the container when no format is given
  std::string temp_path;     // where the file is written until it is complete
  std::string format;        // -f
  std::string video_codec;   // -c:v; empty: libx264 for mp4/mkv/mov, else the container's default
  std::string pixel_format;  // -pix_fmt; empty: the encoder's first that colorize writes
  std::map<std::string, std::string> codec_options;  // crf, preset, b, ...: passed to the encoder
  int encoder_threads = 0;
  int width = 0, height = 0;  // of the encoded video (twice the input width for a preview)
};

class Output {
 public:
  Output(const OutputOptions& options, const Input& input);

  AVPixelFormat pixel_format() const { return encoder_->pix_fmt; }
  const AVCodecContext* encoder() const { return encoder_.get(); }
  bool copies(int input_stream) const;

  // A colorized frame, pts in the input video stream's time base; nullptr flushes the encoder.
  void write_video(AVFrame* frame);
  // A packet of a copied input stream, as read from the input.
  void write_copy(AVPacket* packet);
  // Flushes, writes the trailer and closes the file. Without it the temporary file is incomplete.
  void finish();
  // Frames that went into the encoder.
  long frames_written() const { return frames_; }

 private:
  // Configures and opens encoder_ with `codec`; false with *error set when the codec cannot open.
  bool open_encoder(const OutputOptions& o, const AVCodec* codec, const Input& input, std::string* error);

  void drain_encoder();

  const Input& input_;
  OutputFormatPtr format_;
  CodecContextPtr encoder_;
  PacketPtr packet_ = make_packet();
  AVStream* video_out_ = nullptr;
  std::vector<int> stream_map_;  // input stream index -> output stream index, -1 when not copied
  int64_t last_pts_ = AV_NOPTS_VALUE;
  long frames_ = 0;
  std::string path_;
};

}  // namespace colorize::media
