#!/usr/bin/env bash
# `chain plan --diff REV` over a real git history: each commit makes one kind of change to a pipeline and
# its import, and what `--diff HEAD~1` prints about it is compared with plan_diff_over_history.expected
# (CHAIN_REFRESH=1 rewrites that file). Also: a file that did not exist at REV, a REV with errors, a REV
# that does not exist, --exit-code and --format json.
#   plan_diff_over_history.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
expected="$(dirname "$(realpath "$0")")/plan_diff_over_history.expected"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
transcript="$work/transcript"
n=0
commit() {
  n=$((n + 1))
  git add -A
  GIT_COMMITTER_DATE="2026-01-01T00:00:${n}Z" git -c user.name=t -c user.email=t@example.com \
    -c commit.gpgsign=false commit -qm "$1" --date "2026-01-01T00:00:${n}Z"
}
# One case: the commit's subject, then chain's output and exit code.
case_() {
  local title=$1
  shift
  { echo "=== $title"; echo "\$ chain plan $*"; } >>"$transcript"
  set +e
  "$chain" plan "$@" >>"$transcript" 2>&1
  echo "--- exit $?" >>"$transcript"
  set -e
}
edit() { perl -0pi -e "$1" "${2:-pipeline.chain}"; }

git init -q -b develop
echo "shop" >README
commit "a repository without a pipeline"

mkdir ci
cat >ci/checks.chain <<'CHAIN'
fn checks(variant: str) {
  sh(["make", "test", variant])
}
CHAIN
cat >pipeline.chain <<'CHAIN'
pipeline "shop" kind application

import "ci/checks.chain"

param flavour: str = "plain"
let candidate: cond = release/*

stage test when develop | feature/* | candidate | master {
  checks(variant: flavour)
}

stage build needs test when develop | candidate | master {
  sh(["make", "build", "--flavour", flavour])
}

stage docs when develop {
  sh("make docs")
}

stage deploy manual when master {
  sh(["./deploy.sh", "production"], env: { TARGET: "prod" })
}
CHAIN
commit "the pipeline"
case_ "the file did not exist at REV" --diff HEAD~1

edit 's/let candidate: cond = release\/\*/let candidate: cond = release\/* | hotfix\/*/'
commit "condition widened through a let"
case_ "condition widened through a let" --diff HEAD~1

edit 's/stage docs /stage handbook /'
commit "stage renamed"
case_ "stage renamed" --diff HEAD~1

edit 's/stage deploy manual when master/stage deploy needs build manual when master/'
commit "needs added"
case_ "needs added" --diff HEAD~1

edit 's/"--flavour", flavour\]/"--flavour", flavour, "--jobs", "4"]/'
commit "an argument changed"
case_ "an argument changed" --diff HEAD~1

edit 's/  sh\(\["make", "test", variant\]\)\n/  sh(["make", "test", variant])\n  sh(["make", "lint"])\n/' ci/checks.chain
commit "an import changed"
case_ "an import changed" --diff HEAD~1

edit 's/TARGET: "prod"/TARGET: "production"/'
commit "an environment variable changed"
case_ "an environment variable changed" --diff HEAD~1

cat >>pipeline.chain <<'CHAIN'

stage notify when tag "v*" {
  sh("echo released")
}
CHAIN
commit "stage added"
case_ "stage added" --diff HEAD~1

edit 's/\nstage handbook when develop \{\n  sh\("make docs"\)\n\}\n//'
commit "stage removed"
case_ "stage removed" --diff HEAD~1

edit 's/stage test when develop \| feature\/\* \| candidate/stage test when develop | candidate/'
commit "condition narrowed"
case_ "condition narrowed" --diff HEAD~1

edit 's/stage notify when/stage notify manual when/'
commit "stage made manual"
case_ "stage made manual" --diff HEAD~1

edit 's/param flavour: str = "plain"/param flavour: str = "fancy"/'
commit "a param's default changed"
case_ "a param's default changed" --diff HEAD~1

edit 's/stage deploy needs build manual/stage deploy manual/'
commit "needs removed"
case_ "needs removed" --diff HEAD~1

edit 's/^pipeline "shop"/# The shop'"'"'s pipeline.\npipeline "shop"/'
commit "a comment added"
case_ "a comment added" --diff HEAD~1
case_ "a comment added, --exit-code" --diff HEAD~1 --exit-code
case_ "against the first pipeline, --exit-code" --diff HEAD~12 --exit-code
case_ "a param's default changed, as JSON" --diff HEAD~3 --format json

edit 's/stage build needs test/stage build needs tset/'
commit "a broken pipeline"
edit 's/stage build needs tset/stage build needs test/'
case_ "the pipeline at REV has errors" --diff HEAD
case_ "a REV that does not exist" --diff no-such-branch
case_ "--diff prints no mermaid" --diff HEAD~1 --format mermaid

if [ "${CHAIN_REFRESH:-}" = 1 ]; then
  cp "$transcript" "$expected"
  exit 0
fi
diff -u "$expected" "$transcript"
