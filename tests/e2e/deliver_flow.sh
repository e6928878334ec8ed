#!/usr/bin/env bash
# The application delivered with the real tools: its virtualenv (with the library from the local
# index) packaged as a .deb, published with reprepro to an apt repository that apt resolves from, and
# deployed blue/green to a folder; a failed health check leaves the live release as it was.
#   tests/e2e/deliver_flow.sh CHAIN
source "$(dirname "$0")/common.sh" "$1"

make_repository library acme-utils develop
make_repository application acme-web develop
cp "$e2e/deliver.chain" "$work/acme-web/deliver.chain"
build_library

cd "$work/acme-web"
git add deliver.chain && commit -m "delivery"
run first.out deliver.chain || { cat "$work/first.out"; fail "the first delivery"; }
first=$(planned_version deliver.chain)
echo "delivered $first"
[[ $(readlink "$work/.deploy/current") == "releases/$first" ]] || fail "current is not releases/$first"
health=$("$work/.deploy/current/opt/acme-web/bin/python" -m acme_web --check)
[[ $health == "ok acme-web $first (acme-utils "* ]] || fail "the live release's health: $health"
deb=$(ls "$work"/.apt/pool/main/a/acme-web/acme-web_*.deb)
dpkg-deb --field "$deb" Package Version Maintainer Depends >"$work/fields"
cat "$work/fields"
grep -q "^Maintainer: Acme Ops <ops@acme.test>" "$work/fields" || fail "the control file"

# apt resolves the package from the repository (simulated: nothing is installed on this machine).
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
echo "deb [trusted=yes] file:$work/.apt bookworm main" >"$work/apt/sources.list"
apt_options=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=-"
  -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root")
apt-get "${apt_options[@]}" update -qq || fail "apt-get update from the repository"
apt-get "${apt_options[@]}" install -s acme-web >"$work/apt.out" || { cat "$work/apt.out"; fail "apt-get install -s"; }
grep -q "^Inst acme-web " "$work/apt.out" || { cat "$work/apt.out"; fail "apt-get cannot install acme-web from the repository"; }

commit --allow-empty -m "a release whose health check fails"
if run broken.out deliver.chain -p health=false; then fail "a failed health check did not fail the run"; fi
grep -q "FAILED  live" "$work/broken.out" || fail "the live stage's failure"
[[ $(readlink "$work/.deploy/current") == "releases/$first" ]] || fail "a failed health check switched current"

commit --allow-empty -m "a healthy release"
run third.out deliver.chain || { cat "$work/third.out"; fail "the third delivery"; }
third=$(planned_version deliver.chain)
[[ $(readlink "$work/.deploy/current") == "releases/$third" ]] || fail "current is not releases/$third"
[[ $(readlink "$work/.deploy/previous") == "releases/$first" ]] || fail "previous is not the release that was live"
echo "end to end: $first live, a failed health check kept it, $third live with $first kept as previous"
