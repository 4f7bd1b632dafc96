#include "color/area_shrink.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "color/frame_io.hpp"
#include "color/target_clones.hpp"

namespace colorize::color {
namespace {

struct Window {
  int begin, end;  // [begin, end)
};

// torch's adaptive pooling window of output i of n over an input of m.
Window window(int i, int n, int m) {
  return {static_cast<int>(static_cast<long>(i) * m / n),
          static_cast<int>((static_cast<long>(i + 1) * m + n - 1) / n)};
}

// Adds the rows of a window column by column: the inner loop runs along contiguous memory and vectorises.
COLORIZE_CLONES void add_rows(const ConstPlane& src, Window rows, float* __restrict sums) {
  const int w = src.width;
  const float* first = src.row(rows.begin);
  for (int x = 0; x < w; ++x) sums[x] = first[x];
  for (int y = rows.begin + 1; y < rows.end; ++y) {
    const float* __restrict in = src.row(y);
    for (int x = 0; x < w; ++x) sums[x] += in[x];
  }
}

}  // namespace

void area_shrink(const ConstPlane& src, const Plane& dst) {
  validate(src, src.width, src.height, "area_shrink source");
  validate(dst, dst.width, dst.height, "area_shrink output");
  if (dst.width < 1 || dst.height < 1 || dst.width > src.width || dst.height > src.height)
    throw std::invalid_argument("area_shrink: cannot shrink " + std::to_string(src.width) + "x" +
                                std::to_string(src.height) + " to " + std::to_string(dst.width) + "x" +
                                std::to_string(dst.height));
  std::vector<Window> columns(static_cast<std::size_t>(dst.width));
  for (int ox = 0; ox < dst.width; ++ox)
    columns[static_cast<std::size_t>(ox)] = window(ox, dst.width, src.width);
#pragma omp parallel if (detail::worth_parallel(src.width, src.height))
  {
    std::vector<float> sums(static_cast<std::size_t>(src.width));
#pragma omp for schedule(static)
    for (int oy = 0; oy < dst.height; ++oy) {
      const Window rows = window(oy, dst.height, src.height);
      add_rows(src, rows, sums.data());
      float* out = dst.row(oy);
      for (int ox = 0; ox < dst.width; ++ox) {
        const Window c = columns[static_cast<std::size_t>(ox)];
        float sum = 0.0f;
        for (int x = c.begin; x < c.end; ++x) sum += sums[static_cast<std::size_t>(x)];
        out[ox] = sum / static_cast<float>((rows.end - rows.begin) * (c.end - c.begin));
      }
    }
  }
}

}  // namespace colorize::color
