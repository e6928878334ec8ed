#!/usr/bin/env bash
# A pipeline file, or a file it imports, that never ends (/dev/zero) is refused at 64 MiB with a clear
# error: chain check, chain plan and chain lsp would otherwise read, and allocate, forever.
source "$(dirname "$0")/lib/common.sh"
cd "$work"

status=0
timeout 60 "$chain" check /dev/zero >out.txt 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "chain check /dev/zero: exit $status, expected 2: $(head -c 300 out.txt)"
grep -qF "'/dev/zero' is larger than 64 MiB, more than a pipeline file can be" out.txt ||
  fail "chain check /dev/zero: $(head -c 300 out.txt)"

printf 'pipeline "p"\nimport "/dev/zero"\nstage s {\n  sh("true")\n}\n' >pipeline.chain
status=0
timeout 60 "$chain" check pipeline.chain >out.txt 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "an import of /dev/zero: exit $status, expected 1: $(head -c 300 out.txt)"
grep -qF "larger than 64 MiB" out.txt || fail "an import of /dev/zero: $(head -c 300 out.txt)"

# A pipe of an ordinary size still reads whole.
status=0
printf 'pipeline "p"\nstage s {\n  sh("true")\n}\n' | "$chain" check /dev/stdin >out.txt 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "a pipeline from a pipe: exit $status: $(cat out.txt)"
echo "ok: /dev/zero refused as a file and as an import; a pipe still read"
