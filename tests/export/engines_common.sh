# Sourced by the tests that run exports with the engines' own tools: chain and the npm prefix from the
# script's arguments (CHAIN NPM_PREFIX), exit 77 (skipped) when the npm tools are not installed, a work
# folder removed at exit, and chain on the PATH of the jobs, as on a runner.
set -euo pipefail
chain=$(realpath "$1")
npm_prefix=$2
gitlab_ci_local=$npm_prefix/node_modules/.bin/gitlab-ci-local
workflow_parser=$npm_prefix/node_modules/@actions/workflow-parser
if [ ! -x "$gitlab_ci_local" ] || [ ! -d "$workflow_parser" ]; then
  echo "skipped: gitlab-ci-local and @actions/workflow-parser are not installed (./dev.sh test installs them with npm)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$chain" "$work/bin/chain"
export PATH="$work/bin:/usr/sbin:/usr/bin:/sbin:/bin"
fail() { echo "FAILED: $*" >&2; exit 1; }
