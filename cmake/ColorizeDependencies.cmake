# Finds what the enabled parts need and decides whether CUDA is built.
find_package(Threads REQUIRED)
find_package(OpenMP REQUIRED COMPONENTS CXX)

# LibTorch: Debian's libtorch-dev (1.13, CPU) or the LibTorch of a Python PyTorch (pass
# -DCMAKE_PREFIX_PATH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')).
find_package(Torch QUIET)
set(COLORIZE_HAVE_TORCH ${Torch_FOUND})
if(Torch_FOUND)
  # TorchConfig puts its flags in TORCH_CXX_FLAGS (the C++ ABI switch). colorize::torch_abi carries them
  # alone: code that calls the engine (std::string in its API) without torch headers must agree with it.
  if(NOT TARGET colorize::torch)
    add_library(colorize::torch_abi INTERFACE IMPORTED)
    separate_arguments(_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
    set_property(TARGET colorize::torch_abi PROPERTY INTERFACE_COMPILE_OPTIONS ${_torch_flags})
    add_library(colorize::torch INTERFACE IMPORTED)
    set_target_properties(colorize::torch PROPERTIES INTERFACE_LINK_LIBRARIES "${TORCH_LIBRARIES};colorize::torch_abi")
  endif()
endif()

# c10d's Gloo process group, for data-parallel training (training/distributed.cpp): Debian's LibTorch has
# it compiled in and needs Gloo's headers (libgloo-dev) to use it. Without them colorize-train runs as
# one process and says so when asked for more.
set(COLORIZE_HAVE_C10D OFF)
if(Torch_FOUND)
  find_path(COLORIZE_C10D_INCLUDE_DIR torch/csrc/distributed/c10d/ProcessGroupGloo.hpp HINTS ${TORCH_INCLUDE_DIRS})
  find_path(COLORIZE_GLOO_INCLUDE_DIR gloo/config.h HINTS ${TORCH_INCLUDE_DIRS})
  find_library(COLORIZE_GLOO_LIBRARY gloo)  # a PyTorch wheel's LibTorch has Gloo inside
  if(COLORIZE_C10D_INCLUDE_DIR AND COLORIZE_GLOO_INCLUDE_DIR)
    set(COLORIZE_HAVE_C10D ON)
    if(NOT TARGET colorize::c10d)
      add_library(colorize::c10d INTERFACE IMPORTED)
      set_target_properties(colorize::c10d PROPERTIES INTERFACE_COMPILE_DEFINITIONS "USE_C10D_GLOO;COLORIZE_HAVE_C10D=1")
      if(COLORIZE_GLOO_LIBRARY)
        set_target_properties(colorize::c10d PROPERTIES INTERFACE_LINK_LIBRARIES "${COLORIZE_GLOO_LIBRARY}")
      endif()
    endif()
  endif()
endif()

# CUDA: AUTO builds the CUDA kernels and the engine's CUDA path wherever nvcc is found, even beside a
# CPU-only LibTorch (CI compiles them that way); whether a GPU is used is decided at run time.
set(COLORIZE_HAVE_CUDA OFF)
if(NOT COLORIZE_CUDA STREQUAL "OFF")
  include(CheckLanguage)
  check_language(CUDA)
  if(COLORIZE_CUDA STREQUAL "ON" AND NOT CMAKE_CUDA_COMPILER)
    message(FATAL_ERROR "COLORIZE_CUDA=ON but no CUDA compiler (nvcc) was found")
  endif()
  if(CMAKE_CUDA_COMPILER)
    # The GPU machine's H200 (sm_90), with PTX for later GPUs; pass -DCMAKE_CUDA_ARCHITECTURES for others.
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(COLORIZE_HAVE_CUDA ON)
  endif()
endif()

# OpenCV's video module (DIS optical flow) for temporal stabilisation: Debian's libopencv-video-dev ships
# the libraries and headers, but no CMake config or pkg-config file without the full libopencv-dev.
# Optional, so the GPU machine's build (no OpenCV there) still builds the engine without it.
set(COLORIZE_HAVE_OPENCV OFF)
if(COLORIZE_WITH_OPENCV)
  find_path(COLORIZE_OPENCV_INCLUDE_DIR opencv2/video/tracking.hpp PATH_SUFFIXES opencv4)
  find_library(COLORIZE_OPENCV_CORE opencv_core)
  find_library(COLORIZE_OPENCV_IMGPROC opencv_imgproc)
  find_library(COLORIZE_OPENCV_VIDEO opencv_video)
endif()
if(COLORIZE_WITH_OPENCV AND COLORIZE_OPENCV_INCLUDE_DIR AND COLORIZE_OPENCV_CORE AND COLORIZE_OPENCV_IMGPROC
   AND COLORIZE_OPENCV_VIDEO)
  set(COLORIZE_HAVE_OPENCV ON)
  if(NOT TARGET colorize::opencv)
    add_library(colorize::opencv INTERFACE IMPORTED)
    set_target_properties(colorize::opencv PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${COLORIZE_OPENCV_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${COLORIZE_OPENCV_VIDEO};${COLORIZE_OPENCV_IMGPROC};${COLORIZE_OPENCV_CORE}")
  endif()
endif()
