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

if command -v ninja >/dev/null; then
  size=$(stat -c %s "$work/build.ninja")
  echo "ninja $(ninja --version) loading an equivalent build.ninja ($stages edges, $((size / 1000)) KB):"
  (cd "$work" && /usr/bin/time -o "$work/time" -f "  %e s wall, %M KB max RSS" ninja -t targets all >/dev/null)
  cat "$work/time"
fi
