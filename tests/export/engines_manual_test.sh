#!/usr/bin/env bash
# An exported manual stage, run by GitLab's own job runner (gitlab-ci-local): without pressing its button
# the pipeline leaves the job alone and the stage's effect is absent; with the job pressed (--manual), the
# job runs the stage through chain and its effect is there.
#   engines_manual_test.sh CHAIN NPM_PREFIX        exit 77 (skipped) when gitlab-ci-local is not installed
source "$(dirname "$0")/engines_common.sh" "$@"
mkdir "$work/project"

cd "$work/project"
cat >pipeline.chain <<'CHAIN'
pipeline "m" kind deployment
stage build {
  sh(["touch", "built"])
}
stage deploy needs build manual {
  sh("echo deployed by chain > deployed")
}
CHAIN
printf '.gitlab-ci-local/\n.chain/\nbuilt\ndeployed\n' >.gitignore
"$chain" export --to gitlab pipeline.chain >.gitlab-ci.yml
git init -q -b develop
git add -A
git -c user.name=chain -c user.email=chain@example.invalid -c commit.gpgsign=false commit -q -m "the exported pipeline"

"$gitlab_ci_local" >"$work/unpressed.log" 2>&1 || { cat "$work/unpressed.log"; fail "gitlab-ci-local failed"; }
grep -q "PASS  build" "$work/unpressed.log" || { cat "$work/unpressed.log"; fail "the build job did not pass"; }
[ -e built ] || fail "the build job did not run the build stage"
[ ! -e deployed ] || { cat "$work/unpressed.log"; fail "the manual deploy job ran without being pressed"; }
! grep -q "PASS  deploy" "$work/unpressed.log" || { cat "$work/unpressed.log"; fail "deploy passed without being pressed"; }
echo "ok: without pressing it, gitlab-ci-local leaves the manual deploy job alone"

"$gitlab_ci_local" --manual deploy >"$work/pressed.log" 2>&1 || { cat "$work/pressed.log"; fail "gitlab-ci-local --manual deploy failed"; }
grep -q "PASS  deploy" "$work/pressed.log" || { cat "$work/pressed.log"; fail "the pressed deploy job did not pass"; }
[ "$(cat deployed 2>/dev/null)" = "deployed by chain" ] ||
  { cat "$work/pressed.log"; fail "the pressed deploy job passed without running the deploy stage"; }
grep -q "ok      deploy" "$work/pressed.log" || { cat "$work/pressed.log"; fail "chain did not report the deploy stage ok"; }
echo "ok: the pressed manual job runs the deploy stage through chain"
