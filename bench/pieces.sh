#!/usr/bin/env bash
# Long films in pieces: what `--segments N` costs beside a single run, and how far its film is from it.
# bench/pieces.sh [N] [EXTRA COLORIZE OPTIONS...] (N defaults to 4) makes a 2-minute 720p black-and-white
# clip with audio (python3-imageio's cockatoo.mp4, 1280x720, 20 fps, 14 s, real handheld footage, looped
# 9 times: 126 s, 2,520 frames; fetched with apt-get download, nothing installed), colours it once whole
# and once in N pieces (colouring, pre-roll, look-ahead and the join in one command), and prints for each
# the CPU time (user + sys, the measure of extra work on a shared machine) and the wall time, their
# ratios, whether frame count, timestamps and audio are the single run's, and scripts/ab-difference.py's
# colour difference between the two films (the encoder's own differences included: each piece starts
# with a keyframe). Needs build/ffmpeg-tool/colorize.
set -euo pipefail
cd "$(dirname "$0")/.."
pieces=${1:-4}
shift $(($# < 1 ? $# : 1))
colorize=build/ffmpeg-tool/colorize
[ -x "$colorize" ] || { echo "pieces: build the command first (scripts/build.sh)" >&2; exit 1; }
out=out/bench-pieces
mkdir -p "$out"
clip=$out/clip-720p.mkv
if [ ! -f "$clip" ]; then
  work=$(mktemp -d)
  chmod 755 "$work"  # apt-get download hands the file to its _apt user
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -q python3-imageio >/dev/null)
  dpkg-deb -x "$work"/python3-imageio_*.deb "$work/root"
  ffmpeg -v error -y -stream_loop 8 -i "$work/root/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4" \
    -vf format=gray,format=yuv420p -c:v libx264 -preset veryfast -crf 20 -c:a aac "$clip.tmp.mkv"
  mv "$clip.tmp.mkv" "$clip"
fi
frames=$(ffprobe -v error -select_streams v -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip")
echo "clip: $clip, $frames frames, $(nproc) cores; colorize options: ${*:-(defaults)}"

TIMEFORMAT='%U %S %R'
measure() {  # measure NAME ARGS...: prints "NAME cpu wall"
  local name=$1
  shift
  local t
  t=$({ time "$colorize" -v error -nostats -y -i "$clip" "$@" >/dev/null 2>&1; } 2>&1)
  read -r user sys real <<<"$t"
  echo "$name $(awk "BEGIN{print $user + $sys}") $real"
}
single=$(measure single -o "$out/single.mkv" "$@")
split=$(measure pieces -o "$out/pieces.mkv" --segments "$pieces" "$@")
read -r _ single_cpu single_wall <<<"$single"
read -r _ split_cpu split_wall <<<"$split"
printf '%-22s %10s %10s\n' run "CPU s" "wall s"
printf '%-22s %10.1f %10.1f\n' "single run" "$single_cpu" "$single_wall" "--segments $pieces" "$split_cpu" "$split_wall"
printf '%-22s %10.3f %10.3f\n' "ratio" "$(awk "BEGIN{print $split_cpu / $single_cpu}")" \
  "$(awk "BEGIN{print $split_wall / $single_wall}")"

# Presentation and decoding times, each sorted: Matroska keeps no decoding times, and its reader's
# guesses pair them with frames by the keyframes' places, which the pieces move.
packets() { for t in pts dts; do ffprobe -v error -select_streams "$2" -show_entries packet=$t -of csv=p=0 "$1" | sort -n; done; }
same() { if cmp -s <(packets "$out/single.mkv" "$1") <(packets "$out/pieces.mkv" "$1"); then echo same; else echo DIFFERENT; fi; }
echo "video timestamps: $(same v); audio timestamps: $(same a)"
audio_md5() { ffmpeg -v error -i "$1" -map 0:a -c copy -f md5 -; }
[ "$(audio_md5 "$out/single.mkv")" = "$(audio_md5 "$out/pieces.mkv")" ] && echo "audio: bit-exact" || echo "audio: DIFFERENT"
scripts/ab-difference.py "$out/single.mkv" "$out/pieces.mkv"
