#!/usr/bin/env bash
# An artifact folder holding symbolic links (a venv's bin/python -> /usr/bin/python3, lib64 -> lib) keeps
# the hash it was stored under once it is moved into the store, so the stages that use it do not report
# it as changed in place, and chain verify finds it intact.
source "$(dirname "$0")/lib/common.sh"
cd "$work"
cat >pipeline.chain <<'CHAIN'
pipeline "links"
stage make {
  sh("mkdir -p env/bin env/lib && ln -s /bin/sh env/bin/shell && ln -s lib env/lib64 && echo x > env/lib/data")
  artifact env = dir("env")
}
stage use needs make {
  sh("ls ${make.env}/lib64/")
}
CHAIN
git init -q -b develop
git add -A
git -c user.name=chain -c user.email=chain@localhost commit -q -m initial

status=0
"$chain" run >run.out 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "the run failed: $(cat run.out)"
status=0
"$chain" verify >verify.out 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "chain verify: $(cat verify.out)"
grep -q "all intact" verify.out || fail "chain verify: $(cat verify.out)"
echo "ok: an artifact with symbolic links is used by the next stage and matches its name"
