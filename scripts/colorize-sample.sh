#!/usr/bin/env bash
# The main job of the README: installs the Debian packages, builds, and colorizes the bundled sample
# clip with the bundled default model. Until the CLI and the model exist it says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${COLORIZE_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup-debian.sh
bash scripts/build.sh

cli=build/ffmpeg-tool/colorize
model=models/default.safetensors
sample=samples/bw-clip.mp4
missing=()
[ -x "$cli" ] || missing+=("the colorize command ($cli: ffmpeg-tool/ is not written yet, issue 6)")
[ -f "$model" ] || missing+=("the default model ($model: not trained yet, issue 5)")
[ -f "$sample" ] || missing+=("the sample clip ($sample: not made yet, issue 5)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "colorize-sample: the build works, but the main job cannot run yet. Missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi
mkdir -p out
"$cli" -i "$sample" -o out/colorized-sample.mp4 --model "$model" -y
echo "colorize-sample: wrote out/colorized-sample.mp4"
