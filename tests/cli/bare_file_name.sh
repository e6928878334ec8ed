#!/usr/bin/env bash
# Every command that writes beside the pipeline works when it is given as a bare file name (no folder),
# or not given at all, from inside the pipeline's folder.   bare_file_name.sh CHAIN
set -euo pipefail
chain=$1
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cd "$work"
git init -q -b develop
printf 'stage build {\n      sh("echo built")\n}\n' > pipeline.chain
git add pipeline.chain
git -c user.name=t -c user.email=t@example.com commit -qm init

expect() { # expect WHAT EXPECTED_EXIT COMMAND...
  local what=$1 wanted=$2 code=0
  shift 2
  "$@" > out.txt 2>&1 || code=$?
  if [ "$code" != "$wanted" ]; then
    echo "$what: exit $code, expected $wanted:"; cat out.txt; exit 1
  fi
  if grep -q "filesystem_error\|cannot create directories" out.txt; then
    echo "$what failed on the bare name:"; cat out.txt; exit 1
  fi
}

expect "chain fmt --check pipeline.chain" 1 "$chain" fmt --check pipeline.chain
expect "chain fmt pipeline.chain" 0 "$chain" fmt pipeline.chain
grep -qx 'reformatted pipeline.chain' out.txt || { echo "fmt did not say it reformatted:"; cat out.txt; exit 1; }
grep -qx '  sh("echo built")' pipeline.chain || { echo "fmt did not rewrite pipeline.chain:"; cat pipeline.chain; exit 1; }
printf 'stage build {\n      sh("echo built")\n}\n' > pipeline.chain
expect "chain fmt" 0 "$chain" fmt
grep -qx '  sh("echo built")' pipeline.chain || { echo "chain fmt did not rewrite ./pipeline.chain"; exit 1; }
[ ! -e pipeline.chain.tmp ] || { echo "chain fmt left pipeline.chain.tmp behind"; exit 1; }

expect "chain run pipeline.chain" 0 "$chain" run pipeline.chain
expect "chain run" 0 "$chain" run
[ "$(ls .chain/runs | wc -l)" = 2 ] || { echo "expected two run records in ./.chain/runs"; ls -R .chain; exit 1; }
expect "chain verify pipeline.chain" 0 "$chain" verify pipeline.chain
expect "chain verify" 0 "$chain" verify

printf ':run build\ny\n' | "$chain" repl pipeline.chain > out.txt 2>&1 || { echo "repl :run failed:"; cat out.txt; exit 1; }
grep -q '^run succeeded' out.txt || { echo "repl :run did not run:"; cat out.txt; exit 1; }
[ "$(ls .chain/runs | wc -l)" = 3 ] || { echo "repl :run wrote no run record in ./.chain/runs"; ls -R .chain; exit 1; }
echo "ok: fmt, run, verify and repl's :run work on a bare pipeline.chain"
