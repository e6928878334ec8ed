#!/usr/bin/env bash
# chain export against the engines' own tools:
#  - every example's GitHub workflow parses with GitHub's parser (@actions/workflow-parser);
#  - for every example and each kind of ref, the jobs gitlab-ci-local lists on that ref are the stages
#    chain plan runs there (manual stages approved: GitLab lists them as manual jobs);
#  - gitlab-ci-local really runs the library's exported pipeline on develop, and it succeeds.
#   engines_test.sh CHAIN NPM_PREFIX        exit 77 (skipped) when the npm tools are not installed
source "$(dirname "$0")/engines_common.sh" "$@"
repo=$(realpath "$(dirname "$0")/../..")

for example in library application deployment; do
  "$chain" export --to github "$repo/examples/$example/pipeline.chain" >"$work/$example.yml"
done
# A matrix of two instances, as the engine's matrix.
"$chain" export --to github "$repo/examples/library/pipeline.chain" -p 'pythons=["3.11","3.12"]' >"$work/matrix.yml"
node "$repo/tests/export/validate_github.mjs" "$workflow_parser" "$work"/*.yml || fail "GitHub's parser refused a workflow"

git_in() { git -C "$1" -c user.name=chain -c user.email=chain@example.invalid -c commit.gpgsign=false "${@:2}"; }
jobs_listed() { # REPOSITORY [OPTIONS]: the job names gitlab-ci-local lists there
  (cd "$1" && "$gitlab_ci_local" --list "${@:2}" 2>/dev/null) | awk 'seen { print $1 } /^name/ { seen = 1 }' | sort -u
}
stages_planned() { # FILE REF-ARGS...: the stages chain plan runs, manual ones approved
  local file=$1
  shift
  local manual
  manual=$("$chain" plan --format json "$@" "$file" | python3 -c '
import json, sys
print(" ".join("--approve " + s["stage"] for s in json.load(sys.stdin)["stages"] if "manual" in s["reason"]))')
  # shellcheck disable=SC2086
  "$chain" plan --format json "$@" $manual "$file" |
    python3 -c 'import json, sys; print("\n".join(sorted({s["stage"] for s in json.load(sys.stdin)["stages"] if s["runs"]})))'
}

compared=0
for example in library application deployment; do
  project="$work/list-$example"
  mkdir "$project"
  git_in "$project" init -q -b develop
  cp -r "$repo/examples" "$project/"
  (cd "$project" && "$chain" export --to gitlab "examples/$example/pipeline.chain" >.gitlab-ci.yml)
  git_in "$project" add -A
  git_in "$project" commit -q -m "the exported pipeline"
  git_in "$project" tag v1.0.0
  for ref in develop feature/login release/1.4 hotfix/1.4.1 support/1.x master main; do
    git_in "$project" checkout -q -B "$ref"
    listed=$(jobs_listed "$project")
    planned=$(stages_planned "$project/examples/$example/pipeline.chain" --branch "$ref")
    [ "$listed" = "$planned" ] ||
      fail "$example on $ref: gitlab-ci-local lists [$(echo $listed)], chain plan runs [$(echo $planned)]"
    compared=$((compared + 1))
  done
  # gitlab-ci-local does not take a checked-out tag for a tag pipeline: its variables are set as GitLab
  # sets them in one (CI_COMMIT_TAG, and no CI_COMMIT_BRANCH).
  git_in "$project" checkout -q v1.0.0
  listed=$(jobs_listed "$project" --variable CI_COMMIT_TAG=v1.0.0 --unset-variable CI_COMMIT_BRANCH)
  planned=$(stages_planned "$project/examples/$example/pipeline.chain" --tag v1.0.0)
  [ "$listed" = "$planned" ] ||
    fail "$example on tag v1.0.0: gitlab-ci-local lists [$(echo $listed)], chain plan runs [$(echo $planned)]"
  compared=$((compared + 1))
done
echo "ok: on 7 branch kinds and a tag of 3 examples ($compared cases) gitlab-ci-local lists the jobs chain plan runs"

project="$work/run"
mkdir "$project"
git_in "$project" init -q -b develop
cp -r "$repo/examples" "$project/"
printf '.gitlab-ci-local/\n.chain/\n.index/\n' >"$project/.gitignore"
(cd "$project" && "$chain" export --to gitlab examples/library/pipeline.chain >.gitlab-ci.yml)
git_in "$project" add -A
git_in "$project" commit -q -m "the exported pipeline"
(cd "$project" && "$gitlab_ci_local" >"$work/run.log" 2>&1) || { cat "$work/run.log"; fail "gitlab-ci-local failed"; }
for job in test build downstream; do
  grep -q "PASS  $job" "$work/run.log" || { cat "$work/run.log"; fail "job $job did not pass"; }
done
grep -q "ok      test\[python=3.11\] .*3 tests, all passed" "$work/run.log" || fail "the test job did not run the tests"
ls "$project"/examples/.index/simple/acme-utils/acme_utils-*.whl >/dev/null ||
  fail "the build job did not publish the wheel, from the artifact of the test job's pipeline"
echo "ok: gitlab-ci-local ran the library's exported pipeline on develop: test, build (wheel published), downstream"
