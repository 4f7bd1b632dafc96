#!/usr/bin/env bash
# The default model's recipe trained on the GPU machine in one command: builds colorize-train-pack
# against the machine's Python PyTorch, decodes the carried training pack, trains for MINUTES (default 7)
# in bf16 autocast with the same networks and schedule as the CPU stages (models/README.md), and writes
# the generator (fp16), its stage file and metrics.csv into $OUT (the device tool's folder that comes
# back; else out/gpu-train).
#
# On the CPU machine first: bench/gpu/fetch-deps.sh (json for the model files) and
# scripts/device-training-pack.sh (the training set as JPEG files, split as colorize-train splits it);
# then, through the device tool, carrying build-device/deps and build-device/train-pack:
#     bash bench/gpu/train.sh                 (MINUTES=8 bash bench/gpu/train.sh for longer)
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-out/gpu-train}
minutes=${MINUTES:-7}
mkdir -p "$out"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/train-summary.txt"; }
[ -d build-device/deps/usr ] || { echo "train.sh: build-device/deps is missing: run bench/gpu/fetch-deps.sh and carry it" >&2; exit 2; }
[ -f build-device/train-pack/index.tsv ] || { echo "train.sh: build-device/train-pack is missing: run scripts/device-training-pack.sh and carry it" >&2; exit 2; }
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') || { echo "train.sh: no PyTorch" >&2; exit 2; }
jobs=$(nproc 2>/dev/null || echo 8)

log "configure and build colorize-train-pack"
cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$torch_prefix;$PWD/build-device/deps/usr" \
  -DCOLORIZE_BUILD_CLI=OFF -DCOLORIZE_BUILD_GST=OFF -DCOLORIZE_BUILD_TRAINING=OFF -DCOLORIZE_BUILD_BENCH=OFF \
  -DCOLORIZE_BUILD_TESTS=OFF -DCOLORIZE_WITH_OPENCV=OFF -DCOLORIZE_CUDA=ON > "$out/train-build.log" 2>&1 &&
  cmake --build build-gpu -j"$jobs" --target colorize-train-pack >> "$out/train-build.log" 2>&1
status=$?
log "build exit $status"
if [ $status -ne 0 ]; then tail -40 "$out/train-build.log"; exit 1; fi

log "decode the pack"
python3 bench/gpu/unpack_frames.py build-device/train-pack /tmp/colorize-frames.bin 2>&1 | tee -a "$out/train-summary.txt"

log "train for $minutes minutes"
run=/tmp/colorize-gpu-run
build-gpu/training/colorize-train-pack --frames /tmp/colorize-frames.bin --out "$run" --device cuda \
  --ngf 16 --ndf 16 --upsampling resize --batch 4 --size 256 --steps 60000 --warmup-steps 500 --decay-steps 20000 \
  --max-minutes "$minutes" --checkpoint-every 2000 --val-every 2000 --log-every 500 --seed 1 \
  --batch-threads "$((jobs > 2 ? jobs - 2 : 1))" --fp16 --export-stage stage.pt 2>&1 | tee "$out/train.log" | tail -5
log "train exit ${PIPESTATUS[0]}"
cp "$run/generator.safetensors" "$run/stage.pt" "$run/metrics.csv" "$out/" 2>/dev/null
ls -la "$out"
