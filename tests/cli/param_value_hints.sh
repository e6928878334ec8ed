#!/usr/bin/env bash
# Values given with -p that are written as in YAML or with a unit chain does not know: a str param takes
# `3.11` as the text it is; a list<str> param given `[3.11, 3.12]` and a duration given `10min` fail with
# one diagnostic that says how to write the value, for `chain plan` and `chain check` alike.
#   param_value_hints.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q -b develop
cat > pipeline.chain <<'CHAIN'
param python: str = "3.12"
param pythons: list<str> = ["3.12"]
param limit: duration = 10m
stage test matrix version in pythons {
  sh(["echo", python, version, "${limit}"])
}
CHAIN
git add pipeline.chain
git -c user.name=t -c user.email=t@example.com commit -qm init

# run_chain EXPECTED_EXIT ARGS...: runs chain, output in out.txt, and fails unless it exits EXPECTED_EXIT.
run_chain() {
  local wanted=$1 code=0
  shift
  "$chain" "$@" > out.txt 2>&1 || code=$?
  if [ "$code" != "$wanted" ]; then
    echo "chain $*: exit $code, expected $wanted:"; cat out.txt; exit 1
  fi
}
# contains TEXT: out.txt has the line fragment TEXT, literally.
contains() {
  grep -qF -- "$1" out.txt || { echo "expected '$1' in:"; cat out.txt; exit 1; }
}

run_chain 0 plan -p python=3.11 --format json
tr -d ' \n' < out.txt | grep -qF '"argv":["echo","3.11","3.12","10m"]' || { echo "python=3.11 not taken as text:"; cat out.txt; exit 1; }

for command in plan check; do
  run_chain 1 $command -p 'pythons=[3.11, 3.12]'
  contains "-p:1:10: error[E0314]: the value of param 'pythons' is not a list<str>: a number with a fraction has no type in chain"
  contains 'a version is text: write "3.11"'
  [ "$(grep -c 'error\[' out.txt)" = 1 ] || { echo "expected exactly one error:"; cat out.txt; exit 1; }

  run_chain 1 $command -p limit=10min
  contains "unknown duration unit 'min'"
  contains "did you mean '10m'?"
  [ "$(grep -c 'error\[' out.txt)" = 1 ] || { echo "expected exactly one error:"; cat out.txt; exit 1; }
done

run_chain 0 plan -p 'pythons=["3.11", "3.12"]' -p limit=90s
contains 'test[version=3.11]'
