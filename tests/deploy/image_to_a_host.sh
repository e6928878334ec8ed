#!/usr/bin/env bash
# An image to a host over ssh, run there by the podman of the host's user (rootless, its storage in that
# user's home, so every host has its own): the OCI archive is loaded on the host, the health check runs in
# a container of the new image, the new container starts beside the live one, current switches and the
# old container stops; a release whose check fails starts nothing; Ctrl-C during a check removes the
# check's container; chain rollback starts the old container again and stops the new one. Skipped (77) only when podman cannot run a container as the
# host's user here, with what podman said.
chain=$1
HOSTS=1 . "$(dirname "$0")/sshd_hosts.sh"
command -v podman >/dev/null || { echo "SKIP: podman is not installed (Debian's podman and uidmap)"; exit 77; }
storage=(--storage-driver vfs)
base="localhost/chainbase$tag:1"
name="web$tag"
host_cleanup() {
  # shellcheck disable=SC2046 # one word per image
  podman "${storage[@]}" rmi -f "$base" $(podman "${storage[@]}" images --format '{{.Repository}}:{{.Tag}}' |
    grep "^localhost/$name:" || true) >/dev/null 2>&1 || true
  cleanup
}
trap host_cleanup EXIT

# The host's podman: rootless, vfs storage, runc, limits a container may lower to, the host's network
# (no slirp4netns needed). What the host's user runs, the test runs as that user too.
mkdir -p "$HOME1/.config/containers"
cat > "$HOME1/.config/containers/storage.conf" <<'CONF'
[storage]
driver = "vfs"
CONF
cat > "$HOME1/.config/containers/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "host"
[engine]
runtime = "runc"
CONF
chown -R "$USER1" "$HOME1/.config"
on_host() { (cd "$HOME1" && runuser -u "$USER1" -- env -u TMPDIR HOME="$HOME1" XDG_RUNTIME_DIR="$HOME1/.run" podman "$@"); }

# A base image of a shell, sleep and cat with the C library they need, made from this machine's files.
mkdir -p "$T/rootfs/bin"
for program in sh sleep cat; do
  cp -L "$(command -v "$program")" "$T/rootfs/bin/$program"
  for library in $(ldd "$(command -v "$program")" | grep -o '/[^ ]*'); do
    mkdir -p "$T/rootfs$(dirname "$library")"
    cp -L "$library" "$T/rootfs$library"
  done
done
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
chmod 644 "$T/rootfs.tar"
podman "${storage[@]}" import --quiet "$T/rootfs.tar" "$base" >/dev/null

# Whether the host's user can run a container at all: when not, nothing chain does can be tested here.
if ! said=$(on_host import --quiet "$T/rootfs.tar" localhost/probe:1 2>&1 && on_host run --rm localhost/probe:1 /bin/sh -c 'echo ran' 2>&1); then
  echo "SKIP: podman cannot run a container as the host's user $USER1 here: $said"
  exit 77
fi
[[ $said == *ran ]] || { echo "SKIP: podman cannot run a container as the host's user $USER1 here: $said"; exit 77; }
on_host rmi localhost/probe:1 >/dev/null

cd "$T/project"
git init -q -b develop . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m start
# The application: a process that runs until podman stops it.
mkdir -p app
printf '#!/bin/sh\ntrap "exit 0" TERM\nsleep 100000 &\nwait\n' > app/serve
chmod +x app/serve
cat > pipeline.chain <<CHAIN
pipeline "web" kind deployment
param wanted: str = "1.0.0"
param health: str = "test -x /opt/$name/serve"
secret deploy_key = env("DEPLOY_KEY")

stage rollout when develop {
  artifact content = dir("app")
  artifact img = package(format: image, from: content, name: "$name", version: wanted, base: "$base",
                         entrypoint: ["/opt/$name/serve"])
  deploy(img, to: hosts(["$USER1@127.0.0.1:$PORT1"], dir: "srv/web", key: deploy_key, known_hosts: "known_hosts"),
         strategy: blue_green, health: health)
}
CHAIN
export DEPLOY_KEY="$KEY"
state() { on_host container inspect --format '{{.State.Status}}' "$1"; }
releases="$HOME1/srv/web/releases"

"$chain" run --branch develop > out.txt 2>&1 || fail "the first deploy failed: $(cat out.txt)"
expect_link "$HOME1/srv/web/current" releases/1.0.0
[ "$(cat "$releases/1.0.0/image")" = "localhost/$name:1.0.0" ] || fail "the release does not record its image"
on_host image exists "localhost/$name:1.0.0" || fail "the image is not loaded on the host"
first=$(cat "$releases/1.0.0/container")
[ "$(state "$first")" = running ] || fail "the container of 1.0.0 does not run: $(state "$first")"
no_private_folder_left

"$chain" run --branch develop -p wanted=1.0.1 > out.txt 2>&1 || fail "the second deploy failed: $(cat out.txt)"
grep -qE "$USER1@127.0.0.1:$PORT1: released 1.0.1, healthy, container $name-1\.0\.1-[0-9a-f]+ started, switched from 1.0.0 to 1.0.1" out.txt ||
  fail "the run does not say what happened on the host: $(cat out.txt)"
expect_link "$HOME1/srv/web/current" releases/1.0.1
expect_link "$HOME1/srv/web/previous" releases/1.0.0
second=$(cat "$releases/1.0.1/container")
[ "$(state "$second")" = running ] || fail "the container of 1.0.1 does not run: $(state "$second")"
[ "$(state "$first")" = exited ] || fail "the container of 1.0.0 was not stopped: $(state "$first")"
started=$(on_host container inspect --format '{{.State.StartedAt.UnixNano}}' "$second")
stopped=$(on_host container inspect --format '{{.State.FinishedAt.UnixNano}}' "$first")
((started < stopped)) || fail "the new container started after the old one stopped, not beside it"

if "$chain" run --branch develop -p wanted=1.0.2 -p 'health=echo no database; exit 3' > out.txt 2>&1; then
  fail "a release whose health check fails was deployed"
fi
grep -qF "the health check failed on $USER1@127.0.0.1:$PORT1 (exit 3): no database" out.txt ||
  fail "the failure does not say what the check said: $(cat out.txt)"
expect_link "$HOME1/srv/web/current" releases/1.0.1
[ "$(state "$second")" = running ] || fail "the live container stopped: $(state "$second")"
if on_host container exists "$(cat "$releases/1.0.2/container")"; then fail "the unhealthy release's container was made"; fi
no_private_folder_left

# Ctrl-C while the check of 1.0.3 runs in its container on the host: that container goes, the live one stays.
"$chain" run --branch develop -p wanted=1.0.3 -p 'health=exec sleep 1000' > out.txt 2>&1 &
run=$!
checker=""
for _ in $(seq 200); do
  checker=$(on_host ps --filter name=chain-health- --format '{{.Names}}')
  [ -n "$checker" ] && break
  sleep 0.1
done
[ -n "$checker" ] || fail "the health check's container never ran: $(cat out.txt)"
kill -INT "$run"
status=0
wait "$run" || status=$?
[ "$status" -eq 130 ] || fail "chain run exited $status after Ctrl-C, not 130: $(cat out.txt)"
if on_host container exists "$checker"; then fail "the health check's container is left on the host"; fi
expect_link "$HOME1/srv/web/current" releases/1.0.1
[ "$(state "$second")" = running ] || fail "the live container stopped on Ctrl-C: $(state "$second")"
no_private_folder_left

out=$("$chain" rollback rollout --branch develop 2>&1) || fail "chain rollback failed: $out"
echo "$out" | grep -q "$USER1@127.0.0.1:$PORT1: switched from 1.0.1 to 1.0.0" || fail "rollback says: $out"
expect_link "$HOME1/srv/web/current" releases/1.0.0
[ "$(state "$first")" = running ] || fail "rollback did not start the container of 1.0.0: $(state "$first")"
[ "$(state "$second")" = exited ] || fail "rollback did not stop the container of 1.0.1: $(state "$second")"
no_private_folder_left
echo ok
