#include "media/image_writer.hpp"

#include <cstdio>
#include <fstream>

#include "color/frame_lab.hpp"
#include "media/av_util.hpp"
#include "media/frame_adapter.hpp"
#include "media/scaler.hpp"

namespace colorize::media {

void write_png(const std::string& path, const color::FrameView& image) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (codec == nullptr) throw MediaError("this FFmpeg has no PNG encoder");
  CodecContextPtr enc(avcodec_alloc_context3(codec));
  if (!enc) throw MediaError("out of memory");
  enc->width = image.width;
  enc->height = image.height;
  enc->pix_fmt = AV_PIX_FMT_RGB24;
  enc->time_base = {1, 1};
  check(avcodec_open2(enc.get(), codec, nullptr), "cannot open the PNG encoder");
  FramePtr frame = allocate_frame(AV_PIX_FMT_RGB24, image.width, image.height);
  color::convert_frame(image, *mutable_view_of(*frame));
  check(avcodec_send_frame(enc.get(), frame.get()), "cannot encode " + path);
  check(avcodec_send_frame(enc.get(), nullptr), "cannot encode " + path);
  PacketPtr packet = make_packet();
  check(avcodec_receive_packet(enc.get(), packet.get()), "cannot encode " + path);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(packet->data), packet->size);
    if (!out) {
      std::remove(tmp.c_str());
      throw MediaError("cannot write " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw MediaError("cannot rename " + tmp + " to " + path);
  }
}

}  // namespace colorize::media
