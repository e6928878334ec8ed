#!/usr/bin/env bash
# coverage with the real coverage.py and pytest (Debian's, whose site-packages coverage.py does not know
# as such): without `source:` it measures the project's folder and never pytest itself; `source:` is
# what it measures; below `min:` the step fails with chain's sentence, coverage.py's own in the log.
#   coverage_measures_the_project.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
export PATH=/usr/sbin:/usr/bin:/sbin:/bin # Debian's python3 with pytest and coverage
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cd "$work"
mkdir -p pkg tests
# Three of the package's six statements run: 50%; with the test module's three, 6 of 9: 67%.
cat > pkg/__init__.py <<'PY'
def used(x):
    return x + 1


def unused(x):
    if x:
        return 1
    return 2
PY
printf 'import pkg\n\n\ndef test_used():\n    assert pkg.used(1) == 2\n' > tests/test_pkg.py
write_pipeline() { # write_pipeline COVERAGE_ARGUMENTS
  cat > pipeline.chain <<CHAIN
pipeline "pkg" kind library

stage test {
  artifact cov = coverage($1, args: ["-p", "no:cacheprovider", "tests"])
}
CHAIN
}
git init -q -b develop
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm init

fail() { echo "$1"; shift; for file; do echo "--- $file"; cat "$file"; done; exit 1; }
run() { # run EXPECTED_EXIT: chain run into run.txt, the coverage XML into coverage.xml
  local code=0
  "$chain" run > run.txt 2>&1 || code=$?
  [ "$code" = "$1" ] || fail "chain run: exit $code, expected $1" pipeline.chain run.txt
  cp .chain/out/test/cov/coverage.xml coverage.xml 2>/dev/null || true
}
measured() { grep -o 'filename="[^"]*"' coverage.xml | sort | tr '\n' ' '; }

write_pipeline "min: 50%"
run 0
[ "$(measured)" = 'filename="pkg/__init__.py" filename="tests/test_pkg.py" ' ] ||
  fail "without source: the project's files, and only those, are measured" coverage.xml
grep -q 'pytest\|dist-packages\|site-packages' coverage.xml && fail "pytest's own files were measured" coverage.xml
grep -q '(coverage 67%)' run.txt || fail "the summary is not coverage 67%" run.txt

write_pipeline "min: 80%"
run 1
grep -q "step 3 (coverage) failed: exit code 2 — coverage 67%, below the minimum 80%  \[log: " run.txt ||
  fail "the failure does not name the figure and the minimum" run.txt
log=$(ls .chain/runs/*/logs/test/3-coverage.log | tail -1)
grep -q 'Coverage failure: total of 67 is less than fail-under=80' "$log" || fail "coverage.py's report left the log" "$log"

write_pipeline 'min: 50%, source: ["pkg"]'
run 0
[ "$(measured)" = 'filename="pkg/__init__.py" ' ] || fail "source: [\"pkg\"] measured more than pkg" coverage.xml
grep -q '(coverage 50%)' run.txt || fail "pkg alone is not 50% covered" run.txt

# The project's own settings say what to measure: chain passes no --source then.
write_pipeline "min: 50%"
printf '[tool.coverage.run]\nsource = ["tests"]\n' > pyproject.toml
run 0
[ "$(measured)" = 'filename="test_pkg.py" ' ] && grep -q '<source>.*/tests</source>' coverage.xml || fail "the project's [tool.coverage.run] source was not followed" coverage.xml
echo "ok: coverage measures the project, source: names what, and a figure below the minimum says so"
