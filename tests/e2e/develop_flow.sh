#!/usr/bin/env bash
# The development chain end to end, with the real tools: git repositories made from examples/library
# and examples/application with git-flow branches, and `chain run` on each ref.
#   develop:     the library is tested, linted and covered, its wheel is published to a local PEP 503
#                index, and the application is triggered and installs that very wheel;
#   feature/x:   only the tests run;
#   release/1.0: a release-candidate version (1.0.0rcN) is built and published.
#   tests/e2e/develop_flow.sh CHAIN
source "$(dirname "$0")/common.sh" "$1"

for repo in library:acme-utils application:acme-web; do
  make_repository "${repo%%:*}" "${repo##*:}" master
  (cd "$work/${repo##*:}" && git tag v0.9.0 && git checkout -q -b develop && commit --allow-empty -m "work on develop")
done
cd "$work/acme-utils"

echo "== develop"
"$chain" run >"$work/develop.out" 2>&1 || { cat "$work/develop.out"; fail "chain run on develop"; }
cat "$work/develop.out"
grep -q "^ok      test\[python=3.11\] .*(3 tests, all passed; no findings; coverage 100%)" "$work/develop.out" ||
  fail "the test stage summary"
# The trigger's publish of the wheel into the downstream's index reports it first: the build stage put
# it there already.
grep -q "^ok      downstream .*(acme_utils-0.9.1.dev1-py3-none-any.whl already in the index, not replaced; acme-web on branch develop: success (test\[python=3.11\] success))" \
  "$work/develop.out" || fail "the downstream run in the summary"
version=$(planned_version)
wheel="$work/.index/simple/acme-utils/acme_utils-$version-py3-none-any.whl"
[[ -f $wheel ]] || fail "the wheel $wheel in the index"
grep -q "acme_utils-$version-py3-none-any.whl#sha256=$(sha256sum "$wheel" | cut -d' ' -f1)" \
  "$work/.index/simple/acme-utils/index.html" || fail "the project page links the wheel with its hash"
grep -q 'href="acme-utils/"' "$work/.index/simple/index.html" || fail "the root page lists the project"
python3 -m venv "$work/client"
"$work/client/bin/python" -m pip install -q --index-url "file://$work/.index/simple" "acme-utils==$version" ||
  fail "pip install from the index"
[[ $("$work/client/bin/python" -c 'import acme_utils; print(acme_utils.slugify("Blue Green"))') == blue-green ]] ||
  fail "the installed library works"
installed=$(ls -d "$work"/acme-web/.chain/out/test*/env/lib/python3*/site-packages/acme_utils-*.dist-info)
[[ $installed == *"acme_utils-$version.dist-info" ]] || fail "the application installed $installed, not $version"
grep -q "^ok      test\[python=3.11\] .*(3 tests, all passed; no findings; coverage" \
  "$work"/acme-utils/.chain/runs/*/logs/downstream/*-trigger.log || fail "the downstream run's tests"

echo "== feature/x"
git checkout -q -b feature/x develop
commit --allow-empty -m "a feature"
"$chain" run >"$work/feature.out" 2>&1 || { cat "$work/feature.out"; fail "chain run on feature/x"; }
grep -q "^  build  *skipped" "$work/feature.out" || fail "build does not run on a feature branch"

echo "== release/1.0"
git checkout -q -b release/1.0 develop
commit --allow-empty -m "prepare 1.0"
"$chain" run >"$work/release.out" 2>&1 || { cat "$work/release.out"; fail "chain run on release/1.0"; }
candidate=$(planned_version)
[[ $candidate =~ ^1\.0\.0rc[0-9]+$ ]] || fail "release/1.0 builds $candidate, not 1.0.0rcN"
[[ -f "$work/.index/simple/acme-utils/acme_utils-$candidate-py3-none-any.whl" ]] || fail "the candidate wheel"
echo "end to end: develop $version, release candidate $candidate"
