#include "engine/motion_warp.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

namespace colorize::engine {
namespace {

// A cv::Mat header over a float plane (no copy).
cv::Mat mat_of(const color::ConstPlane& p) {
  return cv::Mat(p.height, p.width, CV_32F, const_cast<float*>(p.data),  // read only
                 static_cast<std::size_t>(p.stride) * sizeof(float));
}

}  // namespace

struct MotionWarp::State {
  // The "fast" preset is accurate enough at the network's resolution and costs milliseconds there.
  cv::Ptr<cv::DISOpticalFlow> flow_method = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
  cv::Mat previous8, current8, flow, map_x, map_y;
  cv::Mat fixed_map, fixed_fraction;  // the maps in remap's fixed-point form, made once per estimate
};

MotionWarp::MotionWarp() : state_(std::make_unique<State>()) {}
MotionWarp::~MotionWarp() = default;

void MotionWarp::estimate(const color::ConstPlane& previous_L, const color::ConstPlane& current_L) {
  State& s = *state_;
  mat_of(previous_L).convertTo(s.previous8, CV_8U, 255.0 / 100.0);
  mat_of(current_L).convertTo(s.current8, CV_8U, 255.0 / 100.0);
  // calc(I0, I1) gives I0(x) ~ I1(x + flow(x)): with I0 the current frame, where x came from. DIS
  // starts from the flow it is handed when that has the right size; released, each pair's flow depends
  // on that pair alone (and never on a frame before a scene cut).
  s.flow.release();
  s.flow_method->calc(s.current8, s.previous8, s.flow);
  s.map_x.create(s.flow.size(), CV_32F);
  s.map_y.create(s.flow.size(), CV_32F);
  for (int y = 0; y < s.flow.rows; ++y) {
    const auto* f = s.flow.ptr<cv::Point2f>(y);
    auto* mx = s.map_x.ptr<float>(y);
    auto* my = s.map_y.ptr<float>(y);
    for (int x = 0; x < s.flow.cols; ++x) {
      mx[x] = static_cast<float>(x) + f[x].x;
      my[x] = static_cast<float>(y) + f[x].y;
    }
  }
  // remap converts float maps to fixed point on every call; the look-ahead warps along one flow up to
  // three times per frame it covers, so convert once (positions to 1/32 pixel).
  cv::convertMaps(s.map_x, s.map_y, s.fixed_map, s.fixed_fraction, CV_16SC2);
}

void MotionWarp::warp(const color::ConstPlane& previous_plane, const color::Plane& out) const {
  cv::Mat target(out.height, out.width, CV_32F, out.data,
                 static_cast<std::size_t>(out.stride) * sizeof(float));
  cv::remap(mat_of(previous_plane), target, state_->fixed_map, state_->fixed_fraction, cv::INTER_LINEAR,
            cv::BORDER_REPLICATE);
}

}  // namespace colorize::engine
