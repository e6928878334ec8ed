#!/usr/bin/env bash
# A release end to end, as root, with the real tools: on the tag v1.0.0 the application's virtualenv
# is built inside a debootstrap chroot (the base made once, then reused), packaged as a .deb,
# published with reprepro, installed with apt-get inside a chroot from that repository, and deployed
# blue/green to production. Needs root and a Debian mirror for debootstrap.
#   tests/e2e/release_flow.sh CHAIN
source "$(dirname "$0")/common.sh" "$1"

# The release's announcement step uses the application's notification secret.
export ACME_NOTIFY_TOKEN=notify-token
make_repository library acme-utils develop
make_repository application acme-web develop
make_repository deployment acme-deploy develop
build_library

cd "$work/acme-web"
git checkout -q -b master
git tag v1.0.0
git checkout -q v1.0.0
"$chain" run --approve production >"$work/release.out" 2>&1 || { cat "$work/release.out"; fail "chain run on v1.0.0"; }
cat "$work/release.out"
grep -q "^ok      debian " "$work/release.out" || fail "the debian stage"
deb="$work/.apt/pool/main/a/acme-web/acme-web_1.0.0_$(dpkg --print-architecture).deb"
[[ -f $deb ]] || fail "$deb in the apt repository"
[[ $(readlink "$work/.deploy/acme-web/production/current") == releases/1.0.0 ]] || fail "production is not 1.0.0"
[[ -z $(grep " $work" /proc/mounts || true) ]] || fail "a mount was left behind"

# apt-get installs the package from the repository inside a copy of the chroot the build used.
target="$work/target"
cp -a "$work/acme-web/.chain/cache/chroot/bookworm" "$target"
mkdir -p "$target/srv/apt"
cp -r "$work/.apt/." "$target/srv/apt/"
echo "deb [trusted=yes] file:/srv/apt bookworm main" >"$target/etc/apt/sources.list"
rm -f "$target"/etc/apt/sources.list.d/*
chroot "$target" apt-get update -qq || fail "apt-get update in the chroot"
chroot "$target" apt-get install -y -qq acme-web >"$work/apt.out" 2>&1 || { cat "$work/apt.out"; fail "apt-get install"; }
health=$(chroot "$target" /opt/acme-web/bin/acme-web --check)
[[ $health == "ok acme-web 1.0.0 "* ]] || fail "the installed acme-web: $health"

# Without root, entering the chroot is refused with a clear message.
if setpriv --reuid=65534 --regid=65534 --clear-groups "$chain" chroot-exec "$target" -- true 2>"$work/noroot.err"; then
  fail "chroot-exec ran without root"
fi
grep -q "a chroot needs root" "$work/noroot.err" || fail "the message without root: $(cat "$work/noroot.err")"

# The base is made once: a second release reuses it.
git checkout -q master
commit --allow-empty -m "1.0.1"
git tag v1.0.1
git checkout -q v1.0.1
"$chain" run --approve production >"$work/second.out" 2>&1 || { cat "$work/second.out"; fail "chain run on v1.0.1"; }
run_json=$(ls -t .chain/runs/*/run.json | head -1)
python3 - "$run_json" <<'PY' || fail "the second release made the base again"
import json, sys
steps = [s for stage in json.load(open(sys.argv[1]))["stages"] if stage["name"] == "debian" for s in stage["steps"]]
assert any(s.get("summary", "").startswith("skipped: .chain/cache/chroot/bookworm exists") for s in steps), steps
PY
[[ $(readlink "$work/.deploy/acme-web/production/current") == releases/1.0.1 ]] || fail "production is not 1.0.1"
[[ $(readlink "$work/.deploy/acme-web/production/previous") == releases/1.0.0 ]] || fail "previous is not 1.0.0"
# The deployment repository rolls the released .deb out from the apt repository, blue/green (reprepro
# keeps one version of a package per dist: 1.0.1 now).
cd "$work/acme-deploy"
git checkout -q -b master
ACME_DEPLOY_KEY=deploy-key "$chain" run --approve rollout -p wanted=1.0.1 -p arch="$(dpkg --print-architecture)" \
  >"$work/deploy.out" 2>&1 || { cat "$work/deploy.out"; fail "the deployment repository's rollout"; }
[[ $(readlink "$work/.deploy/acme/current") == releases/1.0.1 ]] || fail "acme is not at 1.0.1"
health=$("$work/.deploy/acme/current/opt/acme-web/bin/python" -m acme_web --check)
[[ $health == "ok acme-web 1.0.1 "* ]] || fail "the rolled-out release: $health"
echo "end to end: v1.0.0 built in a chroot, installed by apt-get, deployed; v1.0.1 reused the base;"
echo "the deployment repository rolled 1.0.1 out"
