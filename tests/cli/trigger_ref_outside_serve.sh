#!/usr/bin/env bash
# trigger(ref: ...) under plain `chain run`: the sibling downstream's pipeline runs planned for that branch or
# tag, as `chain run --branch|--tag`; a ref that is none (from a param, so the checker cannot see it) stops the
# trigger step with the reason before any command runs, and nothing of the downstream runs.
#   trigger_ref_outside_serve.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
fail() { echo "$1"; shift; for file; do echo "--- $file"; cat "$file"; done; exit 1; }
commit_all() { git -C "$1" add -A && git -C "$1" -c user.name=t -c user.email=t@example.com commit -qm "$2"; }

mkdir "$work/up" "$work/down"
cat > "$work/down/pipeline.chain" <<'CHAIN'
pipeline "down"

stage on_stable when branch "stable" {
  sh("echo stable > ran-on-stable.txt")
}

stage on_release when tag "v*" {
  sh("echo ${version()} > ran-on-tag.txt")
}
CHAIN
git -C "$work/down" init -q -b develop
commit_all "$work/down" "down"
git -C "$work/down" tag v2.0.0
cat > "$work/up/pipeline.chain" <<'CHAIN'
pipeline "up"

param downstream_ref: str = "stable"

stage pinned {
  trigger("../down", ref: downstream_ref)
}
CHAIN
git -C "$work/up" init -q -b develop
commit_all "$work/up" "up"

cd "$work/up"
"$chain" run > run.txt 2>&1 || fail "chain run with ref: stable failed" run.txt
[ "$(cat ../down/ran-on-stable.txt)" = stable ] || fail "the downstream did not run as on branch stable" run.txt
grep -q '"name": "stable"' .chain/scratch/pinned/downstream-run.json ||
  fail "the downstream's record is not of branch stable" .chain/scratch/pinned/downstream-run.json

"$chain" run -p downstream_ref=refs/tags/v2.0.0 > tag.txt 2>&1 || fail "chain run with a tag ref failed" tag.txt
[ "$(cat ../down/ran-on-tag.txt)" = 2.0.0 ] || fail "the downstream did not run as on tag v2.0.0" tag.txt

rm -rf ../down/.chain ../down/ran-on-*.txt
for hostile in "--upload-pack=touch pwned" "refs/heads/../x" "a b" ".." "refs/remotes/origin/x"; do
  if "$chain" run -p "downstream_ref=$hostile" > hostile.txt 2>&1; then
    fail "chain run with ref '$hostile' succeeded" hostile.txt
  fi
  grep -qF "trigger's ref '$hostile' cannot name a branch or tag" hostile.txt ||
    fail "no clear reason for ref '$hostile'" hostile.txt
  [ ! -e ../down/.chain ] && [ ! -e pwned ] && [ ! -e ../down/pwned ] ||
    fail "something of the downstream ran with ref '$hostile'" hostile.txt
done
echo ok
