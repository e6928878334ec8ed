#!/usr/bin/env bash
# An exported manual stage runs when the engine's button (GitLab's `when: manual`) or its reviewers
# (GitHub's environment) let its job start: the job's own script line, run by a real shell with the real
# chain, runs the stage instead of reporting it as not approved.   manual_stage_runs.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
mkdir -p "$work/bin" "$work/repo"
ln -s "$chain" "$work/bin/chain"
cd "$work/repo"
cat >pipeline.chain <<'CHAIN'
pipeline "m" kind deployment
stage build {
  sh(["touch", "built"])
}
stage deploy needs build manual {
  sh(["touch", "deployed"])
}
CHAIN
git init -q -b develop
git add -A
git -c user.name=chain -c user.email=chain@localhost commit -q -m initial

for engine in gitlab github; do
  "$chain" export --to "$engine" pipeline.chain >"$work/$engine.yml"
  script=$(python3 - "$work/$engine.yml" "$engine" <<'PY'
import sys, yaml
document = yaml.safe_load(open(sys.argv[1]))
if sys.argv[2] == "gitlab":
    job = document["deploy"]
    assert [rule.get("when") for rule in job["rules"]] == ["manual"], job
    print(job["script"][0])
else:
    steps = document["jobs"]["deploy"]["steps"]
    print([step["run"] for step in steps if "run" in step and "chain run" in step["run"]][0])
PY
  )
  rm -f deployed
  status=0
  PATH="$work/bin:$PATH" sh -c "$script" >"$work/$engine.out" 2>&1 || status=$?
  [ "$status" -eq 0 ] || fail "$engine: '$script' exited $status: $(cat "$work/$engine.out")"
  [ -e deployed ] || fail "$engine: '$script' did not run the manual stage: $(cat "$work/$engine.out")"
done
echo "ok: the exported manual stage's job runs the stage on GitLab and GitHub"
