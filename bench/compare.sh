#!/usr/bin/env bash
# colorize against the seed's Python pipeline (bench/peer/colorize_peer.py), side by side: the same clip,
# the same model, the same render size, runs interleaved (A B A B ...). Reports per configuration the
# median end-to-end frames/s of each (process start to exit, startup included), the steady-state
# frames/s (startup taken out: (N - 1) / (time for N frames - time for 1 frame)), the ratios, peak
# memory (max RSS) and the agreement of the two outputs (PSNR over all frames, 8-bit RGB). Both write
# lossless FFV1, so the PSNR measures the computation, not a codec.
#
# Usage: bench/compare.sh [--runs 3] [--frames 30] [--heights "360 720 1080"] [--ngf "16 32 64"]
#                         [--device cpu|cuda] [--threads N] [--aspect 4:3] [--out out/compare]
#   The clip is samples/cockatoo-bw.mp4 (640x360, 20 fps), its first FRAMES frames scaled to each height
#   (--aspect crops the middle of it to that aspect ratio first: 4:3 shows the peer's padding waste).
#   ngf 16 uses models/default.safetensors; other widths a pix2pix-initialised generator written from
#   Python (bench/peer/make_model.py); speed does not depend on the weights.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3 frames=30 heights="360 720 1080" widths="16 32 64" device=cpu out=out/compare aspect=
threads=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --frames) frames=$2; shift 2 ;;
    --heights) heights=$2; shift 2 ;;
    --ngf) widths=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --aspect) aspect=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup-debian.sh --bench
[ -x build/ffmpeg-tool/colorize ] || bash scripts/build.sh
mkdir -p "$out"
colorize=build/ffmpeg-tool/colorize
python=/usr/bin/python3
peer=bench/peer/colorize_peer.py

# time_run LOG CMD...: runs CMD under GNU time; appends "seconds max_rss_kib" to LOG.
time_run() {
  local log=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.tmp" "$@" > "$out/run.log" 2>&1 ||
    { cat "$out/run.log" >&2; echo "compare.sh: failed: $*" >&2; exit 1; }
  cat "$out/time.tmp" >> "$log"
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

results=$out/results.md
{
  echo "Date: $(date -u +%Y-%m-%d), machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
       "device $device, $threads threads, $runs runs each, $frames frames per clip."
  echo
  echo "| input | ngf | colorize fps | peer fps | ratio | colorize steady fps | peer steady fps | steady ratio | colorize max RSS | peer max RSS | PSNR between outputs |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$results"

for ngf in $widths; do
  model=$out/ngf$ngf.safetensors
  if [ "$ngf" = 16 ]; then
    model=models/default.safetensors
  elif [ ! -f "$model" ]; then
    PYTHONPATH=bench/peer $python bench/peer/make_model.py --ngf "$ngf" -o "$model"
  fi
  for h in $heights; do
    clip=$out/clip-$h.mp4 one=$out/clip-$h-1.mp4
    if [ ! -f "$clip" ]; then
      crop=
      [ -n "$aspect" ] && crop="crop=min(iw\,ih*${aspect%:*}/${aspect#*:}):min(ih\,iw*${aspect#*:}/${aspect%:*}),"
      ffmpeg -v error -y -i samples/cockatoo-bw.mp4 -frames:v "$frames" -vf "${crop}scale=-2:$h:flags=lanczos,format=yuv420p" \
        -an -c:v libx264 -crf 16 "$clip"
      ffmpeg -v error -y -i "$clip" -frames:v 1 -c:v libx264 -crf 16 "$one"
    fi
    a=$out/colorize.mkv b=$out/peer.mkv
    # Temporal smoothing off: the peer colours every frame on its own, so both compute the same thing.
    run_a() { time_run "$1" $colorize -nostats -v error -y -i "$2" -o "$3" -c:v ffv1 -pix_fmt bgr0 --model "$model" \
                --render-size 256 --device "$device" --threads "$threads" --temporal-smoothing off; }
    run_b() { time_run "$1" $python $peer --model "$model" -i "$2" -o "$3" --render-size 256 --device "$device" \
                --threads "$threads"; }
    rm -f "$out"/ta.log "$out"/tb.log "$out"/ta1.log "$out"/tb1.log
    run_a "$out/ta1.log" "$one" "$out/one-a.mkv"   # startup and one frame
    run_b "$out/tb1.log" "$one" "$out/one-b.mkv"
    for _ in $(seq "$runs"); do
      run_a "$out/ta.log" "$clip" "$a"
      run_b "$out/tb.log" "$clip" "$b"
    done
    psnr=$($python bench/peer/psnr.py "$a" "$b" | cut -d' ' -f1)
    ta=$(cut -d' ' -f1 "$out/ta.log" | median) tb=$(cut -d' ' -f1 "$out/tb.log" | median)
    ma=$(cut -d' ' -f2 "$out/ta.log" | median) mb=$(cut -d' ' -f2 "$out/tb.log" | median)
    ta1=$(cut -d' ' -f1 "$out/ta1.log") tb1=$(cut -d' ' -f1 "$out/tb1.log")
    size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$clip")
    awk -v size="$size" -v ngf="$ngf" -v n="$frames" -v ta="$ta" -v tb="$tb" -v ta1="$ta1" -v tb1="$tb1" \
        -v ma="$ma" -v mb="$mb" -v psnr="$psnr" 'BEGIN {
      fa = n / ta; fb = n / tb
      sa = (ta > ta1) ? (n - 1) / (ta - ta1) : 0; sb = (tb > tb1) ? (n - 1) / (tb - tb1) : 0
      printf "| %s | %s | %.2f | %.2f | %.1fx | %.2f | %.2f | %.1fx | %.0f MiB | %.0f MiB | %s dB |\n",
        size, ngf, fa, fb, fa / fb, sa, sb, (sb > 0 ? sa / sb : 0), ma / 1024, mb / 1024, psnr
    }' | tee -a "$results"
  done
done
rm -f "$out/time.tmp" "$out/run.log"
echo "compare.sh: table in $results"
