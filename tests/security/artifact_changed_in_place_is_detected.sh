#!/usr/bin/env bash
# The store's objects are read-only, and a change made to one anyway is found: a stage that changes an
# artifact it uses fails naming it (as root, whom permissions do not stop), a cached stage whose object
# changed runs again instead of counting as up to date, and `chain verify` lists every damaged object.
source "$(dirname "$0")/lib/common.sh"

mkdir -p "$work/repo"
cd "$work/repo"
cat >pipeline.chain <<'EOF'
pipeline "p" kind library
param change: str = "no"
stage a inputs "pipeline.chain" {
  sh("mkdir -p o && echo original > o/file")
  artifact out = dir("o")
}
stage b {
  sh(["sh", "-c", "[ \"$0\" = no ] || echo changed >> \"$1/file\"", change, "${a.out}"])
}
EOF
git init -q -b main
git add -A
git -c user.name=chain -c user.email=chain@localhost commit -q -m initial

"$chain" run >"$work/first.out" 2>&1 || { cat "$work/first.out"; fail "the first run"; }
object=$(readlink -f .chain/out/a/out)
hash=$(basename "$object")
[ -z "$(find "$object" -perm /222)" ] || fail "the object is writable: $(find "$object" -perm /222 -ls)"

status=0
"$chain" run -p change=yes >"$work/change.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$work/change.out"; fail "the changing stage: exit $status, expected 1"; }
grep -qF "FAILED  b" "$work/change.out" || { cat "$work/change.out"; fail "b did not fail"; }
if [ "$(id -u)" -eq 0 ]; then
  grep -qF "changed the artifact a.out in place (.chain/artifacts/$hash); the artifacts a stage uses are read-only: copy one (cp -r) and change the copy" "$work/change.out" ||
    { cat "$work/change.out"; fail "no error naming the changed artifact"; }
else
  grep -rqF "Permission denied" .chain/runs || fail "the write into the read-only artifact was not refused"
fi

# The changed object is not trusted again: a runs anew (though its inputs did not change) and b gets the original.
"$chain" run >"$work/again.out" 2>&1 || { cat "$work/again.out"; fail "the run after the change"; }
grep -qF "ok      a" "$work/again.out" || { cat "$work/again.out"; fail "a was not run again"; }
[ "$(cat .chain/out/a/out/file)" = original ] || fail "a's artifact: $(cat .chain/out/a/out/file)"

"$chain" verify >"$work/verify.out" 2>&1 || { cat "$work/verify.out"; fail "verify of an intact store"; }
grep -qF "1 artifact in .chain/artifacts, all intact" "$work/verify.out" || { cat "$work/verify.out"; fail "verify said"; }

# Changed behind chain's back: verify names it and exits 1; run does not take a as up to date.
chmod u+w "$object/file"
echo tampered >>"$object/file"
status=0
"$chain" verify >"$work/tampered.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$work/tampered.out"; fail "verify: exit $status, expected 1"; }
grep -qxF "damaged: .chain/artifacts/$hash (its contents no longer have the SHA-256 it is named by)" "$work/tampered.out" ||
  { cat "$work/tampered.out"; fail "verify did not name the object"; }
"$chain" run >"$work/rerun.out" 2>&1 || { cat "$work/rerun.out"; fail "the run after tampering"; }
grep -qF "ok      a" "$work/rerun.out" || { cat "$work/rerun.out"; fail "a counted as up to date over a damaged object"; }
[ "$(cat .chain/out/a/out/file)" = original ] || fail "a's artifact after tampering: $(cat .chain/out/a/out/file)"
"$chain" verify >/dev/null 2>&1 || fail "the store is still damaged after the rerun"
echo "ok: read-only objects, a change in place fails b, a damaged object is made again, verify names it"
