#!/usr/bin/env bash
# Ctrl-C during a deploy to hosts: chain stops with 130, the private key and the ssh folder are gone, and
# the host still runs the release it had.
chain=$1
. "$(dirname "$0")/sshd_hosts.sh"
cd "$T/work"
git init -q -b develop . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m start
mkfifo "$HOME1/started" "$HOME1/go"
chown "$USER1" "$HOME1/started" "$HOME1/go"
cat > pipeline.chain <<CHAIN
pipeline "site" kind deployment
param release: str = "1.0.0"
param health: str = "true"
secret deploy_key = env("DEPLOY_KEY")
stage rollout when develop {
  sh(["sh", "-c", "mkdir -p public && echo hello > public/index.html"])
  deploy(dir("public"), to: hosts(["$USER1@127.0.0.1:$PORT1"], dir: "site", key: deploy_key, known_hosts: "known_hosts"),
         strategy: rolling, version: release, health: health)
}
CHAIN
export DEPLOY_KEY="$KEY"
"$chain" run --branch develop > out.txt 2>&1 || fail "the first deploy failed: $(cat out.txt)"
expect_link "$HOME1/site/current" releases/1.0.0

# The health check of 2.0.0 says it started through one fifo, then waits on another that nobody writes
# until chain is gone.
"$chain" run --branch develop -p release=2.0.0 -p 'health=echo started > "$HOME/started"; read line < "$HOME/go"' > out.txt 2>&1 &
run=$!
timeout 60 sh -c "read line < '$HOME1/started'" || fail "the health check never started: $(cat out.txt)"
[ -n "$(ls -A "$T/tmp")" ] || fail "no private ssh folder while the deploy runs"
kill -INT "$run"
status=0
wait "$run" || status=$?
[ "$status" -eq 130 ] || fail "chain run exited $status after Ctrl-C, not 130: $(cat out.txt)"
no_private_folder_left
expect_link "$HOME1/site/current" releases/1.0.0
timeout 5 sh -c "echo > '$HOME1/go'" > /dev/null 2>&1 || true # lets the remote check end, if it still runs
echo ok
