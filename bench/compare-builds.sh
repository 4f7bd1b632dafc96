#!/usr/bin/env bash
# Two builds of the colorize command side by side on the same clip: rounds alternate A and B so that
# machine noise falls on both; prints each one's wall times, median and fastest, and frames/s.
# Usage: bench/compare-builds.sh COLORIZE_A COLORIZE_B [CLIP] [ROUNDS] [extra colorize options...]
# (defaults: samples/cockatoo-bw.mp4, 5 rounds). Both write to a temporary folder, removed at the end.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,5p' "$0" >&2; exit 2; }
a=$1 b=$2 clip=${3:-samples/cockatoo-bw.mp4} rounds=${4:-5}
shift $(( $# < 4 ? $# : 4 ))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
frames=$(ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$clip")
run() {  # one timed run; prints seconds
  local start end
  start=$(date +%s.%N)
  "$1" -v error -nostats -y -i "$clip" -o "$tmp/out.mp4" "${@:2}"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}
"$a" -v error -nostats -y -i "$clip" -o "$tmp/out.mp4" "$@"  # warm-up: page cache, model file
times_a=() times_b=()
for ((i = 0; i < rounds; i++)); do
  times_a+=("$(run "$a" "$@")")
  times_b+=("$(run "$b" "$@")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
least() { printf '%s\n' "$@" | sort -n | head -1; }
ma=$(median "${times_a[@]}") mb=$(median "${times_b[@]}")
la=$(least "${times_a[@]}") lb=$(least "${times_b[@]}")
echo "clip $clip, $frames frames, $rounds rounds, options: ${*:-(none)}"
rate() { awk -v n="$frames" -v t="$1" 'BEGIN { printf "%.1f", n / t }'; }
echo "A $a: ${times_a[*]} s; median $ma s ($(rate "$ma") frames/s), fastest $la s ($(rate "$la") frames/s)"
echo "B $b: ${times_b[*]} s; median $mb s ($(rate "$mb") frames/s), fastest $lb s ($(rate "$lb") frames/s)"
# Noise (other work, a virtual machine's stolen time) only adds time: the fastest rounds are the
# steadier comparison on a busy machine, the medians on a quiet one.
echo "B/A frames/s: median $(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", a / b }'), fastest $(awk -v a="$la" -v b="$lb" 'BEGIN { printf "%.3f", a / b }')"
