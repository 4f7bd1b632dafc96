#!/usr/bin/env bash
# Data-parallel training on this machine: one process against N ranks (scripts/train-ranks.sh), the same
# step batch (one process of batch N x B against N ranks of B), the same threads in all, side by side.
# bench/train-ranks.sh [N] [STEPS] (defaults 2 and 60) on data/train (scripts/fetch-training-data.sh),
# ngf 16 / ndf 16 as the default model, 256x256 crops; prints each run's images per second over its last
# 20 steps (the status line's) and its wall time from start to end (loading the frames included).
set -euo pipefail
cd "$(dirname "$0")/.."
ranks=${1:-2}
steps=${2:-60}
train=build/training/colorize-train
[ -x "$train" ] || { echo "train-ranks bench: build the trainer first (scripts/build.sh)" >&2; exit 1; }
[ -d data/train ] || { echo "train-ranks bench: no data/train (scripts/fetch-training-data.sh data)" >&2; exit 1; }
cores=$(nproc)
common=(--data data/train --ngf 16 --ndf 16 --size 256 --steps "$steps" --log-every 20 --val-every 100000
  --checkpoint-every 100000 --seed 1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {  # run NAME COMMAND...: prints "NAME images/s wall-s"
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  "$@" > "$out/$name.log" 2>&1 || { cat "$out/$name.log" >&2; exit 1; }
  end=$(date +%s.%N)
  printf '%-34s %8s %8.1f\n' "$name" "$(grep -o '[0-9.]* img/s' "$out/$name.log" | tail -1 | cut -d' ' -f1)" \
    "$(awk "BEGIN{print $end - $start}")"
}
echo "$cores cores; $((2 * ranks)) frames a step; $steps steps"
printf '%-34s %8s %8s\n' run "img/s" "wall s"
run "1 process, batch $((2 * ranks)), $cores threads" "$train" "${common[@]}" --out "$out/one" --batch $((2 * ranks)) \
  --threads "$cores"
run "$ranks ranks, batch 2 each, $((cores / ranks)) thread(s)" scripts/train-ranks.sh "$ranks" "${common[@]}" \
  --out "$out/ranks" --batch 2 --threads $((cores / ranks > 0 ? cores / ranks : 1))
