#!/usr/bin/env bash
# `:branch REF` then `:plan` in chain repl prints what `chain plan --branch REF` prints, for every example
# and several refs.   same_plan.sh CHAIN
set -euo pipefail
chain=$1
cd "$(dirname "$0")/../.."
for file in examples/*/pipeline.chain; do
  for ref in develop feature/x release/1.4 hotfix/1.4.1 master; do
    expected=$("$chain" plan --branch "$ref" "$file")
    # The first two lines are what loading the file and :branch print.
    actual=$(printf ':branch %s\n:plan\n' "$ref" | "$chain" repl "$file" | tail -n +3)
    if [ "$expected" != "$actual" ]; then
      echo "chain repl and chain plan differ for $file on $ref:"
      diff <(echo "$expected") <(echo "$actual") || true
      exit 1
    fi
  done
done
echo "ok: :branch and :plan print what chain plan prints, for every example on five refs"
