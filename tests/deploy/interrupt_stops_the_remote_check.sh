#!/usr/bin/env bash
# Ctrl-C during a deploy to hosts, while the health check runs on the host: chain stops with 130, the
# check is stopped on the host (nothing of it runs there any more), the private key and the ssh folder are
# gone, and the host still runs the release it had.
chain=$1
. "$(dirname "$0")/sshd_hosts.sh"
cd "$T/project"
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

# The health check of 2.0.0 notes its process, says it started through one fifo, then waits on another
# that nobody writes.
"$chain" run --branch develop -p release=2.0.0 \
  -p 'health=echo $$ > "$HOME/check.pid"; echo started > "$HOME/started"; read line < "$HOME/go"' > out.txt 2>&1 &
run=$!
timeout 60 sh -c "read line < '$HOME1/started'" || fail "the health check never started: $(cat out.txt)"
[ -n "$(ls -A "$T/tmp")" ] || fail "no private ssh folder while the deploy runs"
kill -INT "$run"
status=0
wait "$run" || status=$?
[ "$status" -eq 130 ] || fail "chain run exited $status after Ctrl-C, not 130: $(cat out.txt)"
no_private_folder_left
expect_link "$HOME1/site/current" releases/1.0.0
# chain ended the check before it ended itself: its process is gone (or a zombie where nothing reaps), and
# nobody waits on the fifo any more.
check=$(cat "$HOME1/check.pid")
[ ! -e "/proc/$check" ] || grep -q '^State:.*zombie' "/proc/$check/status" || fail "the health check still runs on the host"
python3 -c 'import errno, os, sys
try:
    os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
except OSError as error:
    sys.exit(0 if error.errno == errno.ENXIO else 1)
sys.exit(1)' "$HOME1/go" || fail "the health check still waits on the host"
[ -z "$(ls -A "$HOME1" | grep '^\.chain-ssh-')" ] || fail "chain left its note of the running check on the host"
# Nothing of the deploy stays on the host: the connection's own processes go once it closes (a bounded wait).
for _ in $(seq 100); do
  [ -z "$(ps -o stat= -u "$USER1" | grep -v '^Z')" ] && break
  sleep 0.1
done
[ -z "$(ps -o stat= -u "$USER1" | grep -v '^Z')" ] || fail "processes of the deploy still run on the host: $(ps -f -u "$USER1")"
echo ok
