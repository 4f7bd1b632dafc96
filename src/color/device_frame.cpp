#include "color/device_frame.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace colorize::color::cuda {

void DeviceFrame::reshape(PixelFormat format, int width, int height, YuvEncoding yuv) {
  if (width < 1 || height < 1)
    throw std::invalid_argument("device frame size must be at least 1x1, got " + std::to_string(width) + "x" +
                                std::to_string(height));
  Layout l;
  for (int p = 0; p < plane_count(format); ++p) {
    l.offset[p] = static_cast<std::ptrdiff_t>(l.bytes);
    l.stride[p] = min_row_bytes(format, p, width);
    l.bytes +=
        static_cast<std::size_t>(l.stride[p]) * static_cast<std::size_t>(plane_rows(format, p, height));
  }
  copied_.synchronize();  // the staging buffer may be in use by a copy still running
  device_.reserve(l.bytes);
  staging_.reserve(l.bytes);
  layout_ = l;
  shape_ = MutableFrameView{};
  shape_.format = format;
  shape_.width = width;
  shape_.height = height;
  shape_.yuv = yuv;
  shape_.memory = Memory::Cuda;
}

MutableFrameView DeviceFrame::view() const {
  MutableFrameView v = shape_;
  auto* base = static_cast<std::uint8_t*>(device_.data());
  for (int p = 0; p < plane_count(v.format); ++p) {
    v.data[p] = base + layout_.offset[p];
    v.stride[p] = layout_.stride[p];
  }
  return v;
}

void DeviceFrame::upload(const FrameView& host, cudaStream_t stream) {
  validate(host, "frame to upload");
  reshape(host.format, host.width, host.height, host.yuv);  // waits for the previous copy
  auto* staging = static_cast<std::uint8_t*>(staging_.data());
  for (int p = 0; p < plane_count(host.format); ++p)
    for (int y = 0; y < plane_rows(host.format, p, host.height); ++y)
      std::memcpy(staging + layout_.offset[p] + y * layout_.stride[p], host.row(p, y),
                  static_cast<std::size_t>(layout_.stride[p]));
  check(cudaMemcpyAsync(device_.data(), staging, layout_.bytes, cudaMemcpyHostToDevice, stream),
        "cudaMemcpyAsync (upload)");
  copied_.record(stream);
}

void DeviceFrame::start_download(cudaStream_t stream) {
  copied_.synchronize();
  check(cudaMemcpyAsync(staging_.data(), device_.data(), layout_.bytes, cudaMemcpyDeviceToHost, stream),
        "cudaMemcpyAsync (download)");
  copied_.record(stream);
}

void DeviceFrame::finish_download(const MutableFrameView& host) {
  validate(host, "frame to download into");
  if (host.format != shape_.format || host.width != shape_.width || host.height != shape_.height)
    throw std::invalid_argument("download: the host frame is " + std::string(to_string(host.format)) + " " +
                                std::to_string(host.width) + "x" + std::to_string(host.height) +
                                ", the device frame " + std::string(to_string(shape_.format)) + " " +
                                std::to_string(shape_.width) + "x" + std::to_string(shape_.height));
  copied_.synchronize();
  const auto* staging = static_cast<const std::uint8_t*>(staging_.data());
  for (int p = 0; p < plane_count(host.format); ++p)
    for (int y = 0; y < plane_rows(host.format, p, host.height); ++y)
      std::memcpy(host.row(p, y), staging + layout_.offset[p] + y * layout_.stride[p],
                  static_cast<std::size_t>(layout_.stride[p]));
}

}  // namespace colorize::color::cuda
