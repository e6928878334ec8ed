#!/usr/bin/env bash
# `package` builds what the pipeline asked for or fails: a setup.py project that takes its version from its
# module (as six does) and ignores CHAIN_VERSION is built for real with `python3 -m build`, and its wheel
# and sdist steps fail naming both versions; the same project reading CHAIN_VERSION passes.
#   package_version_check.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
export PATH=/usr/sbin:/usr/bin:/sbin:/bin # Debian's python3 with build, setuptools and wheel
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

# make_project NAME VERSION_EXPRESSION: $work/NAME, a git repository on release/1.0 whose setup.py
# gives setup() the version VERSION_EXPRESSION.
make_project() {
  mkdir -p "$work/$1/sixish"
  cd "$work/$1"
  printf '__version__ = "1.17.0"\n' > sixish/__init__.py
  cat > setup.py <<PY
import os
import re

from setuptools import setup

with open("sixish/__init__.py") as module:
    module_version = re.search(r'__version__ = "([^"]+)"', module.read()).group(1)

setup(name="sixish", version=$2, packages=["sixish"])
PY
  cat > pipeline.chain <<'CHAIN'
pipeline "sixish" kind library

stage build {
  artifact wheel = package(format: wheel)
  artifact sdist = package(format: sdist, version: version())
}
CHAIN
  git init -q -b release/1.0
  git add -A
  git -c user.name=t -c user.email=t@example.com commit -qm init
}

make_project ignores 'module_version'
code=0
"$chain" run > out.txt 2>&1 || code=$?
if [ "$code" != 1 ]; then
  echo "a build of 1.17.0 asked for 1.0.0rc1 exited $code, expected 1:"; cat out.txt; exit 1
fi
wanted='built sixish-1.17.0 but the pipeline asked for 1.0.0rc1: make setup.py read the version from the CHAIN_VERSION environment variable (or use setuptools-scm)'
grep -qF "$wanted" out.txt || { echo "the run does not say: $wanted"; cat out.txt; exit 1; }
grep -qF "$wanted" .chain/runs/*/run.json || { echo "the run record does not say: $wanted"; cat .chain/runs/*/run.json; exit 1; }

make_project reads 'os.environ.get("CHAIN_VERSION", module_version)'
"$chain" run > out.txt 2>&1 || { echo "a project reading CHAIN_VERSION failed:"; cat out.txt; exit 1; }
ls .chain/out/build/wheel/sixish-1.0.0rc1-py3-none-any.whl .chain/out/build/sdist/sixish-1.0.0rc1.tar.gz > /dev/null ||
  { echo "no 1.0.0rc1 wheel and sdist:"; ls -lR .chain/out/; exit 1; }
echo "ok: a wheel or sdist of another version than the one asked for fails the step, naming both"
