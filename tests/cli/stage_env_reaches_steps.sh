#!/usr/bin/env bash
# A stage's `env { ... }` and a builtin's `env:` reach the real processes: a sh step writes what it got, and
# a real pytest run under test(runner: pytest, env: {...}) asserts on os.environ. A secret among them is
# masked in `chain plan`, in the step's log and in the run record.
#   stage_env_reaches_steps.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
export PATH=/usr/sbin:/usr/bin:/sbin:/bin # Debian's python3 with pytest
export ENVDEMO_TOKEN=tok-9f8e7d6c5b4a
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cd "$work"
fail() { echo "$1"; cat out.txt; exit 1; }

mkdir tests
cat > tests/test_environment.py <<'PY'
import os


def test_the_stage_and_the_step_environment():
    assert os.environ["GREETING"] == "hi"
    assert os.environ["ANSWER"] == "42"
    assert os.environ["PYTHONHASHSEED"] == "0"
    assert os.environ["HOME_COPY"] == os.environ["HOME"]
PY
cat > pipeline.chain <<'CHAIN'
pipeline "envdemo" kind library

secret token = env("ENVDEMO_TOKEN")

stage greet env { GREETING: "hi", PYTHONHASHSEED: "1", HOME_COPY: env("HOME"), TOKEN: token } {
  sh(["sh", "-c", "echo $GREETING > greeting.txt; echo $PYTHONHASHSEED > seed.txt; echo \"the token is $TOKEN\""])
  artifact junit = test(runner: pytest, args: ["-q", "tests"], env: { ANSWER: "42", PYTHONHASHSEED: "0" })
}
CHAIN
git init -q -b develop
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm init

"$chain" plan > out.txt 2>&1 || fail "chain plan failed:"
grep -q "GREETING=hi PYTHONHASHSEED=1 HOME_COPY=$HOME TOKEN='\*\*\*' sh -c" out.txt || fail "the plan does not show the sh step's environment:"
grep -q "ANSWER=42 PYTHONHASHSEED=0 GREETING=hi HOME_COPY=$HOME TOKEN='\*\*\*' python3 -m pytest" out.txt ||
  fail "the plan does not show the test step's environment, its own env: first:"
! grep -q "$ENVDEMO_TOKEN" out.txt || fail "chain plan shows the secret:"
"$chain" plan --format json > out.txt 2>&1
! grep -q "$ENVDEMO_TOKEN" out.txt || fail "chain plan --format json shows the secret:"
grep -q '"TOKEN": "\*\*\*"' out.txt || fail "chain plan --format json does not show the masked TOKEN:"

"$chain" run > out.txt 2>&1 || fail "the run failed:"
[ "$(cat greeting.txt)" = hi ] || fail "the sh step did not get GREETING from the stage's env:"
[ "$(cat seed.txt)" = 1 ] || fail "the sh step did not get the stage's PYTHONHASHSEED:"
grep -q "1 test, passed\|1 tests\?, all passed" out.txt || fail "pytest did not pass with the environment it asserts on:"
log=$(ls .chain/runs/*/logs/greet/1-sh.log)
grep -qx 'the token is \*\*\*' "$log" || { cat "$log"; fail "the step's log does not show the masked token:"; }
! grep -rq "$ENVDEMO_TOKEN" .chain/runs out.txt || fail "the secret is in the run's output, logs or record:"
echo "ok: the stage's env and test's env: reach the processes, secrets masked"
