#!/usr/bin/env bash
# Measures a model against a baseline model (the model it replaces) and the gray baseline on the
# held-out validation sources of every category of the data list (the Debian photographs, and the
# shared faces, scenes and objects) and on the sample clip, with colorize-eval's defaults (file-mode
# temporal smoothing, as the colorize command), and draws the pictures of docs/quality.md: a contact
# sheet per category (gray input | baseline | model | truth), samples/camera.png and the 1927 Solvay
# Conference photograph (visp-images-data) whole and as 100% crops, and a flat gray frame's colours
# (scripts/flat_field.py: the lattice of specks a decoder can paint).
# Usage (after scripts/fetch-training-data.sh data and a build):
#   scripts/quality-report.sh MODEL BASELINE_MODEL [OUT_DIR=out/quality]
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "quality-report: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: scripts/quality-report.sh MODEL BASELINE_MODEL [OUT_DIR]"
candidate=$1 baseline=$2 out=${3:-out/quality}
list=data/sources.list
[ -f "$list" ] || die "no $list: run scripts/fetch-training-data.sh data first"
eval_bin=build/training/colorize-eval
cli=build/ffmpeg-tool/colorize
python=/usr/bin/python3
mkdir -p "$out"
for name in candidate baseline; do
  model=$candidate
  [ $name = baseline ] && model=$baseline
  "$eval_bin" --model "$model" --data-list "$list" --split validation --json "$out/$name-validation.json" \
    > "$out/$name-validation.txt"
  "$eval_bin" --model "$model" --data samples/cockatoo-colour.mp4 --json "$out/$name-sample.json" \
    > "$out/$name-sample.txt"
done

# Per category, each held-out source weighing alike: ab L1 (and its ratio to gray's), the share of
# sources nearer the truth than gray, colourfulness and central chroma as ratios to the truth's, and
# the mean a*b* (a cast shows as a mean away from the truth's).
{
  echo "| category | held-out sources | gray ab L1 | baseline ab L1 (/ gray) | model ab L1 (/ gray) | baseline better than gray | model better than gray | baseline colour ratio | model colour ratio | baseline central chroma ratio | model central chroma ratio | truth mean a\*b\* | baseline mean a\*b\* | model mean a\*b\* |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  $python scripts/eval_json.py categories "$out/baseline-validation.json" "$out/candidate-validation.json"
} > "$out/categories.md"
{
  echo "| held-out source | frames | gray ab L1 | baseline ab L1 | model ab L1 | baseline PSNR | model PSNR |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  $python scripts/eval_json.py per-source "$out/baseline-validation.json" "$out/candidate-validation.json"
} > "$out/per-source.md"

# row NAME IMAGE: gray input | baseline | model | truth, 160 px high.
row() {
  local name=$1 image=$2
  ffmpeg -v error -y -i "$image" -vf "scale=-2:160,format=gray" "$out/$name-gray.png"
  ffmpeg -v error -y -i "$image" -vf "scale=-2:160,format=rgb24" "$out/$name-truth.png"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-baseline.png" --model "$baseline"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-candidate.png" --model "$candidate"
  ffmpeg -v error -y -i "$out/$name-gray.png" -i "$out/$name-baseline.png" -i "$out/$name-candidate.png" -i "$out/$name-truth.png" \
    -filter_complex "[0]format=rgb24[g];[g][1][2][3]hstack=4,pad=iw:ih+4:0:0:white" "$out/$name-row.png"
}
# sheet NAME ROW...: rows padded to the widest (each is as wide as its picture's aspect) and stacked.
sheet() {
  local name=$1 width=0 w k inputs=() filters="" labels=""
  shift
  for r; do
    w=$(ffprobe -v error -show_entries stream=width -of default=nw=1:nk=1 "$r")
    [ "$w" -gt "$width" ] && width=$w
  done
  k=0
  for r; do
    inputs+=(-i "$r")
    filters+="[$k]pad=$width:ih:0:0:white[r$k];"
    labels+="[r$k]"
    k=$((k + 1))
  done
  ffmpeg -v error -y "${inputs[@]}" -filter_complex "${filters}${labels}vstack=$#" "$out/$name.png"
}
ffmpeg -v error -y -ss 2 -i samples/cockatoo-colour.mp4 -frames:v 1 "$out/clip-2s.png"
ffmpeg -v error -y -ss 6.5 -i samples/cockatoo-colour.mp4 -frames:v 1 "$out/clip-6s.png"
row clip-2s "$out/clip-2s.png"
row clip-6s "$out/clip-6s.png"
sheet sheet-clip "$out/clip-2s-row.png" "$out/clip-6s-row.png"
# Each category: its first four held-out still images (in colorize-eval's order, sorted by path). The
# lists are read whole first: ffmpeg and colorize would otherwise read a loop's standard input.
mapfile -t categories < <(sed -n 's/^\([^#[:space:]][^[:space:]]*\)[[:space:]].*/\1/p' "$list")
for category in "${categories[@]}"; do
  mapfile -t photos < <($python scripts/eval_json.py category-sources "$out/candidate-validation.json" "$category")
  rows=()
  for i in 1 2 3 4; do
    [ $i -le ${#photos[@]} ] || break
    row "$category-$i" "${photos[$((i - 1))]}"
    rows+=("$out/$category-$i-row.png")
  done
  [ ${#rows[@]} -eq 0 ] || sheet "sheet-$category" "${rows[@]}"
done

# 100% crops of held-out faces (their central 160x160 pixels at full size, shown twice as large): where
# the earlier models' specks showed. gray | baseline | model | truth.
mapfile -t faces < <($python scripts/eval_json.py category-sources "$out/candidate-validation.json" faces)
crops=()
for i in 0 1 2; do
  [ $i -lt ${#faces[@]} ] || break
  face=${faces[$i]} name="face-crop-$i"
  ffmpeg -v error -y -i "$face" -vf format=gray "$out/$name-gray.png"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-baseline.png" --model "$baseline"
  "$cli" -v error -y -i "$out/$name-gray.png" -o "$out/$name-candidate.png" --model "$candidate"
  ffmpeg -v error -y -i "$out/$name-gray.png" -i "$out/$name-baseline.png" -i "$out/$name-candidate.png" -i "$face" \
    -filter_complex "[0]format=rgb24,crop=160:160[g];[1]crop=160:160[b];[2]crop=160:160[c];[3]format=rgb24,crop=160:160[t];[g][b][c][t]hstack=4,scale=iw*2:ih*2:flags=neighbor,pad=iw:ih+4:0:0:white" \
    "$out/$name-row.png"
  crops+=("$out/$name-row.png")
done
[ ${#crops[@]} -eq 0 ] || sheet face-crops "${crops[@]}"

# Black-and-white photographs without a truth: gray | baseline | model.
ffmpeg -v error -y -i samples/camera.png -vf scale=-2:256 "$out/camera-gray.png"
"$cli" -v error -y -i "$out/camera-gray.png" -o "$out/camera-baseline.png" --model "$baseline"
"$cli" -v error -y -i "$out/camera-gray.png" -o "$out/camera-candidate.png" --model "$candidate"
ffmpeg -v error -y -i "$out/camera-gray.png" -i "$out/camera-baseline.png" -i "$out/camera-candidate.png" \
  -filter_complex "[0]format=rgb24[g];[g][1][2]hstack=3" "$out/camera-grid.png"
# The 1927 Solvay Conference photograph (visp-images-data, fetched once into data/.packages, ~75 MB):
# colorized at 1280x881, shown whole at half size and as a 100% crop of faces (where specks show).
solvay_member=usr/share/visp-images-data/ViSP-images/Solvay/Solvay_conference_1927_Version2_1280x881.png
solvay=data/.packages/visp-images-data/$solvay_member
if [ ! -f "$solvay" ]; then
  mkdir -p data/.packages/visp-images-data
  (cd data/.packages && apt-get download -q visp-images-data >/dev/null) || die "apt-get download visp-images-data failed"
  dpkg-deb --fsys-tarfile data/.packages/visp-images-data_*.deb | tar -x -C data/.packages/visp-images-data "./$solvay_member"
  rm -f data/.packages/visp-images-data_*.deb
fi
ffmpeg -v error -y -i "$solvay" -vf format=gray "$out/solvay-gray.png"
"$cli" -v error -y -i "$out/solvay-gray.png" -o "$out/solvay-baseline.png" --model "$baseline"
"$cli" -v error -y -i "$out/solvay-gray.png" -o "$out/solvay-candidate.png" --model "$candidate"
ffmpeg -v error -y -i "$out/solvay-gray.png" -i "$out/solvay-baseline.png" -i "$out/solvay-candidate.png" \
  -filter_complex "[0]format=rgb24,scale=iw/2:-2[g];[1]scale=iw/2:-2[b];[2]scale=iw/2:-2[c];[g][b][c]hstack=3" \
  "$out/solvay-grid.png"
# 100% crops: the front row's faces (x 400-720, y 430-590 of the 1280x881 picture).
ffmpeg -v error -y -i "$out/solvay-gray.png" -i "$out/solvay-baseline.png" -i "$out/solvay-candidate.png" \
  -filter_complex "[0]format=rgb24,crop=320:160:400:430[g];[1]crop=320:160:400:430[b];[2]crop=320:160:400:430[c];[g][b][c]hstack=3" \
  "$out/solvay-crop.png"
# A flat gray frame (512x384, the network at 256x341): what each model paints where there is nothing.
ffmpeg -v error -y -f lavfi -i color=c=0x808080:s=512x384 -frames:v 1 -pix_fmt gray "$out/flat-gray.png"
"$cli" -v error -y -i "$out/flat-gray.png" -o "$out/flat-baseline.png" --model "$baseline"
"$cli" -v error -y -i "$out/flat-gray.png" -o "$out/flat-candidate.png" --model "$candidate"
$python scripts/flat_field.py "$out/flat-field.png" 1.5 "$out/flat-baseline.png" "$out/flat-candidate.png" > "$out/flat-field.txt"
echo "quality-report: results in $out (categories.md, per-source.md, sheet-*.png, face-crops.png, camera-grid.png, solvay-grid.png, solvay-crop.png, flat-field.png and .txt, *-validation.txt, *-sample.txt)"
