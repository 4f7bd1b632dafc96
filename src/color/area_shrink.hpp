// Shrinking a float plane by averaging, as torch's adaptive_avg_pool2d (the seed's resize of L* to the
// network's size): output sample (ox, oy) is the mean of input rows floor(oy H / h) to
// ceil((oy + 1) H / h) and the columns likewise. Separable and multithreaded: on one 1080p plane it
// costs a fraction of torch's CPU kernel, which runs one channel on one thread.
#pragma once

#include "color/plane.hpp"

namespace colorize::color {

// dst must be no larger than src on either axis.
void area_shrink(const ConstPlane& src, const Plane& dst);

}  // namespace colorize::color
