// AVFrame -> colour view without copying: formats, Y'CbCr tags, and NVDEC's frames in GPU memory.
#include <gtest/gtest.h>

extern "C" {
#include <libavutil/hwcontext.h>
}

#include <cstdint>

#include "media/av_util.hpp"
#include "media/frame_adapter.hpp"
#include "media/scaler.hpp"

namespace colorize::media {
namespace {

TEST(FrameAdapter, HostFramesGiveHostViewsOfTheirPlanes) {
  FramePtr frame = allocate_frame(AV_PIX_FMT_YUV420P, 64, 36);
  frame->colorspace = AVCOL_SPC_BT709;
  frame->color_range = AVCOL_RANGE_JPEG;
  const auto view = view_of(*frame);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->format, color::PixelFormat::I420);
  EXPECT_EQ(view->memory, color::Memory::Host);
  EXPECT_EQ(view->yuv.matrix, color::YuvMatrix::Bt709);
  EXPECT_EQ(view->yuv.range, color::YuvRange::Full);
  for (int p = 0; p < 3; ++p) {
    EXPECT_EQ(view->data[p], frame->data[p]);
    EXPECT_EQ(view->stride[p], frame->linesize[p]);
  }
  FramePtr other = allocate_frame(AV_PIX_FMT_YUV422P, 64, 36);
  EXPECT_FALSE(view_of(*other).has_value());  // goes through libswscale instead
}

// A CUDA hardware frame as NVDEC hands it out: format AV_PIX_FMT_CUDA, the layout in its frames
// context. Only the contexts are allocated (no device is opened), and the planes are never read.
class CudaFrame : public ::testing::Test {
 protected:
  void make(AVPixelFormat sw_format) {
    device_.reset(av_hwdevice_ctx_alloc(AV_HWDEVICE_TYPE_CUDA));
    if (!device_) GTEST_SKIP() << "skipped: this libavutil has no CUDA hardware context";
    frames_.reset(av_hwframe_ctx_alloc(device_.get()));
    ASSERT_TRUE(frames_);
    auto* context = reinterpret_cast<AVHWFramesContext*>(frames_->data);
    context->format = AV_PIX_FMT_CUDA;
    context->sw_format = sw_format;
    frame_->format = AV_PIX_FMT_CUDA;
    frame_->width = 1920;
    frame_->height = 1080;
    frame_->data[0] = device_planes_;  // stand-ins for device pointers
    frame_->data[1] = device_planes_ + 1;
    frame_->linesize[0] = frame_->linesize[1] = 2048;
    frame_->hw_frames_ctx = av_buffer_ref(frames_.get());
    ASSERT_NE(frame_->hw_frames_ctx, nullptr);
  }
  BufferPtr device_, frames_;
  FramePtr frame_ = make_frame();
  std::uint8_t device_planes_[2]{};
};

TEST_F(CudaFrame, Nv12GivesAViewOfTheDevicePlanes) {
  make(AV_PIX_FMT_NV12);
  const auto view = view_of(*frame_);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->memory, color::Memory::Cuda);
  EXPECT_EQ(view->format, color::PixelFormat::Nv12);
  EXPECT_EQ(view->width, 1920);
  EXPECT_EQ(view->data[0], frame_->data[0]);
  EXPECT_EQ(view->data[1], frame_->data[1]);
  EXPECT_EQ(view->stride[1], 2048);
  EXPECT_EQ(view->yuv.matrix, color::YuvMatrix::Bt709);  // untagged HD: BT.709, as for host frames
}

TEST_F(CudaFrame, TenBitFramesHaveNoView) {
  make(AV_PIX_FMT_P010LE);  // the input downloads these instead
  EXPECT_FALSE(view_of(*frame_).has_value());
}

}  // namespace
}  // namespace colorize::media
