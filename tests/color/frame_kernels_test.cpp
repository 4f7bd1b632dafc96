// The CUDA colour passes on a GPU against the CPU reference (the engine's CPU path): within one code
// value. Reported as skipped, with the reason, where no CUDA device can be used.
#include "color/frame_kernels.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "color/device_frame.hpp"
#include "support/frame_buffer.hpp"
#include "support/kernel_reference.hpp"

namespace colorize::color::cuda {
namespace {

using test::FrameBuffer;

#define SKIP_WITHOUT_CUDA()                                                                 \
  do {                                                                                      \
    std::string why;                                                                        \
    if (!device_available(&why)) GTEST_SKIP() << "skipped: no CUDA device (" << why << ")"; \
  } while (0)

// A float plane in device memory with the contents of a 2-D CPU tensor, and back.
struct DevicePlane {
  DeviceBuffer memory;
  Plane plane;
  explicit DevicePlane(const torch::Tensor& t) {
    memory.reserve(static_cast<std::size_t>(t.numel()) * sizeof(float));
    check(cudaMemcpy(memory.data(), t.data_ptr<float>(), memory.size(), cudaMemcpyHostToDevice), "upload");
    plane = {static_cast<float*>(memory.data()), static_cast<int>(t.size(1)), static_cast<int>(t.size(0)),
             t.size(1)};
  }
  torch::Tensor download() const {
    torch::Tensor t = torch::empty({plane.height, plane.width});
    check(cudaMemcpy(t.data_ptr<float>(), memory.data(), memory.size(), cudaMemcpyDeviceToHost), "download");
    return t;
  }
};

class GpuNetworkInput : public ::testing::TestWithParam<test::InputCase> {};

TEST_P(GpuNetworkInput, MatchesTheCpuPath) {
  SKIP_WITHOUT_CUDA();
  const test::InputCase c = GetParam();
  FrameBuffer frame(c.format, c.width, c.height, 5);
  test::fill_random_frame(frame, 29);
  const test::NetworkInput expected = test::reference_network_input(frame.cview(), c.net_width, c.net_height);
  Stream stream;
  DeviceFrame device;
  device.upload(frame.cview(), stream.get());
  DevicePlane L(torch::zeros({c.height, c.width})), net(torch::zeros({c.net_height, c.net_width}));
  frame_to_network_input(device.view(), L.plane, net.plane, stream.get());
  stream.synchronize();
  EXPECT_LT((L.download() - expected.L).abs().max().item<float>(), 5e-3f);
  EXPECT_LT((net.download() - expected.net).abs().max().item<float>(), 5e-3f);  // 1e-4 of L / 50 - 1
}

INSTANTIATE_TEST_SUITE_P(Formats, GpuNetworkInput,
                         ::testing::Values(test::InputCase{PixelFormat::Gray8, 1920, 1080, 455, 256},
                                           test::InputCase{PixelFormat::I420, 1920, 1080, 455, 256},
                                           test::InputCase{PixelFormat::Nv12, 641, 359, 457, 256},
                                           test::InputCase{PixelFormat::Rgb24, 320, 240, 341,
                                                           256},  // bilinear
                                           test::InputCase{PixelFormat::Bgrx, 97, 61, 41, 26}),
                         test::CaseName());

class GpuCompose : public ::testing::TestWithParam<test::ComposeCase> {};

TEST_P(GpuCompose, MatchesLabToFrameWithinOneCode) {
  SKIP_WITHOUT_CUDA();
  const test::ComposeCase c = GetParam();
  const test::LabPlanes lab = test::random_lab(c.width, c.height, c.ab_width, c.ab_height, 31);
  FrameBuffer expected(c.format, c.width, c.height, 3), got(c.format, c.width, c.height, 3);
  lab_to_frame(test::plane_of(lab.L), test::plane_of(lab.a), test::plane_of(lab.b), expected.view());
  Stream stream;
  const DevicePlane L(lab.L), a(lab.a), b(lab.b);
  DeviceFrame device;
  device.reshape(c.format, c.width, c.height, {});
  cuda::lab_to_frame(L.plane, a.plane, b.plane, device.view(), stream.get());
  device.start_download(stream.get());
  device.finish_download(got.view());
  const test::CodeDifference d = test::compare_frames(got.cview(), expected.cview());
  EXPECT_LE(d.max, 1) << d.differing << " of " << d.total << " codes differ";
  EXPECT_LT(d.differing, d.total / 50 + 1) << d.differing << " of " << d.total << " codes differ";
  EXPECT_TRUE(got.guards_intact());
}

INSTANTIATE_TEST_SUITE_P(Formats, GpuCompose,
                         ::testing::Values(test::ComposeCase{PixelFormat::I420, 1920, 1080, 455, 256},
                                           test::ComposeCase{PixelFormat::Nv12, 1921, 1081, 455, 256},
                                           test::ComposeCase{PixelFormat::Rgb24, 1280, 720, 455, 256},
                                           test::ComposeCase{PixelFormat::Bgra, 640, 480, 341, 256},
                                           test::ComposeCase{PixelFormat::Gray8, 75, 43, 23, 17},
                                           test::ComposeCase{PixelFormat::I420, 33, 35, 16, 17}),
                         test::CaseName());

TEST(GpuKernels, BadPlanesAreRejectedBeforeAnyLaunch) {
  // Validation happens on the host: it needs no device. The frame claims device memory so that the
  // checks after the memory's are reached; every call below throws before a launch.
  FrameBuffer frame(PixelFormat::I420, 64, 48);
  MutableFrameView on_device = frame.view();
  on_device.memory = Memory::Cuda;
  float dummy = 0;
  const Plane L{&dummy, 32, 48, 32}, net{&dummy, 32, 24, 32};
  EXPECT_THROW(frame_to_network_input(on_device, L, net, nullptr), std::invalid_argument);
  const Plane small{&dummy, 1, 1, 1}, full{&dummy, 64, 48, 64}, empty{&dummy, 0, 0, 0};
  EXPECT_THROW(cuda::lab_to_frame(full, empty, empty, on_device, nullptr), std::invalid_argument);
  EXPECT_THROW(cuda::lab_to_frame(small, small, small, on_device, nullptr), std::invalid_argument);
  // Planes in host memory are refused by the kernels, whatever else is right.
  const Plane full_net{&dummy, 32, 24, 32};
  EXPECT_THROW(frame_to_network_input(frame.cview(), full, full_net, nullptr), std::invalid_argument);
  EXPECT_THROW(cuda::lab_to_frame(full, small, small, frame.view(), nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace colorize::color::cuda
