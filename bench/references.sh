#!/usr/bin/env bash
# Reference colours: what the first reading costs. bench/references.sh [EXTRA COLORIZE OPTIONS...] loops
# the sample clip (samples/cockatoo-colour.mp4, 640x360, 20 fps, 8 s) four times into a 32-second
# black-and-white clip (640 frames), and colours it with file smoothing (the default) without a reference
# and with one (the clip's colour frame at 4 s), alternately, twice each; it prints each run's wall and CPU
# time and frames/s, and the ratio of the best frames/s with the reference to the best without.
# Needs build/ffmpeg-tool/colorize.
set -euo pipefail
cd "$(dirname "$0")/.."
colorize=build/ffmpeg-tool/colorize
[ -x "$colorize" ] || { echo "references: build the command first (scripts/build.sh)" >&2; exit 1; }
out=out/bench-references
mkdir -p "$out"
clip=$out/clip.mkv
reference=$out/reference-4s.png
ffmpeg -v error -y -stream_loop 3 -i samples/cockatoo-colour.mp4 -map 0:v -vf format=gray -c:v libx264 \
  -preset veryfast -crf 18 "$clip"
ffmpeg -v error -y -ss 4 -i samples/cockatoo-colour.mp4 -frames:v 1 "$reference"
frames=$(ffprobe -v error -select_streams v -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip")
echo "clip: $clip, $frames frames, $(nproc) cores; colorize options: ${*:-(defaults)}"

TIMEFORMAT='%U %S %R'
best_without=0 best_with=0
for round in 1 2; do
  for kind in without with; do
    args=()
    [ "$kind" = with ] && args=(--reference "4=$reference")
    t=$({ time "$colorize" -v error -nostats -y -i "$clip" "${args[@]}" "$@" -f null -o - >/dev/null 2>&1; } 2>&1)
    read -r user sys real <<<"$t"
    fps=$(awk "BEGIN{printf \"%.1f\", $frames / $real}")
    echo "round $round, $kind reference: wall $real s, cpu $(awk "BEGIN{print $user + $sys}") s, $fps frames/s"
    if [ "$kind" = with ]; then
      best_with=$(awk "BEGIN{print ($fps > $best_with) ? $fps : $best_with}")
    else
      best_without=$(awk "BEGIN{print ($fps > $best_without) ? $fps : $best_without}")
    fi
  done
done
echo "best frames/s: $best_without without, $best_with with the reference; ratio $(awk "BEGIN{printf \"%.2f\", $best_with / $best_without}")"
