#!/usr/bin/env bash
# chain run --rehearse of the application on a release branch, as root, with the real tools: the tests run,
# the virtualenv is built in a debootstrap chroot and packaged as a .deb in the run's outputs, and neither the
# apt repository nor the staging deployment changes (both are only shown). Needs root and a Debian mirror.
#   tests/e2e/rehearse_application.sh CHAIN
source "$(dirname "$0")/common.sh" "$1"

make_repository library acme-utils develop
make_repository application acme-web develop
build_library
cd "$work/acme-web"
git checkout -q -b release/1.4
candidate=$(planned_version)
before=$(snapshot)
"$chain" run --rehearse >"$work/rehearse.out" 2>&1 || { cat "$work/rehearse.out"; fail "the rehearsal"; }
cat "$work/rehearse.out"
[[ $(snapshot) == "$before" ]] || fail "the rehearsal changed a target: $(diff <(echo "$before") <(snapshot))"
deb=".chain/out/debian/deb/acme-web_$(sed 's/rc/~rc/' <<<"$candidate").deb"
[[ -f $deb ]] || fail "the .deb $deb was not built"
for line in "[debian] would publish: reprepro -b ../.apt includedeb bookworm '$deb'" \
  "[staging] would deploy: dpkg-deb --extract '$deb' ../.deploy/acme-web/staging/releases/$candidate"; do
  grep -qF "$line" "$work/rehearse.out" || fail "no line: $line"
done
grep -q "^ok      test\[python=3.11\] " "$work/rehearse.out" || fail "the tests did not run"
grep -Eq "^  staging +rehearsed" "$work/rehearse.out" || fail "the summary does not say staging was rehearsed"
[[ -z $(grep " $work" /proc/mounts || true) ]] || fail "a mount was left behind"
echo "rehearsal: $candidate built in a chroot and packaged; nothing published, nothing deployed"
