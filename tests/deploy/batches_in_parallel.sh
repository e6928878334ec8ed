#!/usr/bin/env bash
# batch: 2 over three hosts: the two hosts of the first batch are released at once (the health check of
# each waits until the other's has begun, so one host after the other would never end), then the third.
# A health check that fails in the first batch: the other host of the batch, ready, is not switched, and
# the third host is never touched.
chain=$1
. "$(dirname "$0")/sshd_hosts.sh"
cd "$T/project"
git init -q -b develop . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m start
# Where the checks of the first two hosts meet: each says it began, then waits (at most 30 s) for the other.
mkdir -m 1777 "$T/meet"
for n in 1 2; do
  home_var="HOME$n" user_var="USER$n"
  other=$((3 - n))
  cat > "${!home_var}/check.sh" <<CHECK
touch "$T/meet/\$CHAIN_RELEASE_NAME-$n"
i=0
until [ -e "$T/meet/\$CHAIN_RELEASE_NAME-$other" ]; do
  i=\$((i + 1))
  [ \$i -lt 300 ] || { echo "the check on host $other never began while mine ran"; exit 1; }
  sleep 0.1
done
if [ -e "\$HOME/unhealthy" ]; then echo "database unreachable"; exit 3; fi
echo ok
CHECK
  chown "${!user_var}" "${!home_var}/check.sh"
done
echo 'echo ok' > "$HOME3/check.sh"
chown "$USER3" "$HOME3/check.sh"
cat > pipeline.chain <<CHAIN
pipeline "site" kind deployment
param release: str = "1.0.0"
secret deploy_key = env("DEPLOY_KEY")
stage rollout when develop {
  sh(["sh", "-c", "mkdir -p public && echo hello > public/index.html"])
  deploy(dir("public"),
    to: hosts(["$USER1@127.0.0.1:$PORT1", "$USER2@127.0.0.1:$PORT2", "$USER3@127.0.0.1:$PORT3"], dir: "site",
              key: deploy_key, known_hosts: "known_hosts"),
    strategy: rolling, batch: 2, version: release,
    health: "CHAIN_RELEASE_NAME=\$(basename \"\$CHAIN_RELEASE\") sh \"\$HOME/check.sh\"")
}
CHAIN
export DEPLOY_KEY="$KEY"

"$chain" run --branch develop > out.txt 2>&1 || fail "the rollout in batches of 2 failed: $(cat out.txt)"
for home in "$HOME1" "$HOME2" "$HOME3"; do expect_link "$home/site/current" releases/1.0.0; done
no_private_folder_left

touch "$HOME2/unhealthy"
if "$chain" run --branch develop -p release=2.0.0 > out.txt 2>&1; then fail "a rollout whose health check fails succeeded"; fi
grep -qF "the health check failed on $USER2@127.0.0.1:$PORT2 (exit 3): database unreachable" out.txt ||
  fail "the failure does not name the host and the check's output: $(cat out.txt)"
grep -qF "ready but not switched, so still at the release they had: $USER1@127.0.0.1:$PORT1" out.txt ||
  fail "no word of the host of the batch that was kept: $(cat out.txt)"
expect_link "$HOME1/site/current" releases/1.0.0
expect_link "$HOME2/site/current" releases/1.0.0
expect_link "$HOME3/site/current" releases/1.0.0
[ -e "$HOME3/site/releases/2.0.0" ] && fail "the third host was touched"
summary=$(python3 -c 'import json,glob; r=json.load(open(sorted(glob.glob(".chain/runs/*/run.json"))[-1])); print([s["summary"] for st in r["stages"] for s in st["steps"] if s["builtin"]=="deploy"][0])')
[ "$summary" = "$USER1@127.0.0.1:$PORT1: released 2.0.0, healthy, not switched, still at 1.0.0; $USER2@127.0.0.1:$PORT2: released 2.0.0, health check failed; $USER3@127.0.0.1:$PORT3: untouched" ] ||
  fail "the run record does not keep what happened per host: $summary"
no_private_folder_left
echo ok
