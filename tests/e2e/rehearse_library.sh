#!/usr/bin/env bash
# chain run --rehearse of the library on a release branch, with the real tools: the tests run and the wheel
# and sdist are built into the run's outputs, the publishing steps are only shown, and the package index is
# byte for byte as it was. A real run afterwards publishes the release candidate.
#   tests/e2e/rehearse_library.sh CHAIN
source "$(dirname "$0")/common.sh" "$1"

make_repository library acme-utils develop
build_library
cd "$work/acme-utils"
git checkout -q -b release/1.4
commit --allow-empty -m "prepare 1.4"
candidate=$(planned_version)
[[ $candidate =~ ^1\.4\.0rc[0-9]+$ ]] || fail "release/1.4 plans $candidate"
before=$(snapshot)
"$chain" run --rehearse >"$work/rehearse.out" 2>&1 || { cat "$work/rehearse.out"; fail "the rehearsal"; }
cat "$work/rehearse.out"
[[ $(snapshot) == "$before" ]] || fail "the rehearsal changed the index: $(diff <(echo "$before") <(snapshot))"
wheel=".chain/out/build/wheel/acme_utils-$candidate-py3-none-any.whl"
[[ -f $wheel ]] || fail "the wheel $wheel was not built"
[[ -f ".chain/out/build/sdist/acme-utils-$candidate.tar.gz" ]] || fail "the sdist was not built"
grep -qF "[build] would publish $wheel to ../.index" "$work/rehearse.out" || fail "the wheel's would line"
grep -qF "[build] would publish .chain/out/build/sdist/acme-utils-$candidate.tar.gz to ../.index" \
  "$work/rehearse.out" || fail "the sdist's would line"
grep -q "^ok      test\[python=3.11\] " "$work/rehearse.out" || fail "the tests did not run"
grep -Eq "^  build +rehearsed" "$work/rehearse.out" || fail "the summary does not say the build was rehearsed"

"$chain" run >"$work/real.out" 2>&1 || { cat "$work/real.out"; fail "the real run after the rehearsal"; }
[[ -f "$work/.index/simple/acme-utils/acme_utils-$candidate-py3-none-any.whl" ]] ||
  fail "the real run after the rehearsal did not publish: $(cat "$work/real.out")"
grep -q "would " "$work/real.out" && fail "a real run says would: $(cat "$work/real.out")"
echo "rehearsal: $candidate built and not published; the real run published it"
