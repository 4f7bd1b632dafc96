// Pixel formats that cross colorize's layers, and what each one looks like in memory.
#pragma once

#include <optional>
#include <string_view>

namespace colorize::color {

enum class PixelFormat {
  Gray8,  // one plane, 8-bit sRGB-encoded gray
  Rgb24,  // packed R, G, B
  Bgr24,  // packed B, G, R
  Rgbx,   // packed R, G, B, padding byte (written as 255)
  Bgrx,   // packed B, G, R, padding byte (written as 255)
  Rgba,   // packed R, G, B, alpha (alpha ignored on input, written as 255)
  Bgra,   // packed B, G, R, alpha
  I420,   // planar Y, U, V; chroma at half width and half height (rounded up)
  Nv12,   // planar Y, interleaved UV; chroma at half width and half height (rounded up)
};

// Byte layout of the packed RGB formats; bytes_per_pixel is 0 for the others.
struct PackedLayout {
  int bytes_per_pixel = 0;
  int red = 0, green = 0, blue = 0;
  int alpha = -1;  // offset of the alpha or padding byte, -1 when there is none
};

constexpr PackedLayout packed_layout(PixelFormat f) {
  switch (f) {
    case PixelFormat::Rgb24:
      return {3, 0, 1, 2, -1};
    case PixelFormat::Bgr24:
      return {3, 2, 1, 0, -1};
    case PixelFormat::Rgbx:
    case PixelFormat::Rgba:
      return {4, 0, 1, 2, 3};
    case PixelFormat::Bgrx:
    case PixelFormat::Bgra:
      return {4, 2, 1, 0, 3};
    default:
      return {};
  }
}

constexpr bool is_packed_rgb(PixelFormat f) { return packed_layout(f).bytes_per_pixel != 0; }
constexpr bool is_yuv420(PixelFormat f) { return f == PixelFormat::I420 || f == PixelFormat::Nv12; }

constexpr int plane_count(PixelFormat f) {
  return f == PixelFormat::I420 ? 3 : f == PixelFormat::Nv12 ? 2 : 1;
}

// Width and height of the chroma planes of a 4:2:0 frame (odd sizes round up).
constexpr int chroma_extent(int luma_extent) { return (luma_extent + 1) / 2; }

// Minimum bytes per row of plane `plane` for a frame `width` pixels wide.
constexpr int min_row_bytes(PixelFormat f, int plane, int width) {
  if (is_packed_rgb(f)) return width * packed_layout(f).bytes_per_pixel;
  if (f == PixelFormat::Gray8 || plane == 0) return width;
  return f == PixelFormat::Nv12 ? 2 * chroma_extent(width) : chroma_extent(width);
}

// Rows of plane `plane` for a frame `height` pixels high.
constexpr int plane_rows(PixelFormat f, int plane, int height) {
  return (is_yuv420(f) && plane > 0) ? chroma_extent(height) : height;
}

// Names as GStreamer spells them (GRAY8, RGB, BGRx, I420, ...).
std::string_view to_string(PixelFormat f);
std::optional<PixelFormat> pixel_format_from_string(std::string_view name);

}  // namespace colorize::color
