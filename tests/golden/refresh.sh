#!/usr/bin/env bash
# Regenerates every tests/golden/**/*.expected from the current build; review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/../.."
chain=${1:-build/chain}
for case in tests/golden/check/*.chain tests/golden/cli/*.cmd; do
  [ -e "$case" ] || continue
  tests/golden/run_case.sh "$chain" "$case" --refresh
done
echo "refreshed; review with: git diff tests/golden"
