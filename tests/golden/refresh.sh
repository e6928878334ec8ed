#!/usr/bin/env bash
# Regenerates every tests/golden/**/*.expected from the current build; review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/../.."
chain=${1:-build/chain}
find tests/golden -name '*.chain' -o -name '*.cmd' -o -name '*.repl' | grep -v -e /included/ -e /golden/fmt/ -e /golden/export/ | sort | while read -r case; do
  tests/golden/run_case.sh "$chain" "$case" --refresh
done
echo "refreshed; review with: git diff tests/golden"
