#!/usr/bin/env bash
# `cmake --install` into a staging root (DESTDIR): the CLI, the trainer tools, the default model and the
# GStreamer plugin land where they belong, the installed element loads, and the installed CLI finds the
# installed default model beside itself.
# Usage: install_test.sh BUILD_DIR PREFIX GST_PLUGIN_INSTALL_DIR SAMPLE_IMAGE
set -euo pipefail
build=$1 prefix=$2 plugin_dir=$3 sample=$4
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

fail() { echo "install_test: $*" >&2; exit 1; }

DESTDIR=$stage cmake --install "$build" > "$stage/install.log"
for f in "$prefix/bin/colorize" "$prefix/bin/colorize-train" "$prefix/bin/colorize-eval" \
         "$prefix/share/colorize/models/default.safetensors" "$plugin_dir/libgstcolorize.so"; do
  [ -e "$stage$f" ] || fail "missing after install: $f"
done
cmp -s "$stage$prefix/share/colorize/models/default.safetensors" \
       "$(dirname "$0")/../../models/default.safetensors" || fail "installed default model differs from models/"

# The installed plugin, through a registry of its own, colorizes with the installed model.
export GST_REGISTRY="$stage/registry.bin" GST_PLUGIN_PATH="$stage$plugin_dir"
inspect=$(gst-inspect-1.0 colorize)
grep -q "Filename.*$stage$plugin_dir/libgstcolorize.so" <<< "$inspect" || fail "gst-inspect did not load the installed plugin"
gst-launch-1.0 -q videotestsrc num-buffers=2 ! video/x-raw,width=64,height=48 ! \
  colorize device=cpu model="$stage$prefix/share/colorize/models/default.safetensors" ! fakesink ||
  fail "a pipeline with the installed element failed"

# The installed CLI resolves its default model beside the binary (PREFIX/share/colorize/models).
out=$("$stage$prefix/bin/colorize" -v verbose -nostats -i "$sample" -o "$stage/out.png" 2>&1) || fail "colorize: $out"
grep -q "model '$stage$prefix/share/colorize/models/default.safetensors'" <<< "$out" ||
  fail "the installed colorize did not pick the installed model: $out"
[ -s "$stage/out.png" ] || fail "no output image"
echo "install_test: ok"
