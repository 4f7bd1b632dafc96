// RAII for FFmpeg objects and error handling with context. Every AV* object colorize holds lives in
// one of these pointers; every failing libav* call becomes a MediaError saying what was being done.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace colorize::media {

class MediaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string av_error_text(int code);

// Throws MediaError("<what>: <FFmpeg's message>") when code < 0; returns code otherwise.
int check(int code, const std::string& what);

struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct InputFormatDeleter {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct OutputFormatDeleter {
  void operator()(AVFormatContext* f) const;  // closes the file if open, then frees
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
struct DictionaryDeleter {
  void operator()(AVDictionary* d) const { av_dict_free(&d); }
};
struct BufferDeleter {
  void operator()(AVBufferRef* b) const { av_buffer_unref(&b); }
};

using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using BufferPtr = std::unique_ptr<AVBufferRef, BufferDeleter>;

FramePtr make_frame();
PacketPtr make_packet();

// An enum field as FFmpeg filled it, or `fallback` when its value has no name in the enum: decoders
// pass on what the bitstream says (the fuzzer found an H.264 matrix_coefficients of 65), and loading
// such a value as the enum is undefined behaviour. Read through its bytes, never as the enum.
template <class Enum>
Enum known_or(const Enum& field, Enum count, Enum fallback) {
  std::underlying_type_t<Enum> raw;
  std::memcpy(&raw, &field, sizeof raw);
  return raw >= 0 && raw < static_cast<std::underlying_type_t<Enum>>(count) ? static_cast<Enum>(raw)
                                                                            : fallback;
}
// A decoded frame's colour tags made known (unspecified where the decoder passed on an unnamed value).
void sanitize_colour_tags(AVFrame& frame);

// Routes FFmpeg's own log through its default printer at `level` (AV_LOG_ERROR, AV_LOG_INFO, ...).
void set_log_level(int level);

// Holds FFmpeg's log lines back while it lives, for attempts whose failure is expected and handled (an
// encoder that refuses a time base before it takes another): their complaints are shown only if
// nothing worked. One at a time; lines are kept at the log level in force, with their "[codec @ ...]".
class HeldLog {
 public:
  HeldLog();
  ~HeldLog();  // FFmpeg's default printer again
  HeldLog(const HeldLog&) = delete;
  HeldLog& operator=(const HeldLog&) = delete;

  using Lines = std::vector<std::pair<int, std::string>>;  // level, text
  Lines take();
  // Prints lines as FFmpeg would have.
  static void print(const Lines& lines);
};

}  // namespace colorize::media
