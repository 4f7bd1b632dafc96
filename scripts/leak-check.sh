#!/usr/bin/env bash
# The GStreamer element's tests under AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer
# (the debug-asan preset, build-asan/): state cycles, renegotiation, property changes and errors must
# neither touch freed memory nor leak. LeakSanitizer reports at exit and fails the run on any leak.
# The gst-launch-1.0 file-to-file test is left out: a non-ASan gst-launch-1.0 cannot load an ASan plugin
# (the release test run covers it).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# CUDA off: the element under test runs on the CPU here, and the CUDA runtime is not built for ASan.
cmake --preset debug-asan -DCOLORIZE_BUILD_CLI=OFF -DCOLORIZE_BUILD_TRAINING=OFF -DCOLORIZE_CUDA=OFF > /dev/null
cmake --build build-asan -j"$jobs" --target gst_tests
G_SLICE=always-malloc G_DEBUG=gc-friendly ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 UBSAN_OPTIONS=print_stacktrace=1 \
  build-asan/tests/gst_tests --gtest_filter=-Element.FileToFilePipelineKeepsEveryFrame
echo "leak-check: no memory error, no undefined behaviour, no leak"
