#!/usr/bin/env bash
# Runs one golden case and compares what chain prints (stdout, stderr, exit code) with CASE.expected.
#   CASE.chain: `chain check CASE.chain`        CASE.cmd: the arguments of chain, one line
# With --refresh, writes CASE.expected instead of comparing. Run from the repository's root.
set -uo pipefail
chain=$1
case=$2
refresh=${3:-}
expected="${case%.*}.expected"
case "$case" in
  *.chain) args=(check "$case") ;;
  *.cmd) eval "args=($(cat "$case"))" ;;
  *) echo "unknown case $case" >&2; exit 2 ;;
esac
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
actual=$(
  "$chain" "${args[@]}" >/tmp/chain-golden-out.$$ 2>/tmp/chain-golden-err.$$
  code=$?
  echo "\$ chain ${args[*]}"
  cat /tmp/chain-golden-out.$$
  echo "--- stderr"
  cat /tmp/chain-golden-err.$$
  echo "--- exit $code"
)
if [ "$refresh" = "--refresh" ]; then
  printf '%s\n' "$actual" >"$expected"
  exit 0
fi
diff -u "$expected" <(printf '%s\n' "$actual")
