# Finds what the enabled parts need and decides whether CUDA is built.
find_package(Threads REQUIRED)
find_package(OpenMP REQUIRED COMPONENTS CXX)

# LibTorch: Debian's libtorch-dev (1.13, CPU) or the LibTorch of a Python PyTorch (pass
# -DCMAKE_PREFIX_PATH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')).
find_package(Torch QUIET)
set(COLORIZE_HAVE_TORCH ${Torch_FOUND})
if(Torch_FOUND)
  # TorchConfig puts its flags in TORCH_CXX_FLAGS (the C++ ABI switch); an imported target carries them.
  if(NOT TARGET colorize::torch)
    add_library(colorize::torch INTERFACE IMPORTED)
    set_target_properties(colorize::torch PROPERTIES INTERFACE_LINK_LIBRARIES "${TORCH_LIBRARIES}")
    separate_arguments(_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
    set_property(TARGET colorize::torch PROPERTY INTERFACE_COMPILE_OPTIONS ${_torch_flags})
  endif()
endif()

# CUDA: AUTO turns it on only when LibTorch was built with CUDA and nvcc can be found.
set(COLORIZE_HAVE_CUDA OFF)
if(NOT COLORIZE_CUDA STREQUAL "OFF")
  include(CheckLanguage)
  check_language(CUDA)
  set(_torch_has_cuda OFF)
  if(Torch_FOUND AND (CUDA_FOUND OR TARGET torch_cuda OR TORCH_CUDA_LIBRARIES))
    set(_torch_has_cuda ON)
  endif()
  if(COLORIZE_CUDA STREQUAL "ON")
    if(NOT CMAKE_CUDA_COMPILER)
      message(FATAL_ERROR "COLORIZE_CUDA=ON but no CUDA compiler (nvcc) was found")
    endif()
    set(COLORIZE_HAVE_CUDA ON)
  elseif(CMAKE_CUDA_COMPILER AND _torch_has_cuda)
    set(COLORIZE_HAVE_CUDA ON)
  endif()
  if(COLORIZE_HAVE_CUDA)
    enable_language(CUDA)
  endif()
endif()
