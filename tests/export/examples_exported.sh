#!/usr/bin/env bash
# examples/exported/ holds what chain export prints for every example today.   examples_exported.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
cd "$(dirname "$0")/../.."
for example in library application deployment; do
  diff -u "examples/exported/$example.gitlab-ci.yml" <("$chain" export --to gitlab "examples/$example/pipeline.chain")
  diff -u "examples/exported/$example.github.yml" <("$chain" export --to github "examples/$example/pipeline.chain")
done
echo "ok: examples/exported/ is what chain export prints (regenerate with the commands in the README)"
