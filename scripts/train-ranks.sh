#!/usr/bin/env bash
# colorize-train as N data-parallel ranks on this machine, as `torchrun --nproc-per-node N` starts a
# PyTorch script: each rank gets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR=127.0.0.1 and one free
# MASTER_PORT; rank 0 prints as usual, the others' lines are prefixed "[rank K]". When a rank fails the
# others are stopped; Ctrl-C stops all of them (each saves its checkpoint first: rank 0 writes it).
#   scripts/train-ranks.sh N [colorize-train options...]
# Each rank trains on --batch frames of every step (N x --batch in all) with --threads CPU threads (give
# cores / N). The trainer is $COLORIZE_TRAIN, else build/training/colorize-train.
set -euo pipefail
[ $# -ge 1 ] && [[ $1 =~ ^[1-9][0-9]*$ ]] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ranks=$1
shift
train=${COLORIZE_TRAIN:-$(cd "$(dirname "$0")/.." && pwd)/build/training/colorize-train}
[ -x "$train" ] || { echo "train-ranks: no trainer at $train (scripts/build.sh, or set COLORIZE_TRAIN)" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pids=()
stop_all() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; }
trap 'stop_all' INT TERM
for ((k = 0; k < ranks; k++)); do
  if [ "$k" -eq 0 ]; then
    RANK=$k WORLD_SIZE=$ranks LOCAL_RANK=$k MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$train" "$@" &
  else
    RANK=$k WORLD_SIZE=$ranks LOCAL_RANK=$k MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$train" "$@" \
      2> >(sed -u "s/^/[rank $k] /" >&2) > >(sed -u "s/^/[rank $k] /") &
  fi
  pids+=($!)
done
# The first rank to fail decides: the others are stopped (they would wait for it until their timeout).
status=0
remaining=("${pids[@]}")
while [ ${#remaining[@]} -gt 0 ]; do
  code=0 finished=
  wait -n -p finished "${remaining[@]}" || code=$?
  [ -n "$finished" ] || break
  kept=()
  for pid in "${remaining[@]}"; do [ "$pid" = "$finished" ] || kept+=("$pid"); done
  remaining=("${kept[@]}")
  if [ "$code" -ne 0 ] && [ "$status" -eq 0 ]; then
    status=$code
    stop_all
  fi
done
exit "$status"
