#!/usr/bin/env bash
# A matrix value that is a path (`/../../../../victim`) only names a stage instance: the instance's
# folders are safe names inside .chain/, and neither a failed stage's clean-up nor a stored artifact
# touches the folder it would lead to, beside the repository.
source "$(dirname "$0")/lib/common.sh"

# The instance is `s[v=/../../../../victim]`: from .chain/out/ its last name climbs to the repository's
# parent, where `victim]` waits.
box=$work/box
mkdir -p "$box/repo" "$box/victim]"
echo precious >"$box/victim]/data"
cd "$box/repo"
cat >pipeline.chain <<'EOF'
pipeline "p" kind library
param vs: list<str> = ["a"]
param code: str = "1"
stage s
  matrix v in vs
{
  sh("mkdir -p made && echo made > made/file && echo said")
  sh(["sh", "-c", "exit \"$0\"", code])
  artifact made = dir("made")
}
EOF
git init -q -b main
git add -A
git -c user.name=chain -c user.email=chain@localhost commit -q -m initial

status=0
"$chain" run -p 'vs=["/../../../../victim"]' >"$work/failed.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$work/failed.out"; fail "the failing stage: exit $status, expected 1"; }
[ "$(cat "$box/victim]/data" 2>/dev/null)" = precious ] || fail "a failed stage's clean-up removed $box/victim]"

"$chain" run -p 'vs=["/../../../../victim"]' -p code=0 >"$work/passed.out" 2>&1 ||
  { cat "$work/passed.out"; fail "the passing stage failed"; }
[ "$(cat "$box/victim]/data" 2>/dev/null)" = precious ] || fail "storing the artifact replaced $box/victim]"
[ "$(ls -A "$box/victim]")" = data ] || fail "chain wrote into $box/victim]: $(ls -A "$box/victim]")"
[ "$(ls -A "$box")" = "$(printf 'repo\nvictim]')" ] || fail "chain wrote beside the repository: $(ls -A "$box")"

# The instance's folders under their encoded name, and nothing named with a raw '[' or '/' under .chain.
encoded='s%5Bv=%2F..%2F..%2F..%2F..%2Fvictim%5D'
[ -L ".chain/out/$encoded/made" ] || fail "no artifact link at .chain/out/$encoded/made: $(ls -A .chain/out)"
[ "$(cat ".chain/out/$encoded/made/file")" = made ] || fail "the artifact's contents"
ls .chain/runs/*/logs/"$encoded"/1-sh.log >/dev/null 2>&1 || fail "no log under logs/$encoded: $(ls -R .chain/runs)"
[ -z "$(find .chain -name '*[[]*')" ] || fail "a folder with a raw '[' in .chain: $(find .chain -name '*[[]*')"
echo "ok: the instance's folders are .chain/out/$encoded and its logs, and $box/victim] is intact"
