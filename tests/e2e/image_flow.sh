#!/usr/bin/env bash
# An image built with podman from a folder the stage makes, pushed to Debian's docker-registry on a free
# loopback port, pulled back by the digest chain reported, and its files read out of a container.
#   image_flow.sh CHAIN
source "$(dirname "$0")/common.sh"
storage=(--storage-driver vfs)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
registry_pid=""
cleanup() {
  [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true
  podman "${storage[@]}" rm -f chain-image-flow >/dev/null 2>&1 || true
  podman "${storage[@]}" rmi -f "localhost/hello:0.0.1.dev1" "127.0.0.1:$port/acme/hello@${digest:-none}" >/dev/null 2>&1 || true
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
echo "end to end: image built with podman, pushed ($digest), pulled back by digest, its file and entry point as made"
