#!/usr/bin/env bash
# Measures a model against a baseline model (the L1-only baseline, or the model it replaces) and the
# gray baseline on the held-out validation sources and on the sample clip, with colorize-eval's
# defaults (file-mode temporal smoothing, as the colorize command), and draws the before/after grids
# of docs/quality.md: gray input | baseline | model | truth.
# Usage (after scripts/fetch-training-data.sh data and a build):
#   scripts/quality-report.sh MODEL BASELINE_MODEL [OUT_DIR=out/quality]
set -euo pipefail
cd "$(dirname "$0")/.."
candidate=$1 baseline=$2 out=${3:-out/quality}
eval_bin=build/training/colorize-eval
cli=build/ffmpeg-tool/colorize
mkdir -p "$out"
for name in candidate baseline; do
  model=$candidate
  [ $name = baseline ] && model=$baseline
  "$eval_bin" --model "$model" --data data/train --split validation --json "$out/$name-validation.json" \
    > "$out/$name-validation.txt"
  "$eval_bin" --model "$model" --data samples/cockatoo-colour.mp4 --json "$out/$name-sample.json" \
    > "$out/$name-sample.txt"
done
# The held-out sources, as colorize-eval listed them.
mapfile -t sources < <(/usr/bin/python3 scripts/eval_json.py sources "$out/candidate-validation.json")

# The validation figures above weigh every frame alike, so a held-out video outweighs the photographs;
# per source as well (colorize-eval's per-source results): ab L1 and PSNR of each model and of the gray
# baseline.
{
  echo "| held-out source | frames | gray ab L1 | baseline ab L1 | model ab L1 | baseline PSNR | model PSNR |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  /usr/bin/python3 scripts/eval_json.py per-source "$out/baseline-validation.json" "$out/candidate-validation.json"
} > "$out/per-source.md"

# Rows of: gray input | baseline | model | truth, 160 px high.
rows=()
row() {  # row NAME IMAGE
  local name=$1 image=$2
  ffmpeg -v error -y -i "$image" -vf "scale=-2:160,format=gray" "$out/$name-gray.png"
  ffmpeg -v error -y -i "$image" -vf "scale=-2:160,format=rgb24" "$out/$name-truth.png"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-baseline.png" --model "$baseline"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-candidate.png" --model "$candidate"
  ffmpeg -v error -y -i "$out/$name-gray.png" -i "$out/$name-baseline.png" -i "$out/$name-candidate.png" -i "$out/$name-truth.png" \
    -filter_complex "[0]format=rgb24[g];[g][1][2][3]hstack=4,pad=iw:ih+4:0:0:white" "$out/$name-row.png"
  rows+=("$out/$name-row.png")
}
ffmpeg -v error -y -ss 2 -i samples/cockatoo-colour.mp4 -frames:v 1 "$out/clip-2s.png"
ffmpeg -v error -y -ss 6.5 -i samples/cockatoo-colour.mp4 -frames:v 1 "$out/clip-6s.png"
row clip-2s "$out/clip-2s.png"
row clip-6s "$out/clip-6s.png"
# Three held-out photographs (the first in the validation list that are still images).
i=0
for photo in $(printf '%s\n' "${sources[@]}" | grep -Ei '\.(jpe?g|png)$' | head -n 3); do
  i=$((i + 1))
  row "photo$i" "$photo"
done
# Each row is as wide as its picture's aspect; pad them to the widest before stacking.
inputs=() filters="" labels=""
width=0
for r in "${rows[@]}"; do
  w=$(ffprobe -v error -show_entries stream=width -of default=nw=1:nk=1 "$r")
  [ "$w" -gt "$width" ] && width=$w
done
for k in "${!rows[@]}"; do
  inputs+=(-i "${rows[$k]}")
  filters+="[$k]pad=$width:ih:0:0:white[r$k];"
  labels+="[r$k]"
done
ffmpeg -v error -y "${inputs[@]}" -filter_complex "${filters}${labels}vstack=${#rows[@]}" "$out/quality-grid.png"
# camera.png has no truth: gray | baseline | model.
ffmpeg -v error -y -i samples/camera.png -vf scale=-2:256 "$out/camera-gray.png"
"$cli" -v error -y -i "$out/camera-gray.png" -o "$out/camera-baseline.png" --model "$baseline"
"$cli" -v error -y -i "$out/camera-gray.png" -o "$out/camera-candidate.png" --model "$candidate"
ffmpeg -v error -y -i "$out/camera-gray.png" -i "$out/camera-baseline.png" -i "$out/camera-candidate.png" \
  -filter_complex "[0]format=rgb24[g];[g][1][2]hstack=3" "$out/camera-grid.png"
echo "quality-report: results in $out (quality-grid.png, camera-grid.png, per-source.md, *-validation.txt, *-sample.txt)"
