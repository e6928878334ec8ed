#!/usr/bin/env bash
# chain check and chain plan at scale, beside ninja loading the equivalent build.ninja in the same run:
# the generator's pipeline at 1,000, 10,000 and 100,000 stages (about 500 bytes and 8 steps a stage
# instance, two matrix instances a stage), with how time grows; a plain DAG of 100 layers of 100 stages,
# planned, then run (a full run and the no-op rerun); and the application example. Every figure is the whole process: user CPU seconds (the median of the
# runs) and peak memory; ratios divide by ninja's, measured in the same run, since this machine is noisy.
#   bench/run.sh [BUILD_DIR] [LARGEST]   (LARGEST: the last size, 100000 unless given)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
largest=${2:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command RUNS times; sets user (median user seconds) and peak (largest max RSS, MB).
measure() {
  local runs=$1
  shift
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$work/time" -f "%U %M" "$@" >/dev/null 2>&1 || {
      echo "bench: failed: $*" >&2
      exit 1
    }
    cat "$work/time"
  done >"$work/samples"
  user=$(sort -n "$work/samples" | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
  peak=$(awk '$2 > m { m = $2 } END { printf "%.0f", m / 1024 }' "$work/samples")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
runs_for() { if (($1 >= 100000)); then echo 1; elif (($1 >= 10000)); then echo 3; else echo 5; fi; }

"$build/bench/chain_bench_generate" 10000 "$work/parse.chain"
"$build/bench/chain_parse_bench" "$work/parse.chain" 5
echo

echo "whole process: user CPU seconds (median) and peak memory; ninja loads the equivalent build.ninja"
printf '%-30s %8s %7s   %8s %7s   %8s %6s   %s\n' "" "check" "" "plan" "" "ninja" "" "check/ninja plan/ninja"
sizes=(1000 10000)
((largest > 10000)) && sizes+=("$largest")
: >"$work/growth"
for stages in "${sizes[@]}"; do
  dir=$work/s$stages
  mkdir -p "$dir"
  "$build/bench/chain_bench_generate" "$stages" "$dir/pipeline.chain" "$dir/build.ninja"
  runs=$(runs_for "$stages")
  measure "$runs" "$build/chain" check "$dir/pipeline.chain"
  check_user=$user check_peak=$peak
  measure "$runs" "$build/chain" plan "$dir/pipeline.chain" --branch develop
  plan_user=$user plan_peak=$peak
  measure "$runs" ninja -C "$dir" -t targets all
  ninja_user=$user ninja_peak=$peak
  printf '%-30s %7ss %5sMB   %7ss %5sMB   %7ss %4sMB   %11s %10s\n' "generated, $stages stages" \
    "$check_user" "$check_peak" "$plan_user" "$plan_peak" "$ninja_user" "$ninja_peak" \
    "$(ratio "$check_user" "$ninja_user")" "$(ratio "$plan_user" "$ninja_user")"
  echo "$stages $check_user $plan_user" >>"$work/growth"
  rm -rf "$dir"
done

dag=$work/dag
mkdir -p "$dag"
"$build/bench/chain_bench_generate" --dag 100 100 "$dag/pipeline.chain" "$dag/build.ninja"
measure 5 "$build/chain" check "$dag/pipeline.chain"
check_user=$user check_peak=$peak
measure 5 "$build/chain" plan "$dag/pipeline.chain" --branch develop
plan_user=$user plan_peak=$peak
measure 5 ninja -C "$dag" -t targets all
printf '%-30s %7ss %5sMB   %7ss %5sMB   %7ss %4sMB   %11s %10s\n' "plain DAG, 100 layers of 100" \
  "$check_user" "$check_peak" "$plan_user" "$plan_peak" "$user" "$peak" \
  "$(ratio "$check_user" "$user")" "$(ratio "$plan_user" "$user")"

# chain run of the same DAG (issue 21: under 150 MB at 10,000 stages), its run record streamed to its file: a
# full run, each stage touching its file, then the no-op rerun, all 10,000 stages up to date.
mkdir -p "$dag/in" "$dag/out"
for ((l = 0; l < 100; l++)); do for ((w = 0; w < 100; w++)); do echo "input" >"$dag/in/s${l}_$w"; done; done
measure 1 bash -c 'cd "$1" && exec "$2" run --branch develop -j 2' run "$dag" "$(realpath "$build/chain")"
full_user=$user full_peak=$peak
measure 3 bash -c 'cd "$1" && exec "$2" run --branch develop -j 2' run "$dag" "$(realpath "$build/chain")"
printf '%-30s full run %6ss %5sMB   no-op %6ss %5sMB\n' "chain run, the same DAG" "$full_user" "$full_peak" "$user" "$peak"

typical=examples/application/pipeline.chain
measure 11 "$build/chain" check "$typical"
check_user=$user check_peak=$peak
measure 11 "$build/chain" plan "$typical" --branch develop
printf '%-30s %7ss %5sMB   %7ss %5sMB\n' "examples/application" "$check_user" "$check_peak" "$user" "$peak"

# The growth exponent: the slope of log(time) against log(stages), least squares over the sizes; 1.0
# is linear. Times under 10 ms are too coarse for it, so the smallest size only counts when above that.
awk '{ if ($2 >= 0.01 && $3 >= 0.01) { n++; x = log($1); sx += x; sxx += x * x
         yc = log($2); sc += yc; sxc += x * yc; yp = log($3); sp += yp; sxp += x * yp } }
     END { if (n < 2) { print "growth: too few sizes to fit"; exit }
           d = n * sxx - sx * sx
           printf "growth of time with stages (log-log slope, 1.0 is linear): check %.2f, plan %.2f\n",
                  (n * sxc - sx * sc) / d, (n * sxp - sx * sp) / d }' "$work/growth"
