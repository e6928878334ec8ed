#!/usr/bin/env bash
# With --no-deps (every exported job's run) a stage with `inputs` is up to date only while the artifacts of
# the stages it needs, as the engine restored them into .chain/out/, are those its cache record was made
# with: an upstream artifact that changed reruns it, although its own inputs did not change.
#   no_deps_cache_sees_upstream.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
cd "$work"
cat >pipeline.chain <<'CHAIN'
pipeline "upstream" kind library
stage gen {
  sh("cat text.txt > gen.txt")
  artifact text = file("gen.txt")
}
stage use needs gen inputs "conf.txt" {
  sh("cat ${gen.text} conf.txt > used.txt")
  artifact used = file("used.txt")
}
CHAIN
echo one >text.txt
echo conf >conf.txt
git init -q -b develop
git add -A
git -c user.name=chain -c user.email=chain@example.invalid -c commit.gpgsign=false commit -q -m initial

run() { # LOG ARGS...
  local log=$1
  shift
  "$chain" run pipeline.chain "$@" >"$log" 2>&1 || { cat "$log"; fail "chain run $* failed"; }
}
run first.log
run second.log --stage use --no-deps
grep -Eqx '1 stage up to date, nothing to run \(run record: \.chain/runs/[0-9TZ-]+/run\.json\)' second.log || { cat second.log; fail "use was not up to date with gen unchanged"; }

echo two >text.txt
run third.log --stage gen --no-deps
run fourth.log --stage use --no-deps
grep -qF "start   use" fourth.log || { cat fourth.log; fail "use was taken from the cache although gen's artifact changed"; }
[ "$(cat .chain/out/use/used/used.txt)" = "$(printf 'two\nconf')" ] || fail "use's artifact is not made from gen's new one"
echo "ok: under --no-deps, a changed upstream artifact reruns the stage that uses it"
