#!/usr/bin/env bash
# A project laid out as third-party Python projects are, not written for chain: setup.py takes its
# version from the package's module, tox.ini runs the tests, the code has flake8 findings. Its pipeline
# uses what such a project needs: tox under a matrix with a stage environment, lint allowed to fail,
# coverage of the package's own code, the matrix's reports listed by an sh step, and a stage named
# `release`. On develop the build stops at the version check until setup.py reads CHAIN_VERSION, as the
# message says; then the wheel reaches the index under the version chain planned.
#   tests/e2e/third_party_flow.sh CHAIN
source "$(dirname "$0")/common.sh" "$1"

project=$work/tinyunits
mkdir -p "$project/tinyunits" "$project/tests"
cd "$project"
cat >tinyunits/__init__.py <<'PY'
"""Conversions between units of length."""
import os

__version__ = "2.3.1"

_METRES = {"mm": 0.001, "cm": 0.01, "m": 1.0, "km": 1000.0, "in": 0.0254, "ft": 0.3048}


def convert(value, source, target):
    return value * _METRES[source] / _METRES[target]


def units():
    return sorted(_METRES)
PY
cat >tests/test_convert.py <<'PY'
import os

from tinyunits import convert, units


def test_kilometres_to_metres():
    assert convert(2, "km", "m") == 2000.0


def test_feet_to_inches():
    assert round(convert(1, "ft", "in"), 6) == 12.0


def test_units_sorted():
    assert units() == ["cm", "ft", "in", "km", "m", "mm"]


def test_stage_environment_reaches_tox():
    assert os.environ["TINYUNITS_SEED"] in ("0", "1")
    assert os.environ["TINYUNITS_MODE"] == "strict"
PY
cat >setup.py <<'PY'
import re

from setuptools import setup

with open("tinyunits/__init__.py") as module:
    version = re.search(r'__version__ = "([^"]+)"', module.read()).group(1)

setup(name="tinyunits", version=version, packages=["tinyunits"])
PY
# Offline: the tests run with the system's pytest, on the source tree.
cat >tox.ini <<'INI'
[tox]
envlist = py311
skipsdist = true

[testenv]
skip_install = true
sitepackages = true
setenv = PYTHONPATH = {toxinidir}
commands = python3 -m pytest {posargs}
INI
cat >pipeline.chain <<'CHAIN'
pipeline "tinyunits" kind library

param seeds: list<str> = ["0", "1"]

stage test matrix seed in seeds env { TINYUNITS_SEED: seed, TINYUNITS_MODE: "strict" } timeout 10m {
  artifact report = test(runner: tox, tox_env: "py311")
}

stage lint allow_failure {
  artifact findings = lint(tool: flake8, paths: ["tinyunits", "tests"])
}

stage coverage {
  artifact report = coverage(min: 80%, source: ["tinyunits"], env: { TINYUNITS_SEED: "0", TINYUNITS_MODE: "strict" })
}

stage reports {
  sh(["ls", "-1"] + test.report + [lint.findings, coverage.report])
  sh("for report in ${test.report}; do cat \"$report/junit.xml\"; done > junit-all.txt")
  artifact all = file("junit-all.txt")
}

stage build needs test, lint, coverage when develop or release/* {
  artifact wheel = package(format: wheel)
}

stage release needs build when develop or release/* {
  publish(build.wheel, to: pypi("../index"))
}
CHAIN
printf '.chain/\n' >.gitignore
git init -q -b master
git add -A
commit -m "tinyunits 2.3.1"
git tag v2.3.1
git checkout -q -b develop
commit --allow-empty -m "work on develop"
"$chain" check >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "chain check"; }

echo "== develop, setup.py with its own version"
status=0
run develop-1.out || status=$?
cat "$work/develop-1.out"
[ "$status" -eq 1 ] || fail "the build of 2.3.1 where 2.3.2.dev1 was planned exited $status, not 1"
for instance in 'test\[seed=0\]' 'test\[seed=1\]'; do
  grep -q "^ok      $instance .*(4 tests, all passed)" "$work/develop-1.out" || fail "the summary of $instance"
done
grep -q "^failed (allowed)  lint .* 2 findings" "$work/develop-1.out" || fail "lint's findings are allowed"
grep -q "^  lint  *failed (allowed)" "$work/develop-1.out" || fail "the table shows lint's failure allowed"
grep -q "^ok      coverage .*(coverage 100%)" "$work/develop-1.out" || fail "coverage of the package alone"
grep -qF "built tinyunits-2.3.1 but the pipeline asked for 2.3.2.dev1: make setup.py read the version from the CHAIN_VERSION environment variable (or use setuptools-scm)" \
  "$work/develop-1.out" || fail "the version check's message"
[ ! -e "$work/index" ] || fail "nothing is published after a failed build"
# The coverage report names the package's files, never the interpreter's.
grep -q 'filename="tinyunits/__init__.py"' .chain/out/coverage/report/coverage.xml || fail "coverage measured tinyunits"
if grep -q "site-packages\|/usr/lib/python3" .chain/out/coverage/report/coverage.xml; then
  fail "coverage measured the interpreter's packages"
fi
# The reports stage lists one report of each matrix instance, each a path of its own.
listed=$(grep -c "junit.xml$" .chain/runs/*/logs/reports/1-sh.log)
[ "$listed" -eq 2 ] || fail "the reports stage listed $listed reports, not 2"
[ "$(grep -o "<testsuite " .chain/out/reports/all/junit-all.txt | wc -l)" -eq 2 ] || fail "both reports concatenated"

echo "== develop, setup.py reading CHAIN_VERSION as the message says"
sed -i 's/^setup(name="tinyunits", version=version,/import os\n\nsetup(name="tinyunits", version=os.environ.get("CHAIN_VERSION", version),/' setup.py
commit -am "take the version chain builds"
version=$(planned_version)
[[ $version == 2.3.2.dev2 ]] || fail "develop plans $version, not 2.3.2.dev2"
run develop-2.out || { cat "$work/develop-2.out"; fail "chain run once setup.py reads CHAIN_VERSION"; }
cat "$work/develop-2.out"
grep -q "^ok      release .*(published 1 file)" "$work/develop-2.out" || fail "the release stage's summary"
[ -f "$work/index/simple/tinyunits/tinyunits-$version-py3-none-any.whl" ] || fail "the wheel $version in the index"
echo "third-party project: tested under tox twice, findings allowed, $version published"
