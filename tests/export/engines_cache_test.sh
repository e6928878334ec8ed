#!/usr/bin/env bash
# chain's cache between pipelines, with the engines' own tools:
#  - gitlab-ci-local runs the exported pipeline in a fresh copy of the project per job (--shell-isolation,
#    as a runner does); its second pipeline on an unchanged project finds the stages with `inputs` (a plain
#    one and both instances of a matrix one) up to date, and the artifacts of a cached job still reach the
#    jobs that need it;
#  - a changed input file reruns its stage, and an upstream artifact that changed reruns the stage that
#    uses it, although that stage's own inputs did not change;
#  - every cache key GitLab gets is a valid one (no '/', not only dots), and the GitHub workflow with its
#    cache steps parses with GitHub's parser.
#   engines_cache_test.sh CHAIN NPM_PREFIX        exit 77 (skipped) when the npm tools are not installed
source "$(dirname "$0")/engines_common.sh" "$@"
here=$(realpath "$(dirname "$0")")
mkdir "$work/project"
git_in() { git -C "$work/project" -c user.name=chain -c user.email=chain@example.invalid -c commit.gpgsign=false "$@"; }

cd "$work/project"
cat >pipeline.chain <<'CHAIN'
pipeline "cached" kind library

param flavours: list<str> = ["a/b", "c"]

stage gen inputs "src/**" {
  sh("cat src/text.txt > gen.txt")
  artifact text = file("gen.txt")
}

stage use needs gen inputs "conf.txt" {
  sh("cat ${gen.text} conf.txt > used.txt")
  artifact used = file("used.txt")
}

stage show needs use {
  sh("echo \"shown: $(cat ${use.used})\" > shown.txt")
}

stage flavour matrix f in flavours inputs "src/**" {
  sh(["true"])
}
CHAIN
mkdir src
echo one >src/text.txt
echo conf >conf.txt
printf '.gitlab-ci-local/\n.chain/\ngen.txt\nused.txt\nshown.txt\n' >.gitignore
"$chain" export --to gitlab pipeline.chain >.gitlab-ci.yml
"$chain" export --to github pipeline.chain >"$work/github.yml"
git_in init -q -b develop
git_in add -A
git_in commit -q -m "the exported pipeline"

python3 - .gitlab-ci.yml <<'PY' || fail "GitLab's cache keys"
import sys, yaml
jobs = yaml.safe_load(open(sys.argv[1]))
keys = {name: job["cache"]["key"] for name, job in jobs.items() if isinstance(job, dict) and "cache" in job}
assert keys == {"gen": "chain-gen", "use": "chain-use", "flavour": "chain-flavour-$CI_NODE_INDEX"}, keys
for key in keys.values():
    assert "/" not in key and "%2F" not in key.upper() and key.strip(".") and key.replace("%2E", "") != "", key
assert jobs["gen"]["cache"]["paths"] == [".chain/cache/stages", ".chain/artifacts/"], jobs["gen"]["cache"]
PY
node "$here/validate_github.mjs" "$workflow_parser" "$work/github.yml" >/dev/null || fail "GitHub's parser refused the workflow"

pipeline() { # LOG: one gitlab-ci-local pipeline, each job in a fresh copy of the project
  (cd "$work/project" && "$gitlab_ci_local" --shell-isolation >"$work/$1" 2>&1) ||
    { cat "$work/$1"; fail "gitlab-ci-local failed ($1)"; }
}
shown() { # what the show job's stage found in use's artifact, in the job's own copy of the project
  cat "$work/project/.gitlab-ci-local/builds/show/shown.txt"
}
ran() { grep -qF "start   $2" "$work/$1"; }
expect() { # LOG STAGE ran|cached
  if [ "$3" = ran ]; then
    ran "$1" "$2" || { cat "$work/$1"; fail "$1: $2 did not run"; }
  else
    ! ran "$1" "$2" || { cat "$work/$1"; fail "$1: $2 was not up to date"; }
  fi
}
no_ops() { # LOG COUNT: how many jobs had nothing to do (a job runs one stage instance)
  [ "$(grep -c "1 stage up to date, nothing to run" "$work/$1")" = "$2" ] ||
    { cat "$work/$1"; fail "$1: not $2 jobs found their stage up to date"; }
}

pipeline first.log
for stage in gen use 'flavour[f=a/b]' 'flavour[f=c]'; do expect first.log "$stage" ran; done
no_ops first.log 0
[ "$(shown)" = "$(printf 'shown: one\nconf')" ] || { cat "$work/first.log"; fail "the show job did not get use's artifact"; }

pipeline second.log
for stage in gen use 'flavour[f=a/b]' 'flavour[f=c]'; do expect second.log "$stage" cached; done
no_ops second.log 4
expect second.log show ran # no inputs: it always runs
[ "$(shown)" = "$(printf 'shown: one\nconf')" ] ||
  { cat "$work/second.log"; fail "the artifact of the cached use job did not reach the show job"; }
echo "ok: the second pipeline on an unchanged project finds gen, use and both flavour instances up to date"

# gen's input changes, use's does not: use must not keep the result made from gen's old artifact.
echo two >src/text.txt
git_in commit -q -am "a changed input"
pipeline third.log
for stage in gen use; do expect third.log "$stage" ran; done
no_ops third.log 0 # a new commit is a new version, which every step sees
[ "$(shown)" = "$(printf 'shown: two\nconf')" ] || { cat "$work/third.log"; fail "show got a stale artifact of use"; }

pipeline fourth.log
for stage in gen use; do expect fourth.log "$stage" cached; done
no_ops fourth.log 4
[ "$(shown)" = "$(printf 'shown: two\nconf')" ] || { cat "$work/fourth.log"; fail "show got a stale artifact of use"; }
echo "ok: a changed input reruns its stage and the stage that uses its artifact, and the cache then holds the new records"
