#include "media/av_util.hpp"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include <cstdarg>
#include <mutex>

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

void sanitize_colour_tags(AVFrame& f) {
  f.colorspace = known_or(f.colorspace, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED);
  f.color_primaries = known_or(f.color_primaries, AVCOL_PRI_NB, AVCOL_PRI_UNSPECIFIED);
  f.color_trc = known_or(f.color_trc, AVCOL_TRC_NB, AVCOL_TRC_UNSPECIFIED);
  f.color_range = known_or(f.color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
  f.chroma_location = known_or(f.chroma_location, AVCHROMA_LOC_NB, AVCHROMA_LOC_UNSPECIFIED);
}

void set_log_level(int level) { av_log_set_level(level); }

namespace {

std::mutex g_held_mutex;
HeldLog::Lines g_held;
int g_print_prefix = 1;  // av_log_format_line2's state: whether the next line starts a message

extern "C" void hold_line(void* avcl, int level, const char* fmt, va_list args) {
  if (level > av_log_get_level()) return;
  char line[1024];
  std::lock_guard lock(g_held_mutex);
  av_log_format_line2(avcl, level, fmt, args, line, sizeof line, &g_print_prefix);
  g_held.emplace_back(level, line);
}

}  // namespace

HeldLog::HeldLog() {
  std::lock_guard lock(g_held_mutex);
  g_held.clear();
  g_print_prefix = 1;
  av_log_set_callback(hold_line);
}

HeldLog::~HeldLog() { av_log_set_callback(av_log_default_callback); }

HeldLog::Lines HeldLog::take() {
  std::lock_guard lock(g_held_mutex);
  return std::exchange(g_held, {});
}

void HeldLog::print(const Lines& lines) {
  for (const auto& [level, text] : lines) av_log(nullptr, level, "%s", text.c_str());
}

}  // namespace colorize::media
