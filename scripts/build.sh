#!/usr/bin/env bash
# Configures and builds colorize (Release) into build/. Extra arguments go to CMake's configure step,
# e.g. scripts/build.sh -DCOLORIZE_BUILD_GST=OFF
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release "$@"
cmake --build build -j"$jobs"
