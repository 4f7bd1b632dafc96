#!/usr/bin/env bash
# Packs the training set for the GPU machine, which has neither FFmpeg nor this machine's ../shared:
# every source of the data list, split exactly as colorize-train splits it (colorize-train
# --list-split), as JPEG files with a short side of at most SIZE pixels and ffmpeg's quality QUALITY
# (-q:v, 2 best to 31; videos sampled at 0.2 frames/s, as the default model's recipe samples them),
# listed in PACK/index.tsv ("train|validation CATEGORY FILE"). bench/gpu/train.sh decodes them there
# (bench/gpu/unpack_frames.py) and trains. The pack travels with the working tree, and the device
# tool's limit is 64 MiB in all: the defaults keep the default set under 40 MB (docs/training.md).
#
#   scripts/device-training-pack.sh [DATA_LIST=data/sources.list] [PACK=build-device/train-pack] [SIZE=224] [QUALITY=4]
set -euo pipefail
cd "$(dirname "$0")/.."
list=${1:-data/sources.list} pack=${2:-build-device/train-pack} size=${3:-224} quality=${4:-4}
train=${COLORIZE_TRAIN:-build/training/colorize-train}  # the environment may name another build
[ -f "$list" ] || { echo "device-training-pack: no $list: run scripts/fetch-training-data.sh data first" >&2; exit 1; }
[ -x "$train" ] || { echo "device-training-pack: build colorize-train first (scripts/build.sh)" >&2; exit 1; }
rm -rf "$pack" && mkdir -p "$pack"
"$train" --data-list "$list" --list-split > "$pack/split.tsv"
# short side at most $size, never enlarged
scale="scale='if(lt(iw,ih),min($size,iw),-2)':'if(lt(iw,ih),-2,min($size,ih))'"
n=0
: > "$pack/index.tsv"
while IFS=$'\t' read -r side category path; do
  n=$((n + 1))
  name=$(printf '%05d' "$n")
  case "${path,,}" in
    *.mp4 | *.mkv | *.avi | *.mov | *.webm | *.mpg | *.mpeg | *.m4v | *.ts | *.wmv)
      ffmpeg -nostdin -v error -y -i "$path" -vf "fps=0.2,$scale" -q:v "$quality" "$pack/$name-%03d.jpg" ;;
    *)
      ffmpeg -nostdin -v error -y -i "$path" -vf "$scale" -frames:v 1 -q:v "$quality" "$pack/$name.jpg" ;;
  esac || { echo "device-training-pack: skipped $path (ffmpeg could not read it)" >&2; continue; }
  for f in "$pack/$name".jpg "$pack/$name"-*.jpg; do
    [ -f "$f" ] && printf '%s\t%s\t%s\n' "$side" "$category" "$(basename "$f")" >> "$pack/index.tsv"
  done
done < "$pack/split.tsv"
rm "$pack/split.tsv"
echo "device-training-pack: $(wc -l < "$pack/index.tsv") frames in $pack ($(du -sh "$pack" | cut -f1))"
