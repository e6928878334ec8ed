#!/usr/bin/env bash
# coverage(ratchet: FILE) with the real coverage.py and pytest: the first run has no floor and offers one,
# the offered cp command starts it, a better run offers a higher floor, a worse one fails with both
# figures; a malformed floor names its file and line; floor paths that leave the repository are refused;
# min: and ratchet: both apply; a changed floor runs a cached stage again.
#   coverage_ratchet.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
export PATH=/usr/sbin:/usr/bin:/sbin:/bin # Debian's python3 with pytest and coverage
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
mkdir "$work/repo"
cd "$work/repo"
mkdir -p pkg tests ci
# Three of the package's six statements run, and the test module's three: 6 of 9, 66.7%.
cat > pkg/__init__.py <<'PY'
def used(x):
    return x + 1


def unused(x):
    if x:
        return 1
    return 2
PY
printf 'import pkg\n\n\ndef test_used():\n    assert pkg.used(1) == 2\n' > tests/test_pkg.py
# With this test every line runs: 100.0%.
more_tests='import pkg\n\n\ndef test_unused():\n    assert pkg.unused(1) == 1\n    assert pkg.unused(0) == 2\n'
write_pipeline() { # write_pipeline COVERAGE_ARGUMENTS
  cat > pipeline.chain <<CHAIN
pipeline "pkg" kind library
param floor: str = "ci/coverage-floor"

stage test inputs "pkg/**", "tests/**" {
  artifact cov = coverage($1, args: ["-p", "no:cacheprovider", "tests"])
}
CHAIN
}
printf '.chain/\n' > .gitignore
write_pipeline 'ratchet: floor'
git init -q -b develop
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm init

fail() { echo "$1"; shift; for file; do echo "--- $file"; cat "$file"; done; exit 1; }
run() { # run EXPECTED_EXIT [ARGS...]: chain run into run.txt
  local expected=$1 code=0
  shift
  "$chain" run "$@" > run.txt 2>&1 || code=$?
  [ "$code" = "$expected" ] || fail "chain run $*: exit $code, expected $expected" pipeline.chain run.txt
}
has() { grep -qF -- "$1" run.txt || fail "the run does not say: $1" run.txt; }
offered=.chain/out/test/cov/coverage-floor

"$chain" plan > run.txt
has "(chain) check the coverage against the floor in ci/coverage-floor, and write the floor it reaches to $offered"

# No floor yet: the stage passes and its artifact carries the first floor, with the command that starts it.
run 0
has "(coverage 66.7%, no floor yet in ci/coverage-floor: start it with cp --no-preserve=mode $offered ci/coverage-floor)"
[ "$(cat "$offered")" = "66.7" ] || fail "the artifact does not carry the floor 66.7" "$offered"
command=$(grep -o 'cp --no-preserve=mode [^)]*' run.txt)
eval "$command"
[ "$(cat ci/coverage-floor)" = "66.7" ] && [ "$(stat -c %a ci/coverage-floor)" = 644 ] ||
  fail "the offered command did not write a floor file the user can change" ci/coverage-floor

# At the floor: it passes and says so.
run 0 --no-cache
has "(coverage 66.7%, at the floor in ci/coverage-floor)"

# Above: it passes and offers the higher floor.
printf "$more_tests" > tests/test_more.py
run 0
has "(coverage 100.0%, above the floor 66.7%: raise it with cp --no-preserve=mode $offered ci/coverage-floor)"
[ "$(cat "$offered")" = "100.0" ] || fail "the artifact does not carry the new floor 100.0" "$offered"
eval "$(grep -o 'cp --no-preserve=mode [^)]*' run.txt)"
[ "$(cat ci/coverage-floor)" = "100.0" ] || fail "the floor was not raised" ci/coverage-floor

# Below: the stage fails with both figures, and leaves no artifact.
rm tests/test_more.py
run 1
has "step 4 (coverage): coverage 66.7%, below the floor 100.0% in ci/coverage-floor: cover the new code with tests, or lower the floor there on purpose"
[ ! -e "$offered" ] || fail "a failed stage left its floor behind" "$offered"

# A cached stage runs again when only the floor changed.
echo 60.0 > ci/coverage-floor
run 0
has "(coverage 66.7%, above the floor 60.0%"
run 0 --verbose
has "cached  test  (up to date)"
echo 66.7 > ci/coverage-floor
run 0 --verbose
has "(coverage 66.7%, at the floor in ci/coverage-floor)"

# A malformed floor names its file and line.
printf '66.7\n70\n' > ci/coverage-floor
run 1
has "step 4 (coverage): ci/coverage-floor:2: a coverage floor file holds one number, and this line is one more: '70'"
printf 'eighty\n' > ci/coverage-floor
run 1
has "step 4 (coverage): ci/coverage-floor:1: 'eighty' is not a coverage floor: write one number from 0 to 100, like 81.0"

# Paths that leave the repository, from a param (a literal one is the checker's error E0232).
echo 10.0 > "$work/outside-floor"
run 1 -p floor="$work/outside-floor"
has "step 4 (coverage): refusing to read the coverage floor '$work/outside-floor': it is an absolute path, but the floor is a file committed in the repository"
run 1 -p floor=../outside-floor
has "step 4 (coverage): refusing to read the coverage floor '../outside-floor': it leaves the repository through '..'"
ln -s "$work/outside-floor" ci/linked-floor
run 1 -p floor=ci/linked-floor
has "step 4 (coverage): refusing to read the coverage floor 'ci/linked-floor': a symbolic link leads it out of the repository, to $work/outside-floor"

# min: and ratchet: both apply: each fails the stage on its own.
echo 50.0 > ci/coverage-floor
write_pipeline 'min: 80%, ratchet: floor'
run 1
has "step 3 (coverage) failed: exit code 2 — coverage 67%, below the minimum 80%"
write_pipeline 'min: 50%, ratchet: floor'
echo 70.0 > ci/coverage-floor
run 1
has "step 4 (coverage): coverage 66.7%, below the floor 70.0% in ci/coverage-floor"
echo 60.0 > ci/coverage-floor
run 0
has "(coverage 67%; coverage 66.7%, above the floor 60.0%"
echo "ok: the floor is offered, started, raised, never undercut; malformed and outside floors are refused"
