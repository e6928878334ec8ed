#!/usr/bin/env bash
# `allow_failure`: a stage whose real sh step fails is `failed (allowed)` in the run's table and record,
# the stage that needs it runs with what it made (flake8's real findings), the run succeeds with exit 0;
# retries come first. A stage that uses an artifact the failed stage never made fails, naming it.
#   allow_failure_run.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
export PATH=/usr/sbin:/usr/bin:/sbin:/bin # Debian's python3 with flake8
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

new_repository() { # new_repository NAME: $work/NAME, a git repository on develop holding pipeline.chain from stdin
  mkdir -p "$work/$1"
  cd "$work/$1"
  cat > pipeline.chain
  mkdir -p src
  printf 'import os\nx=1\n' > src/module.py # two flake8 findings: F401 and E225
  git init -q -b develop
  git add -A
  git -c user.name=t -c user.email=t@example.com commit -qm init
}
fail() { echo "$1"; cat out.txt; exit 1; }

new_repository allowed <<'CHAIN'
pipeline "allowed" kind library

stage style allow_failure retry 1 {
  sh(["sh", "-c", "echo attempt >> attempts.txt; echo 'style checks failed' >&2; exit 3"])
}

stage lint allow_failure {
  artifact findings = lint(tool: flake8, paths: ["src"])
}

stage build needs style, lint {
  sh(["sh", "-c", "cp \"$1/flake8.txt\" seen.txt; echo built > built.txt", "sh", "${lint.findings}"])
}
CHAIN
code=0
"$chain" run > out.txt 2>&1 || code=$?
[ "$code" = 0 ] || fail "a run whose only failures are allowed exited $code, expected 0:"
[ "$(cat attempts.txt)" = "$(printf 'attempt\nattempt')" ] || fail "style was not retried once before being allowed to fail:"
[ -f built.txt ] || fail "build, which needs the failed stages, did not run:"
grep -q "F401 'os' imported but unused" seen.txt || fail "build did not get lint's findings artifact:"
grep -q '^failed (allowed)  style  .*: step 1 (sh) failed: exit code 3' out.txt || fail "no failure line for style:"
grep -q '^run succeeded: ' out.txt || fail "the summary does not say the run succeeded:"
grep -Eq '^  style +failed \(allowed\) +[0-9.]+s$' out.txt || fail "the table has no 'failed (allowed)' line for style:"
grep -Eq '^  lint +failed \(allowed\) +[0-9.]+s$' out.txt || fail "the table has no 'failed (allowed)' line for lint:"
grep -Eq '^  build +success +[0-9.]+s$' out.txt || fail "the table has no success line for build:"
python3 - .chain/runs/*/run.json <<'PY' || fail "run.json is not as expected"
import json, sys
record = json.load(open(sys.argv[1]))
stages = {stage["name"]: stage for stage in record["stages"]}
assert record["status"] == "success", record["status"]
assert stages["style"]["status"] == "failed" and stages["style"]["allowed"] is True, stages["style"]
assert stages["style"]["attempts"] == 2, stages["style"]
assert stages["lint"]["status"] == "failed" and stages["lint"]["allowed"] is True, stages["lint"]
assert "findings" in stages["lint"]["artifacts"], stages["lint"]
assert stages["build"]["status"] == "success" and "allowed" not in stages["build"], stages["build"]
PY
"$chain" plan --format json > out.txt
python3 -c 'import json,sys; s={x["name"]: x for x in json.load(open(sys.argv[1]))["stages"]}; assert s["style"]["allow_failure"] is True and "allow_failure" not in s["build"]' out.txt ||
  fail "plan --format json does not show allow_failure:"
"$chain" plan > out.txt
grep -qx '  retry 1, allow_failure' out.txt || fail "chain plan does not show allow_failure:"

new_repository missing <<'CHAIN'
pipeline "missing" kind library

stage make allow_failure {
  sh(["false"])
  artifact out = dir("out")
}

stage use needs make {
  sh(["sh", "-c", "touch ran.txt; ls \"$1\"", "sh", "${make.out}"])
}
CHAIN
code=0
"$chain" run > out.txt 2>&1 || code=$?
[ "$code" = 1 ] || fail "a stage using an artifact its failed need never made: exit $code, expected 1:"
[ ! -e ran.txt ] || fail "use ran a step although the artifact it needs is missing:"
grep -q "^FAILED  use  .*needs the artifact make.out, which 'make' did not make: it failed (allowed)" out.txt ||
  fail "the failure of use does not name the missing artifact:"
grep -q '^run failed: ' out.txt || fail "the summary does not say the run failed:"
echo "ok: allowed failures keep the run green, their dependants run, and a missing artifact is named"
