#!/usr/bin/env bash
# The main job of the README: installs the Debian packages, builds, and colorizes the bundled sample
# clip (samples/cockatoo-bw.mp4) with the bundled default model into out/cockatoo-colorized.mp4.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${COLORIZE_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup-debian.sh
# Only the command it runs: the tests and the other programs are scripts/test.sh's business.
COLORIZE_BUILD_TARGETS=colorize bash scripts/build.sh

cli=build/ffmpeg-tool/colorize
model=models/default.safetensors
sample=samples/cockatoo-bw.mp4
for f in "$cli" "$model" "$sample"; do
  [ -f "$f" ] || { echo "colorize-sample: $f is missing" >&2; exit 1; }
done
mkdir -p out
"$cli" -y -i "$sample" -o out/cockatoo-colorized.mp4 --model "$model"
echo "colorize-sample: wrote out/cockatoo-colorized.mp4 (compare: --preview, or samples/cockatoo-colour.mp4)"
