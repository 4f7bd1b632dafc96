#!/usr/bin/env bash
# Configures and builds colorize (Release) into build/. Extra arguments go to CMake's configure step,
# e.g. scripts/build.sh -DCOLORIZE_BUILD_GST=OFF. COLORIZE_BUILD_TARGETS (space-separated) builds just
# those targets, e.g. COLORIZE_BUILD_TARGETS=colorize for the command alone; by default everything.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release "$@"
targets=()
for t in ${COLORIZE_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build build -j"$jobs" "${targets[@]}"
