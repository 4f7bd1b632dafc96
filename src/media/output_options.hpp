// What the user asked of the output: where, in which format, with which encoder and options.
#pragma once

#include <map>
#include <string>

struct AVOutputFormat;

namespace colorize::media {

struct OutputOptions {
  std::string path;          // what the user asked for: names the output in messages
  std::string url;           // what is opened: a temporary file, a pipe, a device or a URL
  std::string format;        // -f
  std::string video_codec;   // -c:v; empty: libx264 for mp4/mkv/mov, else the container's default
  std::string pixel_format;  // -pix_fmt; empty: the encoder's first that colorize writes
  std::map<std::string, std::string> codec_options;  // crf, preset, b, ...: passed to the encoder
  int encoder_threads = 0;
  int width = 0, height = 0;  // of the encoded video (twice the input width for a preview)
  // The container whose conventions the encoder follows (its default codec, global headers, time base)
  // when it is not the one written: the pieces of a long film are NUT files encoded for the film's own
  // container, so that their packets can be copied into it. nullptr: the container written.
  const AVOutputFormat* encode_for = nullptr;
  bool video_only = false;                      // the other streams, chapters and metadata left out
  std::map<std::string, std::string> metadata;  // set on the container, over the input's
};

}  // namespace colorize::media
