#!/usr/bin/env bash
# The test command of the README and of CI: installs the Debian packages, builds, runs every test, then
# the sanitizer leak check of the GStreamer element (scripts/leak-check.sh), a bounded run of each fuzz
# target (scripts/fuzz.sh: a fixed number of runs from a fixed seed, about a minute each) and a long film
# coloured in pieces on a one-node Slurm started for it (tests/slurm/run.sh; skipped, saying so, where
# Slurm cannot start, as without root).
# COLORIZE_SKIP_SETUP=1 skips the package step on a machine already set up.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${COLORIZE_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup-debian.sh --slurm
bash scripts/build.sh
ctest --preset release -j"$(nproc 2>/dev/null || echo 2)"
bash scripts/leak-check.sh
bash scripts/fuzz.sh
bash tests/slurm/run.sh
