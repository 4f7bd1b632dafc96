// Encoding the colorized video and muxing it with every other stream copied unchanged (audio,
// subtitles, data), keeping timestamps, frame rate, aspect ratio, rotation, colour tags, chapters and
// metadata. The shape of FFmpeg's doc/examples/transcode.c, with RAII and stream copy.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "media/av_util.hpp"
#include "media/encoder_choice.hpp"
#include "media/input.hpp"
#include "media/output_options.hpp"

namespace colorize::media {

// The muxer for -f `format`, or else the one the name's extension suggests; throws when there is none.
const AVOutputFormat* guess_output_format(const std::string& format, const std::string& name);
// Formats such as null that open no file.
bool writes_no_file(const AVOutputFormat* format);
// The protocol FFmpeg would open `url` with: "file" for plain paths, "pipe", "udp", ...; empty when this
// FFmpeg has no such protocol.
std::string protocol_of(const std::string& url);

// A video stream already encoded, whose packets an Output copies instead of encoding frames: the
// pieces of a long film joined.
struct EncodedVideo {
  const AVCodecParameters* parameters;
  AVRational time_base;          // of the packets given to write_video_packet()
  AVRational encoder_time_base;  // the stream's, as the encoder had it (kEncoderTimeBaseKey)
};

// The stream tag of a video encoded for another container (OutputOptions::encode_for) that keeps the
// encoder's time base, "num/den": NUT chooses a finer one of its own, and the film joined from pieces
// should declare the time base a single run would.
inline constexpr const char* kEncoderTimeBaseKey = "colorize_encoder_time_base";

class Output {
 public:
  // Encodes the frames given to write_video().
  Output(const OutputOptions& options, const Input& input);
  // Copies the packets given to write_video_packet(); the input gives the rest, as above.
  Output(const OutputOptions& options, const Input& input, const EncodedVideo& video);

  // The encoder; nullptr when the video is copied.
  const AVCodecContext* encoder() const { return encoder_.get(); }
  // The video stream as written: its time base is final once the header is written.
  const AVStream* video_stream() const { return video_out_; }
  bool copies(int input_stream) const;

  // A colorized frame, pts in the input video stream's time base (rescaled here to the encoder's);
  // nullptr flushes the encoder.
  void write_video(AVFrame* frame);
  // A packet of a copied input stream, as read from the input.
  void write_copy(AVPacket* packet);
  // A packet of the encoded video (EncodedVideo's constructor), timestamps in its time base.
  void write_video_packet(AVPacket* packet);
  // Flushes, writes the trailer and closes the file. Without it the temporary file is incomplete.
  void finish();
  // Frames that went into the encoder.
  long frames_written() const { return frames_; }

 private:
  // Opens the first of `choices` the encoder takes, saying what it settled for.
  void open_first_encoder(const OutputOptions& o, const std::vector<EncoderChoice>& choices);
  // Configures and opens encoder_ with `choice`; false with *error set when the encoder refuses it.
  bool open_encoder(const OutputOptions& o, const EncoderChoice& choice, std::string* error);
  // A muxer context for `url` with the video, the copied streams, metadata and chapters. Streams whose
  // codec FFmpeg cannot say the format takes are left out when `only_known` (after the muxer refused).
  // Returns how many such uncertain streams it added.
  int describe(const std::string& url, bool only_known);
  // Opens the muxer (with pb set), leaving out the uncertain streams if it refuses them; writes the header.
  void start_muxer(const OutputOptions& o, int uncertain);

  void drain_encoder();

  const Input& input_;
  const AVOutputFormat* muxer_;
  bool video_only_;
  const AVOutputFormat* encode_for_;
  std::map<std::string, std::string> metadata_;
  EncodedVideo copied_{nullptr, {0, 1}, {0, 1}};
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
