#!/usr/bin/env bash
# Measures a model against the L1-only baseline and the gray baseline on the held-out validation
# sources and on the sample clip, and draws the before/after grid of docs/quality.md.
# Usage (after scripts/fetch-training-data.sh data and a build):
#   scripts/quality-report.sh CGAN_MODEL L1_MODEL [OUT_DIR=out/quality]
set -euo pipefail
cd "$(dirname "$0")/.."
cgan=$1 l1=$2 out=${3:-out/quality}
eval_bin=build/training/colorize-eval
cli=build/ffmpeg-tool/colorize
mkdir -p "$out"
for name in cgan l1; do
  model=$cgan
  [ $name = l1 ] && model=$l1
  "$eval_bin" --model "$model" --data data/train --split validation --json "$out/$name-validation.json" \
    > "$out/$name-validation.txt"
  "$eval_bin" --model "$model" --data samples/cockatoo-colour.mp4 --json "$out/$name-sample.json" \
    > "$out/$name-sample.txt"
done

# Rows of: gray input | L1-only | cGAN | truth, 160 px high.
rows=()
row() {  # row NAME IMAGE
  local name=$1 image=$2
  ffmpeg -v error -y -i "$image" -vf "scale=-2:160,format=gray" "$out/$name-gray.png"
  ffmpeg -v error -y -i "$image" -vf "scale=-2:160,format=rgb24" "$out/$name-truth.png"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-l1.png" --model "$l1"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-cgan.png" --model "$cgan"
  ffmpeg -v error -y -i "$out/$name-gray.png" -i "$out/$name-l1.png" -i "$out/$name-cgan.png" -i "$out/$name-truth.png" \
    -filter_complex "[0]format=rgb24[g];[g][1][2][3]hstack=4,pad=iw:ih+4:0:0:white" "$out/$name-row.png"
  rows+=("$out/$name-row.png")
}
ffmpeg -v error -y -ss 2 -i samples/cockatoo-colour.mp4 -frames:v 1 "$out/clip-2s.png"
ffmpeg -v error -y -ss 6.5 -i samples/cockatoo-colour.mp4 -frames:v 1 "$out/clip-6s.png"
row clip-2s "$out/clip-2s.png"
row clip-6s "$out/clip-6s.png"
# Three held-out photographs (the first in the validation list that are still images).
i=0
for photo in $(/usr/bin/python3 -c "import json,sys; print('\n'.join(json.load(open(sys.argv[1]))['sources']))" \
                 "$out/cgan-validation.json" | grep -Ei '\.(jpe?g|png)$' | head -n 3); do
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
# camera.png has no truth: gray | L1-only | cGAN.
ffmpeg -v error -y -i samples/camera.png -vf scale=-2:256 "$out/camera-gray.png"
"$cli" -v error -y -i "$out/camera-gray.png" -o "$out/camera-l1.png" --model "$l1"
"$cli" -v error -y -i "$out/camera-gray.png" -o "$out/camera-cgan.png" --model "$cgan"
ffmpeg -v error -y -i "$out/camera-gray.png" -i "$out/camera-l1.png" -i "$out/camera-cgan.png" \
  -filter_complex "[0]format=rgb24[g];[g][1][2]hstack=3" "$out/camera-grid.png"
echo "quality-report: results in $out (quality-grid.png, camera-grid.png, *-validation.txt, *-sample.txt)"
