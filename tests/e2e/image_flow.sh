#!/usr/bin/env bash
# Images with podman and Debian's docker-registry on a free loopback port. First an image of a folder a
# stage makes: pushed, pulled back by the digest chain reported, its files read out of a container. Then
# examples/application/image.chain on a release branch, as root: the virtualenv built in a debootstrap
# chroot goes into an image over the same base, is pushed, pulled back by digest and run (its output is
# the application's), and deployed blue/green with podman; a failed health check starts nothing of the
# new release and leaves the live one as it was.
#   image_flow.sh CHAIN
source "$(dirname "$0")/common.sh"
storage=(--storage-driver vfs)
# podman as the tests run it, on any host: runc (crun refuses hosts with hybrid cgroups), and limits a
# container may lower to (podman otherwise raises nofile and nproc to their maximum, which a host without
# CAP_SYS_RESOURCE in its bounding set refuses). chain passes its environment, and so this file, to podman.
export CONTAINERS_CONF="$work/containers.conf"
cat >"$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
registry_pid=""
cleanup() {
  [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true
  local containers images
  containers=$(cat "$work"/.deploy/acme-web-image/*/releases/*/container 2>/dev/null || true)
  # shellcheck disable=SC2086 # one word per container
  podman "${storage[@]}" rm -f chain-image-flow $containers >/dev/null 2>&1 || true
  images=$(podman "${storage[@]}" images --format '{{.ID}} {{.Repository}}:{{.Tag}}' |
    grep -E " (localhost/hello:|localhost/acme-web:|localhost/chain-base:|127\.0\.0\.1:$port/)" | cut -d' ' -f1 || true)
  # shellcheck disable=SC2086 # one word per image
  podman "${storage[@]}" rmi -f $images >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
python3 - "$port" <<'PY' || fail "the registry did not start"
import socket, sys, time
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)  # waiting for a port to open, with a deadline
sys.exit(1)
PY

mkdir -p "$work/imaged"
cat >"$work/imaged/pipeline.chain" <<CHAIN
pipeline "imaged"

let images = registry("127.0.0.1:$port/acme", insecure: true)

stage build {
  sh(["mkdir", "-p", "app"])
  sh("echo 'hello from the image' > app/hello.txt")
  artifact content = dir("app")
  artifact img = package(format: image, from: content, name: "hello", version: version(), entrypoint: ["/opt/hello/run"])
  publish(img, to: images)
}
CHAIN
(cd "$work/imaged" && git init -q -b develop && git add -A && commit -m "initial")
(cd "$work/imaged" && "$chain" run --branch develop) >"$work/run.out" 2>&1 || { cat "$work/run.out"; fail "chain run"; }
digest=$(sed -n 's/.*pushed \(sha256:[0-9a-f]*\).*/\1/p' "$work/run.out" | head -1)
[ -n "$digest" ] || { cat "$work/run.out"; fail "the run did not report the pushed digest"; }
[ -f "$work/imaged/.chain/out/build/img/image.tar" ] || fail "the image archive is not the artifact"

podman "${storage[@]}" pull --quiet --tls-verify=false "docker://127.0.0.1:$port/acme/hello@$digest" >/dev/null ||
  fail "the image does not pull back by its digest"
podman "${storage[@]}" create --name chain-image-flow "127.0.0.1:$port/acme/hello@$digest" >/dev/null
podman "${storage[@]}" cp chain-image-flow:/opt/hello/hello.txt "$work/hello.txt"
[ "$(cat "$work/hello.txt")" = "hello from the image" ] || fail "the image does not hold the stage's folder"
entrypoint=$(podman "${storage[@]}" image inspect --format '{{json .Config.Entrypoint}}' "127.0.0.1:$port/acme/hello@$digest")
[ "$entrypoint" = '["/opt/hello/run"]' ] || fail "entry point $entrypoint"
echo "image of a folder: built with podman, pushed ($digest), pulled back by digest, its file and entry point as made"

# The application's image variant on a release branch: test, image (a virtualenv built in the chroot, an
# image over the same debootstrap base), staging (blue/green with podman).
make_repository library acme-utils develop
make_repository application acme-web release/1.0
build_library
cd "$work/acme-web"
release() { # LOG ARGS...: chain run of image.chain with the test's registry, its output kept
  local log=$1
  shift
  run "$log" image.chain -p registry_url="127.0.0.1:$port/acme" "$@"
}
release first.out || { cat "$work/first.out"; fail "the first release candidate"; }
first=$(planned_version image.chain)
digest=$(sed -n 's/.*pushed \(sha256:[0-9a-f]*\).*/\1/p' "$work/first.out" | head -1)
[ -n "$digest" ] || { cat "$work/first.out"; fail "the image stage did not report the pushed digest"; }
pulled="127.0.0.1:$port/acme/acme-web@$digest"
podman "${storage[@]}" pull --quiet --tls-verify=false "docker://$pulled" >/dev/null || fail "acme-web does not pull by its digest"
health=$(podman "${storage[@]}" run --rm "$pulled" --check)
[[ $health == "ok acme-web $first (acme-utils "* ]] || fail "the image's entry point --check: $health"
slug=$(podman "${storage[@]}" run --rm "$pulled" "Hello Image World")
[[ $slug == "hello-image-world" ]] || fail "the image's entry point: $slug"
echo "acme-web $first: pushed as $digest, pulled back, its entry point says: $health"

staging="$work/.deploy/acme-web-image/staging"
[[ $(readlink "$staging/current") == "releases/$first" ]] || fail "staging is not at $first"
live=$(cat "$staging/releases/$first/container")
[[ $(cat "$staging/releases/$first/image") == "localhost/acme-web:$first" ]] || fail "the release's image record"
state=$(podman "${storage[@]}" container inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$live")
[[ $state == "exited 0" ]] || fail "the container of $first: $state"

commit --allow-empty -m "a release candidate whose health check fails"
if release broken.out -p health=false; then fail "a failed health check did not fail the run"; fi
broken=$(planned_version image.chain)
grep -q "FAILED  staging" "$work/broken.out" || { cat "$work/broken.out"; fail "the staging stage's failure"; }
[[ $(readlink "$staging/current") == "releases/$first" ]] || fail "a failed health check switched current"
if podman "${storage[@]}" ps --all --format '{{.Names}}' | grep -q "^acme-web-$broken-"; then
  fail "a container of the unhealthy $broken was started"
fi

commit --allow-empty -m "a healthy release candidate"
release third.out || { cat "$work/third.out"; fail "the third release candidate"; }
third=$(planned_version image.chain)
[[ $(readlink "$staging/current") == "releases/$third" ]] || fail "staging is not at $third"
[[ $(readlink "$staging/previous") == "releases/$first" ]] || fail "previous is not the release that was live"
podman "${storage[@]}" container exists "$(cat "$staging/releases/$third/container")" || fail "no container of $third"
podman "${storage[@]}" container exists "$live" || fail "the container of the previous release was not kept"
echo "end to end: $first live in a container, a failed health check started nothing of $broken, $third live with $first kept as previous"
