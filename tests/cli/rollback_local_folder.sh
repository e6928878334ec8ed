#!/usr/bin/env bash
# chain releases and chain rollback on a local(...) target, and the REPL's :rollback: current points back at
# the previous release (or the one named) after the health check passes in it, previous at the one left.
set -euo pipefail
chain=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q -b develop . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m start
cat > pipeline.chain <<'CHAIN'
pipeline "site" kind deployment
param release: str = "1.0.0"
stage rollout manual when develop {
  sh(["sh", "-c", "mkdir -p public && echo ${release} > public/index.html"])
  deploy(dir("public"), to: local("deployed"), strategy: blue_green, version: release,
         health: "test -f index.html && test ! -e ../../../broken-$(cat index.html)")
}
CHAIN
fail() { echo "FAIL: $*"; exit 1; }
for release in 1.0.0 1.1.0 1.2.0; do
  "$chain" run --branch develop --approve rollout -p release=$release > out.txt 2>&1 || fail "deploy $release: $(cat out.txt)"
done
[ "$(readlink deployed/current)" = releases/1.2.0 ] || fail "not deployed"
out=$("$chain" releases rollout --branch develop)
[ "$out" = "this machine deployed
  1.0.0
  1.1.0  previous
  1.2.0  current" ] || fail "chain releases printed: $out"
out=$("$chain" rollback rollout --branch develop)
[ "$out" = "this machine: reached; current release: 1.2.0
this machine: healthy
this machine: switched from 1.2.0 to 1.1.0" ] || fail "chain rollback printed: $out"
[ "$(readlink deployed/current)" = releases/1.1.0 ] && [ "$(readlink deployed/previous)" = releases/1.2.0 ] \
  || fail "rollback left current at $(readlink deployed/current), previous at $(readlink deployed/previous)"
touch broken-1.0.0
if out=$("$chain" rollback rollout --branch develop --to 1.0.0 2>&1); then fail "a rollback to an unhealthy release succeeded"; fi
echo "$out" | grep -qF "the health check failed on this machine (exit 1)" || fail "an unhealthy rollback says: $out"
[ "$(readlink deployed/current)" = releases/1.1.0 ] || fail "an unhealthy rollback switched"
rm broken-1.0.0
out=$(printf ':branch develop\n:rollback rollout 1.0.0\ny\n' | "$chain" repl pipeline.chain 2>&1)
echo "$out" | grep -qF "point the deploy target of rollout back to 1.0.0 for real? [y/N]" || fail "the REPL did not ask: $out"
echo "$out" | grep -qF "this machine: switched from 1.1.0 to 1.0.0" || fail "the REPL did not roll back: $out"
[ "$(readlink deployed/current)" = releases/1.0.0 ] || fail ":rollback left current at $(readlink deployed/current)"
echo ok
