#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz/ (the model-file loader, the frame adapters, the media input) under
# AddressSanitizer and UndefinedBehaviorSanitizer, built with clang in build-fuzz/ (the fuzz preset),
# each from its seed corpus and past regressions. By default (CI) each makes a fixed number of runs from
# a fixed seed, about a minute each on the 2-core machine: the same inputs every time, so that CI fails
# on a regression, not on the luck of the draw. FUZZ_SECONDS=N fuzzes each for N seconds from a random
# seed instead, to look for new bugs (FUZZ_SECONDS=600 for a longer hunt). A crash stops the run
# and leaves the input as build-fuzz/crash-*: fix it, and add the input to tests/fuzz/regressions/NAME/,
# which CTest replays in every build. New interesting inputs collect in build-fuzz/corpus-NAME/, out of
# the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-}
declare -A runs=([model_file]=150000 [frame_adapters]=60000 [media_input]=120000)
jobs=$(nproc 2>/dev/null || echo 2)
targets=(model_file frame_adapters media_input)
cmake --preset fuzz > /dev/null
cmake --build build-fuzz -j"$jobs" --target "${targets[@]/#/fuzz_}"
for name in "${targets[@]}"; do
  corpora=("build-fuzz/corpus-$name" "tests/fuzz/corpus/$name")
  mkdir -p "${corpora[0]}"
  [ -d "tests/fuzz/regressions/$name" ] && corpora+=("tests/fuzz/regressions/$name")
  if [ -n "$seconds" ]; then
    bound=(-max_total_time="$seconds")
    echo "fuzz: $name for $seconds s"
  else
    bound=(-seed=1 -runs="${runs[$name]}" -max_total_time=600)
    echo "fuzz: $name, ${runs[$name]} runs from seed 1"
  fi
  # -rss_limit_mb: LibTorch and FFmpeg's own arenas stay well under it; an input that makes colorize
  # allocate beyond it is a finding. -timeout: an input that takes 20 s is a hang.
  log="build-fuzz/fuzz-$name.log"
  status=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "build-fuzz/tests/fuzz/fuzz_$name" "${bound[@]}" -max_len=65536 -timeout=20 \
    -rss_limit_mb=4096 -artifact_prefix=build-fuzz/ -print_final_stats=1 "${corpora[@]}" > "$log" 2>&1 ||
    status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz: $name found a crash, hang, leak or undefined behaviour (input: build-fuzz/crash-*)" >&2
    exit 1
  fi
done
echo "fuzz: no crash, hang, leak or undefined behaviour found"
