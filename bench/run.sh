#!/usr/bin/env bash
# Parse benchmark: a generated pipeline of 10,000 stages (~5 MB) through chain's parser, and ninja
# loading a build.ninja with the same number of edges, side by side.
#   bench/run.sh [BUILD_DIR] [STAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
stages=${2:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/bench/chain_bench_generate" "$stages" "$work/pipeline.chain" "$work/build.ninja"
"$build/bench/chain_parse_bench" "$work/pipeline.chain" 5
echo "chain check (the whole process, reading the file included):"
/usr/bin/time -o "$work/time" -f "  %e s wall, %M KB max RSS" "$build/chain" check "$work/pipeline.chain" >/dev/null 2>&1
cat "$work/time"

# The fastest of N runs of a command, in milliseconds of wall time.
fastest_ms() {
  local runs=$1 best="" start end
  shift
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    elapsed=$(((end - start) / 1000))
    if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
  done
  printf '%d.%03d' $((best / 1000)) $((best % 1000))
}
peak_kb() {
  /usr/bin/time -o "$work/time" -f "%M" "$@" >/dev/null 2>&1
  cat "$work/time"
}

echo "chain plan --branch develop (whole process; best of the runs, and peak memory):"
typical=examples/application/pipeline.chain
printf '  %-46s %9s ms  %6s KB\n' "generated, $stages stages (5 runs)" \
  "$(fastest_ms 5 "$build/chain" plan "$work/pipeline.chain" --branch develop)" \
  "$(peak_kb "$build/chain" plan "$work/pipeline.chain" --branch develop)"
printf '  %-46s %9s ms  %6s KB\n' "$typical, $(wc -l <"$typical") lines (20 runs)" \
  "$(fastest_ms 20 "$build/chain" plan "$typical" --branch develop)" \
  "$(peak_kb "$build/chain" plan "$typical" --branch develop)"

if command -v ninja >/dev/null; then
  size=$(stat -c %s "$work/build.ninja")
  echo "ninja $(ninja --version) loading an equivalent build.ninja ($stages edges, $((size / 1000)) KB):"
  (cd "$work" && /usr/bin/time -o "$work/time" -f "  %e s wall, %M KB max RSS" ninja -t targets all >/dev/null)
  cat "$work/time"
fi
