#!/usr/bin/env bash
# Reference colours measured (docs/reference-colours.md): camera moves made with ffmpeg from held-out
# photographs of ../shared/photos (two pans, a zoom, and two shots back to back), coloured from their gray
# version by `colorize` with and without the true middle frame as a reference; mean |ab| against the
# truth (scripts/ab-difference.py), over the whole clip and per shot, and the frames/s of both runs; the
# same for the real handheld sample clip (samples/cockatoo-colour.mp4). Strips of single frames (gray |
# network only | with the reference | truth) go to OUT_DIR/*-strip-K.png.
#
# usage: scripts/reference-report.sh [MODEL] [OUT_DIR]   (default: the bundled model, out/references)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-default}
out=${2:-out/references}
photos=../shared/photos/scenes
bin=build/ffmpeg-tool/colorize
python=/usr/bin/python3
die() { echo "reference-report: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no $bin: build first (cmake --preset release && cmake --build build)"
[ -d "$photos" ] || die "no $photos: the photographs of ../shared/photos are needed (see ../shared/DATA.md)"
mkdir -p "$out"

# Held out from training (colorize-train's validation split of data/sources.list): scenes with colour.
pan_photo=$photos/denoise_sun_urban-CUrban100-img_047.jpg     # 638x384, Urban100 (research use)
zoom_photo=$photos/denoise_sun_urban-CSun_Hays80-vineyard_sun_buwfkswrpuoxtfnt.jpg  # 576x384, SUN
second_photo=$photos/denoise_sun_urban-CSun_Hays80-inn_outdoor_sun_bqdcyxucavdyycwk.jpg  # 512x384, SUN
w=320 h=240 fps=25

# A clip of N frames from a still: "pan" crops a window moving left to right by a third of its width,
# "fast-pan" by the photograph's whole width (the end frames share only half their picture with the
# middle one), "zoom" closes in by 1.5x.
make_clip() {  # kind photo frames out
  local kind=$1 photo=$2 n=$3 dst=$4 vf
  case $kind in
    pan) vf="crop=$w:$h:x='(iw-$w)/2+(n/($n-1)-0.5)*$w/3':y=(ih-$h)/2" ;;
    fast-pan) vf="crop=$w:$h:x='(iw-$w)*n/($n-1)':y=(ih-$h)/2" ;;
    zoom) vf="scale=iw*4:-1,zoompan=z='1+0.5*on/($n-1)':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=$n:s=${w}x$h:fps=$fps" ;;
  esac
  ffmpeg -v error -y -loop 1 -framerate $fps -i "$photo" -vf "$vf,format=yuv444p" -frames:v "$n" \
    -c:v libx264 -crf 10 "$dst"
}

make_clip pan "$pan_photo" 100 "$out/pan-truth.mp4"
make_clip fast-pan "$pan_photo" 100 "$out/fast-pan-truth.mp4"
make_clip zoom "$zoom_photo" 100 "$out/zoom-truth.mp4"
make_clip pan "$pan_photo" 50 "$out/shot1.mp4"
make_clip pan "$second_photo" 50 "$out/shot2.mp4"
ffmpeg -v error -y -i "$out/shot1.mp4" -i "$out/shot2.mp4" -filter_complex concat=n=2:v=1 -c:v libx264 -crf 10 \
  "$out/two-shots-truth.mp4"

# Frame K of gray | network only | with the reference | truth, side by side.
strip() {  # name K
  local name=$1 k=$2 inputs=() chain="" i=0
  for v in "$out/$name-gray.mp4" "$out/$name-network.mkv" "$out/$name-reference.mkv" "$out/$name-truth.mp4"; do
    inputs+=(-i "$v")
    chain+="[$i:v]select=eq(n\\,$k),format=rgb24[v$i];"
    i=$((i + 1))
  done
  ffmpeg -v error -y "${inputs[@]}" -filter_complex "${chain}[v0][v1][v2][v3]hstack=4" -frames:v 1 \
    "$out/$name-strip-$k.png"
}

seconds() { date +%s.%N; }
report() {  # name reference_frame frames [first_shot_frames]
  local name=$1 ref=$2 n=$3 split=${4:-}
  local truth=$out/$name-truth.mp4 gray=$out/$name-gray.mp4 at
  ffmpeg -v error -y -i "$truth" -vf format=gray -c:v libx264 -crf 10 "$gray"
  ffmpeg -v error -y -i "$truth" -vf "select=eq(n\,$ref)" -frames:v 1 "$out/$name-reference.png"
  at=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of csv=p=0 "$truth")
  at=$($python -c "from fractions import Fraction; print(float($ref / Fraction('$at')))")
  local t0 t1 t2
  t0=$(seconds)
  "$bin" -y -nostats -v error --model "$model" -i "$gray" -c:v ffv1 -o "$out/$name-network.mkv"
  t1=$(seconds)
  "$bin" -y -nostats -v warning --model "$model" -i "$gray" --reference "$at=$out/$name-reference.png" \
    -c:v ffv1 -o "$out/$name-reference.mkv"
  t2=$(seconds)
  $python - "$truth" "$out/$name-network.mkv" "$out/$name-reference.mkv" "$n" "$split" "$t0" "$t1" "$t2" "$name" <<'PY'
import importlib.util, sys
import numpy as np
from skimage.color import rgb2lab
spec = importlib.util.spec_from_file_location("abd", "scripts/ab-difference.py")
abd = importlib.util.module_from_spec(spec); spec.loader.exec_module(abd)
truth, network, reference, n, split, t0, t1, t2, name = sys.argv[1:]
size = abd.size_of(truth)
errors = []
for t, a, b in zip(*(abd.frames(p, *size) for p in (truth, network, reference))):
    lt = rgb2lab(t)
    errors.append([float(np.mean(np.hypot(l[..., 1] - lt[..., 1], l[..., 2] - lt[..., 2])))
                   for l in (rgb2lab(a), rgb2lab(b))])
e = np.array(errors)
assert len(e) == int(n), f"{len(e)} frames, expected {n}"
parts = [("clip", slice(None))] if not split else [("shot 1", slice(0, int(split))), ("shot 2", slice(int(split), None))]
fps_network = int(n) / (float(t1) - float(t0))
fps_reference = int(n) / (float(t2) - float(t1))
for label, s in parts:
    net, ref = e[s, 0].mean(), e[s, 1].mean()
    print(f"| {name} | {label} | {net:.2f} | {ref:.2f} | {ref / net:.2f} | {fps_network:.1f} | {fps_reference:.1f} |")
PY
}

echo "| clip | part | ab L1, network only | ab L1, with the reference | ratio | frames/s, network only | frames/s, with the reference |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
report pan 50 100
report fast-pan 50 100
report zoom 50 100
report two-shots 25 100 50
ffmpeg -v error -y -i samples/cockatoo-colour.mp4 -map 0:v -c copy "$out/cockatoo-truth.mp4"
report cockatoo 80 160
strip pan 10
strip zoom 10
strip two-shots 75
strip cockatoo 120
