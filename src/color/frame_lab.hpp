// Whole-frame conversions between any PixelFormat and CIE L*a*b* float planes, and between formats.
// All of them use every core (OpenMP over rows) and validate their arguments, throwing
// std::invalid_argument with the reason when a view or plane does not fit.
#pragma once

#include "color/frame_view.hpp"
#include "color/plane.hpp"

namespace colorize::color {

// L* (0..100) of every pixel: the network's input and the detail the output keeps.
void frame_to_lightness(const FrameView& src, const Plane& L);

// L*, a*, b* of every pixel: training targets and evaluation.
void frame_to_lab(const FrameView& src, const Plane& L, const Plane& a, const Plane& b);

// Writes L*a*b* into dst, out-of-gamut colours clipped. L has dst's size; a and b share a size of their
// own, and when it is smaller (the network's output) they are upsampled bilinearly on the fly (half-pixel
// centres, as torch's upsample_bilinear2d with align_corners=false), with no full-size a/b planes.
void lab_to_frame(const ConstPlane& L, const ConstPlane& a, const ConstPlane& b, const MutableFrameView& dst);

// Any format to any format of the same size (passthrough with a format change, previews).
void convert_frame(const FrameView& src, const MutableFrameView& dst);

}  // namespace colorize::color
