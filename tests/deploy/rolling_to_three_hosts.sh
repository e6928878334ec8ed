#!/usr/bin/env bash
# A .deb rolled out to three hosts over real ssh, batch by batch; a release whose health check fails on the
# second host: the first is switched back, the third never touched; then chain releases and chain rollback.
chain=$1
. "$(dirname "$0")/sshd_hosts.sh"
cd "$T/project"
git init -q -b develop . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m start
cat > pipeline.chain <<CHAIN
pipeline "hello" kind deployment
param wanted: str = "1.0.0"
secret deploy_key = env("DEPLOY_KEY")

stage rollout when develop {
  sh(["sh", "-c", "mkdir -p app/bin && printf '#!/bin/sh\\\\nif [ -e \"\$HOME/unhealthy\" ]; then echo database unreachable; exit 3; fi\\\\necho ok' > app/bin/check && chmod +x app/bin/check"])
  artifact tree = dir("app")
  artifact deb = package(format: deb, from: tree, name: "hello", version: wanted)
  deploy(deb,
    to: hosts(["$USER1@127.0.0.1:$PORT1", "$USER2@127.0.0.1:$PORT2", "127.0.0.1:$PORT3"],
              dir: "srv/hello", key: deploy_key, known_hosts: "known_hosts", user: "$USER3"),
    strategy: rolling, batch: 1, health: "opt/hello/bin/check")
}
CHAIN
export DEPLOY_KEY="$KEY"

plan=$("$chain" plan --branch develop)
echo "$plan" | grep -q "127.0.0.1:$PORT3: copy the .deb into releases/1.0.0 (dpkg-deb --extract), check health there, then switch current" \
  || fail "the plan does not say what happens on each host: $plan"
echo "$plan" | grep -qF "CHAIN_SSH_KEY='***'" || fail "the plan does not mask the key: $plan"
echo "$plan" | grep -q 'BEGIN OPENSSH' && fail "the plan shows the key"

out=$("$chain" run --branch develop 2>&1) || fail "the first rollout failed: $out"
for home in "$HOME1" "$HOME2" "$HOME3"; do
  expect_link "$home/srv/hello/current" releases/1.0.0
  [ -x "$home/srv/hello/releases/1.0.0/opt/hello/bin/check" ] || fail "the .deb is not unpacked in $home"
done
no_private_folder_left

"$chain" run --branch develop -p wanted=1.0.1 > out.txt 2>&1 || fail "the second rollout failed: $(cat out.txt)"
for home in "$HOME1" "$HOME2" "$HOME3"; do
  expect_link "$home/srv/hello/current" releases/1.0.1
  expect_link "$home/srv/hello/previous" releases/1.0.0
done

touch "$HOME2/unhealthy"
if "$chain" run --branch develop -p wanted=2.0.0 > out.txt 2>&1; then fail "a rollout whose health check fails succeeded"; fi
grep -q "the health check failed on $USER2@127.0.0.1:$PORT2 (exit 3): database unreachable" out.txt \
  || fail "the failure does not name the host and the check's output: $(cat out.txt)"
grep -q "switched back to the release they had: $USER1@127.0.0.1:$PORT1" out.txt || fail "no word of switching back: $(cat out.txt)"
expect_link "$HOME1/srv/hello/current" releases/1.0.1
expect_link "$HOME1/srv/hello/previous" releases/1.0.0
expect_link "$HOME2/srv/hello/current" releases/1.0.1
expect_link "$HOME3/srv/hello/current" releases/1.0.1
[ -e "$HOME3/srv/hello/releases/2.0.0" ] && fail "the third host was touched"
summary=$(python3 -c 'import json,glob,sys; r=json.load(open(sorted(glob.glob(".chain/runs/*/run.json"))[-1])); print([s["summary"] for st in r["stages"] for s in st["steps"] if s["builtin"]=="deploy"][0])')
[ "$summary" = "$USER1@127.0.0.1:$PORT1: released 2.0.0, healthy, switched from 1.0.1 to 2.0.0, switched back to 1.0.1; $USER2@127.0.0.1:$PORT2: released 2.0.0, health check failed; $USER3@127.0.0.1:$PORT3: untouched" ] \
  || fail "the run record does not keep what happened per host: $summary"
no_private_folder_left
rm "$HOME2/unhealthy"

out=$("$chain" releases rollout --branch develop) || fail "chain releases failed: $out"
expected="$USER1@127.0.0.1:$PORT1 srv/hello
  1.0.0  previous
  1.0.1  current
  2.0.0"
[ "$(echo "$out" | head -4)" = "$expected" ] || fail "chain releases printed: $out"

out=$("$chain" rollback rollout --branch develop 2>&1) || fail "chain rollback failed: $out"
echo "$out" | grep -q "127.0.0.1:$PORT3: switched from 1.0.1 to 1.0.0" || fail "rollback does not say what it did per host: $out"
for home in "$HOME1" "$HOME2" "$HOME3"; do
  expect_link "$home/srv/hello/current" releases/1.0.0
  expect_link "$home/srv/hello/previous" releases/1.0.1
done
out=$("$chain" rollback rollout --branch develop --to 1.0.1 2>&1) || fail "chain rollback --to failed: $out"
expect_link "$HOME2/srv/hello/current" releases/1.0.1
if out=$("$chain" rollback rollout --branch develop --to 9.9.9 2>&1); then fail "a rollback to a release that is not there succeeded"; fi
echo "$out" | grep -q "has no release 9.9.9 (its releases: 1.0.0, 1.0.1, 2.0.0)" || fail "rollback to a missing release says: $out"
expect_link "$HOME1/srv/hello/current" releases/1.0.1
no_private_folder_left
echo ok
