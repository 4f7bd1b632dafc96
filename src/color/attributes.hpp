// Function attributes of the per-pixel colour arithmetic.
#pragma once

// The per-pixel helpers are forced inline: the row loops that call them only vectorise when they are.
#if defined(__GNUC__)
#define COLORIZE_INLINE inline __attribute__((always_inline))
#else
#define COLORIZE_INLINE inline
#endif
// The table-free helpers are also compiled for the GPU (color/frame_kernels.cu): one definition of the
// colour arithmetic for the CPU reference and the CUDA kernels.
#if defined(__CUDACC__)
#define COLORIZE_HD __host__ __device__
#else
#define COLORIZE_HD
#endif
