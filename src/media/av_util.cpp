#include "media/av_util.hpp"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace colorize::media {

std::string av_error_text(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

int check(int code, const std::string& what) {
  if (code < 0) throw MediaError(what + ": " + av_error_text(code));
  return code;
}

void OutputFormatDeleter::operator()(AVFormatContext* f) const {
  if (f == nullptr) return;
  if (f->oformat != nullptr && !(f->oformat->flags & AVFMT_NOFILE) && f->pb != nullptr) avio_closep(&f->pb);
  avformat_free_context(f);
}

FramePtr make_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw MediaError("out of memory allocating a frame");
  return f;
}

PacketPtr make_packet() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw MediaError("out of memory allocating a packet");
  return p;
}

void set_log_level(int level) { av_log_set_level(level); }

}  // namespace colorize::media
