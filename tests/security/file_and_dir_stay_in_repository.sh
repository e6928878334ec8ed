#!/usr/bin/env bash
# file() and dir() take what the stage made in the repository: a relative path that leaves it (through
# `..` or a symbolic link) and an absolute path the pipeline does not write literally (a parameter's) are
# errors when the stage runs; an absolute path written in the pipeline is read, with a warning at check.
# A link inside a dir() is kept as a link, never followed.
source "$(dirname "$0")/lib/common.sh"

box=$work/box
mkdir -p "$box/repo" "$box/outside"
echo secret >"$box/outside/secret"
cd "$box/repo"
ln -s ../outside link
cat >pipeline.chain <<EOF
pipeline "f" kind library
param which: str = "made.txt"
stage up { artifact a = file("../outside/secret") }
stage linked { artifact a = file("link/secret") }
stage computed { artifact a = file(which) }
stage literal { artifact a = file("$box/outside/secret") }
stage tree {
  sh("mkdir -p tree && echo mine > tree/mine && ln -s $box/outside/secret tree/theirs")
  artifact a = dir("tree")
}
EOF
git init -q -b main
git add -A
git -c user.name=chain -c user.email=chain@localhost commit -q -m initial

"$chain" check pipeline.chain >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "check failed"; }
grep -qF "warning[W0507]: file(\"../outside/secret\") takes a path outside the repository: '..' leads out of it, which is an error when the stage runs" "$work/check.out" ||
  { cat "$work/check.out"; fail "no W0507 for '..'"; }
grep -qF "warning[W0507]: file(\"$box/outside/secret\") takes a path outside the repository: an absolute path, which chain reads as written" "$work/check.out" ||
  { cat "$work/check.out"; fail "no W0507 for the absolute path"; }
grep -qF "warning[W0507]: file(\"link/secret\") takes a path outside the repository: a symbolic link leads it to $box/outside/secret, which is an error when the stage runs" "$work/check.out" ||
  { cat "$work/check.out"; fail "no W0507 for the link"; }

status=0
"$chain" run --keep-going -p "which=$box/outside/secret" >"$work/run.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$work/run.out"; fail "exit $status, expected 1"; }
expect() { grep -qF -- "$1" "$work/run.out" || { cat "$work/run.out"; fail "expected: $1"; }; }
expect "FAILED  up"
expect "refusing to read ../outside/secret: it leaves the repository through '..'; write an absolute path to read a file outside on purpose"
expect "FAILED  linked"
expect "refusing to read link/secret: a symbolic link leads it out of the repository, to $box/outside/secret"
expect "FAILED  computed"
expect "refusing to read $box/outside/secret: an absolute path that the pipeline does not write literally (it came from a parameter or a value) is not read"
expect "ok      literal"
expect "ok      tree"
[ "$(cat .chain/out/literal/a/secret)" = secret ] || fail "the literal absolute path was not read"
for stage in up linked computed; do
  [ ! -e ".chain/out/$stage/a" ] || fail "$stage made an artifact: $(ls -lR ".chain/out/$stage")"
done
[ -L .chain/out/tree/a/theirs ] || fail "the link in dir() was not kept as a link"
[ "$(readlink .chain/out/tree/a/theirs)" = "$box/outside/secret" ] || fail "the link's target changed"
[ "$(cat .chain/out/tree/a/mine)" = mine ] || fail "dir()'s own file"
echo "ok: '..', a link out and a parameter's absolute path refused; a literal absolute path read; a link kept"
