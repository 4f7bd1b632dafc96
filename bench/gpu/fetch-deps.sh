#!/usr/bin/env bash
# Prepares, on a Debian machine, what the GPU machine lacks to build the core and its tests: GoogleTest
# and nlohmann/json, unpacked from Debian's packages (apt-get download + dpkg -x, nothing installed)
# into build-device/deps, which bench/gpu/run.sh puts on CMake's search path. Carry that folder with
# the device tool. Static GoogleTest libraries and header-only json: nothing to load at run time.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=build-device/deps
rm -rf "$dest" build-device/debs
mkdir -p "$dest" build-device/debs
(cd build-device/debs && apt-get download libgtest-dev nlohmann-json3-dev)
for deb in build-device/debs/*.deb; do dpkg -x "$deb" "$dest"; done
rm -rf build-device/debs
{
  echo "Unpacked $(date -u +%Y-%m-%d) from Debian packages (apt-get download, dpkg -x):"
  for p in libgtest-dev nlohmann-json3-dev; do
    echo "  $p $(apt-cache policy "$p" | sed -n 's/^ *Candidate: //p') ($(apt-cache show "$p" | sed -n 's/^Homepage: //p' | head -1))"
  done
} > "$dest/SOURCES.txt"
du -sh "$dest"
