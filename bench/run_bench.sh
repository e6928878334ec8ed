#!/usr/bin/env bash
# chain run beside ninja on the same DAGs: 1,000 independent steps that each write one file, and 100
# layers of 10 stages where each needs the whole layer before it; then the no-op rerun of both.
#   bench/run_bench.sh [BUILD_DIR] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
jobs=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ms_of() { # wall milliseconds of one run of a command in a folder
  local folder=$1 start end
  shift
  start=$(date +%s%N)
  (cd "$folder" && "$@" >/dev/null 2>&1)
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

generate() { # NAME LAYERS WIDTH
  local dir=$work/$1 layers=$2 width=$3
  mkdir -p "$dir/in" "$dir/out"
  {
    echo "pipeline \"$1\""
    for ((l = 0; l < layers; l++)); do
      for ((w = 0; w < width; w++)); do
        name="s${l}_${w}"
        echo "input $name" >"$dir/in/$name"
        needs=""
        if ((l > 0)); then
          needs=" needs $(for ((p = 0; p < width; p++)); do printf 's%d_%d, ' $((l - 1)) $p; done | sed 's/, $//')"
        fi
        echo "stage $name$needs inputs \"in/$name\" { sh([\"touch\", \"out/$name\"]) }"
      done
    done
  } >"$dir/pipeline.chain"
  {
    echo "rule touch"
    echo "  command = touch \$out"
    for ((l = 0; l < layers; l++)); do
      for ((w = 0; w < width; w++)); do
        deps=""
        if ((l > 0)); then
          deps=" || $(for ((p = 0; p < width; p++)); do printf 'out/s%d_%d ' $((l - 1)) $p; done)"
        fi
        echo "build out/s${l}_${w}: touch in/s${l}_${w}$deps"
      done
    done
  } >"$dir/build.ninja"
}

noop_medians() { # DIR: the median wall microseconds of chain's and of ninja's no-op, run in turn 21 times
  # (a process of 20 ms varies by more than the difference from one run to the next on a loaded machine).
  # The clock is bash's own: a `date` process around each run would add its start-up to both.
  local folder=$1
  (
    cd "$folder"
    export LC_ALL=C # EPOCHREALTIME with a decimal point
    for _ in $(seq 21); do
      start=$EPOCHREALTIME
      "$build/chain" run --branch develop -j "$jobs" >/dev/null 2>&1
      end=$EPOCHREALTIME
      printf '%d ' $((${end/./} - ${start/./}))
      start=$EPOCHREALTIME
      ninja -j "$jobs" >/dev/null 2>&1
      end=$EPOCHREALTIME
      echo $((${end/./} - ${start/./}))
    done
  ) >"$work/noop.txt"
  echo "$(cut -d' ' -f1 "$work/noop.txt" | sort -n | sed -n 11p) $(cut -d' ' -f2 "$work/noop.txt" | sort -n | sed -n 11p)"
}

report() { # NAME
  local dir=$work/$1
  local chain_full ninja_full chain_noop ninja_noop
  # Each full run creates its output files anew (touching files that exist is cheaper than making them)
  # and starts once the disk has written what came before, so neither tool pays for the other's files.
  sync
  chain_full=$(ms_of "$dir" "$build/chain" run --branch develop -j "$jobs")
  rm -rf "$dir/out" && mkdir "$dir/out" && sync
  ninja_full=$(ms_of "$dir" ninja -j "$jobs")
  sync
  read -r chain_noop ninja_noop < <(noop_medians "$dir")
  printf '%-28s full run: chain %6d ms, ninja %6d ms (%.2fx)   no-op: chain %5.1f ms, ninja %5.1f ms (%.2fx)\n' \
    "$1" "$chain_full" "$ninja_full" "$(awk -v a="$chain_full" -v b="$ninja_full" 'BEGIN { print a / b }')" \
    "$(awk -v a="$chain_noop" 'BEGIN { print a / 1000 }')" "$(awk -v b="$ninja_noop" 'BEGIN { print b / 1000 }')" \
    "$(awk -v a="$chain_noop" -v b="$ninja_noop" 'BEGIN { print a / b }')"
}

generate independent-1000 1 1000
generate layers-100x10 100 10
echo "chain run and ninja, -j $jobs, wall time of the whole process (no-op: the medians of 21 runs, in turn)"
report independent-1000
report layers-100x10
