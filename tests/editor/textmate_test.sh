#!/usr/bin/env bash
# The VS Code extension's TextMate grammar against the annotated samples in tests/editor/grammar/, with
# vscode-tmgrammar-test, which ./dev.sh test installs with npm into build/npm.
#   textmate_test.sh TOOL        exit 77 (skipped) when TOOL is not installed
set -euo pipefail
tool=$1
repo=$(realpath "$(dirname "$0")/../..")
if [ ! -x "$tool" ]; then
  echo "skipped: $tool is not installed (./dev.sh test installs it with npm)"
  exit 77
fi
"$tool" -g "$repo/editor-support/vscode/syntaxes/chain.tmLanguage.json" "$repo"/tests/editor/grammar/*.chain
