#!/usr/bin/env bash
# Makes the files in samples/ from Debian packages (fetched with apt-get download, unpacked with
# dpkg-deb -x into a temporary folder, nothing installed). Needs the ffmpeg tool (scripts/setup-debian.sh).
#   cockatoo-colour.mp4  python3-imageio's cockatoo.mp4: its last 8 s (from 6 s in, the most colourful), 640x360, the colour original
#                        kept for evaluation, with the clip's own mp3 audio copied
#   cockatoo-bw.mp4      the same frames with their colour removed (ffmpeg's format=gray, which keeps
#                        video luma) and the same audio: the demo input of scripts/colorize-sample.sh
#   camera.png           python3-skimage's "camera" photograph, a real black-and-white picture
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
chmod 755 "$work"  # apt-get download hands the file to its _apt user
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q python3-imageio python3-skimage >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
src="$work/root/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4"
camera="$work/root/usr/lib/python3/dist-packages/skimage/data/camera.png"
# -ss after -i: decode from the start and cut exactly (the source has few keyframes; seeking in it
# before -i starts decoding mid-GOP and gives garbage).
ffmpeg -v error -y -i "$src" -ss 6 -t 8 -vf scale=640:360,format=yuv420p -c:v libx264 -crf 23 -preset slow \
  -c:a copy -map_metadata -1 samples/cockatoo-colour.mp4
ffmpeg -v error -y -i samples/cockatoo-colour.mp4 -vf format=gray,format=yuv420p -c:v libx264 -crf 23 -preset slow \
  -c:a copy samples/cockatoo-bw.mp4
cp "$camera" samples/camera.png
ls -l samples/
