#!/usr/bin/env bash
# Temporal stability, measured: colorize-eval with --temporal-smoothing off, live and file on the sample clip
# and on clips made by panning and zooming over held-out colour photographs (their true colours never
# change, so every change of predicted colour over time is flicker), plus a clip with a hard cut between
# two of them. Prints a Markdown table (flicker ratio to the truth, colourfulness ratio, ab L1) and draws
# a before/after strip of consecutive frames.
# Usage (after scripts/fetch-training-data.sh data and a build):
#   scripts/temporal-report.sh [MODEL=models/default.safetensors] [OUT_DIR=out/temporal]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/default.safetensors} out=${2:-out/temporal}
eval_bin=build/training/colorize-eval cli=build/ffmpeg-tool/colorize
[ -d data/train ] || { echo "temporal-report: run scripts/fetch-training-data.sh data first" >&2; exit 1; }
mkdir -p "$out"

# Held-out photographs: the validation split's first three JPEG or PNG images (the same as before the
# WebP photographs of gcompris-qt-data joined the set).
"$eval_bin" --model "$model" --data data/train --split validation --temporal-smoothing off \
  --json "$out/validation.json" > /dev/null
mapfile -t photos < <(/usr/bin/python3 scripts/eval_json.py sources "$out/validation.json" |
  grep -Ei '\.(jpe?g|png)$' | head -n 3)
[ ${#photos[@]} -ge 2 ] || { echo "temporal-report: fewer than two held-out photographs" >&2; exit 1; }

# 120 frames at 25 fps, 640x360: a slow pan with a zoom from 1x to 1.5x (zoompan), from a 4x upscale so
# the virtual camera moves smoothly.
clips=(samples/cockatoo-colour.mp4)
i=0
for photo in "${photos[@]}"; do
  clip=$out/pan-$i.mp4
  ffmpeg -v error -y -i "$photo" -vf "scale=2560:1440:force_original_aspect_ratio=increase,crop=2560:1440,\
zoompan=z='1+0.5*on/119':x='(iw-iw/zoom)*on/119':y='(ih-ih/zoom)/2':d=120:s=640x360:fps=25,format=yuv420p" \
    -frames:v 120 -c:v libx264 -crf 12 "$clip"
  clips+=("$clip")
  i=$((i + 1))
done
# A hard cut: the first 60 frames of pan-0, then the first 60 of pan-1.
ffmpeg -v error -y -i "$out/pan-0.mp4" -i "$out/pan-1.mp4" \
  -filter_complex "[0]trim=end_frame=60,setpts=PTS-STARTPTS[a];[1]trim=end_frame=60,setpts=PTS-STARTPTS[b];[a][b]concat=n=2:v=1[v]" \
  -map "[v]" -c:v libx264 -crf 12 "$out/cut.mp4"
clips+=("$out/cut.mp4")

echo "| clip | smoothing | flicker ratio | warped flicker | truth's warped flicker | colourfulness ratio | ab L1 |" |
  tee "$out/table.md"
echo "| --- | --- | --- | --- | --- | --- | --- |" | tee -a "$out/table.md"
for clip in "${clips[@]}"; do
  for mode in off live file; do
    json=$out/$(basename "$clip" .mp4)-$mode.json
    "$eval_bin" --model "$model" --data "$clip" --temporal-smoothing $mode --json "$json" > /dev/null
    /usr/bin/python3 scripts/eval_json.py temporal-row "$json" "$(basename "$clip")" "$mode" | tee -a "$out/table.md"
  done
done

# Before/after strip: four consecutive frames of pan-0 (rows: truth, off, live, file), 160 px high.
ffmpeg -v error -y -i "$out/pan-0.mp4" -vf "format=gray" -c:v libx264 -crf 12 "$out/pan-0-gray.mp4"
for mode in off live file; do
  "$cli" -v error -y -i "$out/pan-0-gray.mp4" -o "$out/pan-0-$mode.mp4" --model "$model" --temporal-smoothing $mode
done
strip() {  # strip INPUT OUTPUT: frames 40-43 side by side
  ffmpeg -v error -y -i "$1" -vf "select='between(n,40,43)',scale=-2:160,tile=4x1" -frames:v 1 "$2"
}
strip "$out/pan-0.mp4" "$out/strip-truth.png"
strip "$out/pan-0-off.mp4" "$out/strip-off.png"
strip "$out/pan-0-live.mp4" "$out/strip-live.png"
strip "$out/pan-0-file.mp4" "$out/strip-file.png"
ffmpeg -v error -y -i "$out/strip-truth.png" -i "$out/strip-off.png" -i "$out/strip-live.png" \
  -i "$out/strip-file.png" -filter_complex "vstack=4" "$out/temporal-strip.png"
echo "temporal-report: table in $out/table.md, strip in $out/temporal-strip.png"
