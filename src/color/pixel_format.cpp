#include "color/pixel_format.hpp"

#include <array>
#include <utility>

namespace colorize::color {
namespace {
constexpr std::array<std::pair<PixelFormat, std::string_view>, 9> kNames{{
    {PixelFormat::Gray8, "GRAY8"},
    {PixelFormat::Rgb24, "RGB"},
    {PixelFormat::Bgr24, "BGR"},
    {PixelFormat::Rgbx, "RGBx"},
    {PixelFormat::Bgrx, "BGRx"},
    {PixelFormat::Rgba, "RGBA"},
    {PixelFormat::Bgra, "BGRA"},
    {PixelFormat::I420, "I420"},
    {PixelFormat::Nv12, "NV12"},
}};
}  // namespace

std::string_view to_string(PixelFormat f) {
  for (const auto& [format, name] : kNames)
    if (format == f) return name;
  return "unknown";
}

std::optional<PixelFormat> pixel_format_from_string(std::string_view name) {
  for (const auto& [format, known] : kNames)
    if (known == name) return format;
  return std::nullopt;
}

}  // namespace colorize::color
