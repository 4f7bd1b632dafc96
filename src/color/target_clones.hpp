// COLORIZE_CLONES before a function definition compiles it for AVX-512 (x86-64-v4), AVX2 (x86-64-v3),
// SSE4.2 (x86-64-v2) and baseline x86-64, and picks the variant at load time from the CPU: the per-pixel
// row loops vectorise (their curves are computed with color/power.hpp, not read from tables) while the
// binary still runs on any x86-64. The variants compute the same bits: no FP contraction (-ffp-contract=off
// on this library) and no reassociation. Sanitizer builds compile the default variant only.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define COLORIZE_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "arch=x86-64-v2", "default")))
#else
#define COLORIZE_CLONES
#endif
