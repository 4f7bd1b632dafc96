#!/usr/bin/env bash
# The device check of the GPU path, for the GPU machine (one H200; Ubuntu, nvcc, Python PyTorch with
# CUDA; no FFmpeg, GStreamer, Boost, GoogleTest or json there). Builds the core (colour kernels, model,
# engine) against the Python PyTorch's LibTorch, runs the GPU tests and the engine tests, then measures:
# kernel throughput against the card's copy bandwidth, engine frames/s at 1080p and 4K (batch 1 and 8,
# fp32 and bf16, the network alone beside it), training images/s (fp32 and bf16 autocast), and the same
# network in eager PyTorch from Python.
# Everything lands in $OUT (the device tool's folder that comes back), else out/gpu.
#
# On the CPU machine first: bench/gpu/fetch-deps.sh (GoogleTest and json into build-device/deps), then,
# through the device tool, with build-device/deps carried:  bash bench/gpu/run.sh
# Budget: about 1-2 min to build with 16 cores, under a minute of tests, about 2 min of benchmarks.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-out/gpu}
mkdir -p "$out"
jobs=$(nproc 2>/dev/null || echo 8)
: > "$out/summary.txt"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/summary.txt"; }

[ -d build-device/deps/usr ] || { echo "run.sh: build-device/deps is missing: run bench/gpu/fetch-deps.sh and carry it" >&2; exit 2; }
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') || { echo "run.sh: no PyTorch" >&2; exit 2; }
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv > "$out/gpu.txt" 2>&1
log "GPU: $(tail -1 "$out/gpu.txt"); PyTorch $(python3 -c 'import torch; print(torch.__version__)')"

log "configure and build"
cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$torch_prefix;$PWD/build-device/deps/usr" \
  -DCOLORIZE_BUILD_CLI=OFF -DCOLORIZE_BUILD_GST=OFF -DCOLORIZE_BUILD_TRAINING=OFF -DCOLORIZE_BUILD_BENCH=OFF \
  -DCOLORIZE_WITH_OPENCV=OFF -DCOLORIZE_CUDA=ON > "$out/build.log" 2>&1 &&
  cmake --build build-gpu -j"$jobs" --target gpu_kernel_tests kernel_pixel_tests engine_tests model_tests \
    trainer_tests bench_gpu \
    >> "$out/build.log" 2>&1
status=$?
log "build exit $status"
if [ $status -ne 0 ]; then tail -40 "$out/build.log"; exit 1; fi

log "tests"
for t in gpu_kernel_tests kernel_pixel_tests engine_tests model_tests trainer_tests; do
  build-gpu/tests/$t --gtest_brief=1 > "$out/test-$t.log" 2>&1
  log "$t exit $? $(grep -E '^\[  (PASSED|FAILED|SKIPPED) ' "$out/test-$t.log" | tr '\n' ' ')"
done

log "bench_gpu"
build-gpu/bench/gpu/bench_gpu --ngf 64 --seconds 2 > "$out/bench_gpu.txt" 2>&1
log "bench_gpu exit $?"
log "eager PyTorch"
python3 bench/gpu/eager_unet.py --ngf 64 > "$out/eager.txt" 2>&1
log "eager exit $?"
cat "$out/bench_gpu.txt" "$out/eager.txt"
