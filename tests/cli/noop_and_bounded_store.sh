#!/usr/bin/env bash
# A run with nothing to do prints one line; a run with work lists only the stages that did something and
# counts the rest; `.chain/runs` keeps the last --keep-runs runs; `chain gc` removes the store objects that
# nothing refers to any more, and only those.   noop_and_bounded_store.sh CHAIN
set -euo pipefail
chain=$1
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
git init -q -b develop
cat > pipeline.chain <<'PIPE'
stage gen inputs "gen.txt" {
  sh("cp gen.txt made.txt")
  artifact made = file("made.txt")
}
stage use needs gen inputs "use.txt" {
  sh(["cat", gen.made])
}
stage other inputs "other.txt" {
  sh("cat other.txt")
}
PIPE
echo one > gen.txt; echo use > use.txt; echo other > other.txt
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm init
"$chain" run > first.txt || { cat first.txt; fail "the first run failed"; }
grep -q '^run (unnamed) on branch develop' first.txt || { cat first.txt; fail "the first run has no heading"; }

# Nothing changed: one line, naming the record, which says every stage was up to date.
"$chain" run > noop.txt || { cat noop.txt; fail "the no-op run failed"; }
[ "$(wc -l < noop.txt)" = 1 ] || { cat noop.txt; fail "a no-op printed more than one line"; }
grep -Eqx '3 stages up to date, nothing to run \(run record: \.chain/runs/[0-9TZ-]+/run\.json\)' noop.txt ||
  { cat noop.txt; fail "the no-op line is not as documented"; }
record=$(sed -E 's/.*run record: (.*)\)$/\1/' noop.txt)
[ "$(grep -o '"status":"up-to-date"' "$record" | wc -l)" = 3 ] || { cat "$record"; fail "the record does not say up-to-date 3 times"; }

# --verbose: the heading, a line per cached stage and the whole table.
"$chain" run --verbose > verbose.txt
grep -q '^run (unnamed) on branch develop' verbose.txt || { cat verbose.txt; fail "--verbose has no heading"; }
grep -qx 'cached  other  (up to date)' verbose.txt || { cat verbose.txt; fail "--verbose does not list cached stages"; }
grep -Eq '^  other +up-to-date' verbose.txt || { cat verbose.txt; fail "--verbose has no full table"; }

# One input changed: gen and use run again (use needs what gen made), other is counted, not listed.
echo two > gen.txt
"$chain" run > work.txt || { cat work.txt; fail "the run with work failed"; }
grep -Eq '^  gen +success' work.txt && grep -Eq '^  use +success' work.txt || { cat work.txt; fail "gen and use are not in the table"; }
! grep -Eq '^  other ' work.txt || { cat work.txt; fail "an up-to-date stage is in the table without --verbose"; }
grep -qx '  + 1 stage up to date' work.txt || { cat work.txt; fail "the up-to-date stages are not counted"; }
! grep -q '^cached ' work.txt || { cat work.txt; fail "cached lines without --verbose"; }

# --keep-runs: the newest runs stay, older ones go with their logs; a folder chain did not make stays.
mkdir .chain/runs/notes
for _ in 1 2 3; do "$chain" run --keep-runs 2 > /dev/null; done
last=$("$chain" run --keep-runs 2 | sed -E 's/.*run record: \.chain\/runs\/([^/]+)\/run\.json\)?$/\1/')
kept=$(ls .chain/runs | grep -v '^notes$' | sort)
[ "$(echo "$kept" | wc -l)" = 2 ] || { echo "$kept"; fail "--keep-runs 2 kept another number of runs"; }
echo "$kept" | grep -qx "$last" || { echo "$kept"; fail "the newest run is not among the kept ones"; }
[ -d .chain/runs/notes ] || fail "--keep-runs removed a folder that is not a run"
"$chain" run --keep-runs 0 > /dev/null
[ "$(ls .chain/runs | grep -vc '^notes$')" = 3 ] || { ls .chain/runs; fail "--keep-runs 0 removed a run"; }

# gc: the object of the first gen.txt is named by no kept record (those runs are gone), no cache record
# and no link; the current one is.
old=$(printf 'one\n' | sha256sum | cut -d' ' -f1)
new=$(printf 'two\n' | sha256sum | cut -d' ' -f1)
[ -e ".chain/artifacts/$old" ] && [ -e ".chain/artifacts/$new" ] || { ls .chain/artifacts; fail "the objects are not where expected"; }
"$chain" gc --dry-run > dry.txt
grep -qx "would remove .chain/artifacts/$old  4 B" dry.txt || { cat dry.txt; fail "gc --dry-run does not list the old object"; }
grep -qx '1 object would be removed, 4 B freed (--dry-run: nothing was removed)' dry.txt || { cat dry.txt; fail "gc --dry-run total"; }
[ -e ".chain/artifacts/$old" ] || fail "gc --dry-run removed something"

# gc waits for a run that holds the folder; with --no-wait it says who holds it and exits 2.
exec 9> .chain/lock
flock 9
code=0; "$chain" gc --no-wait > locked.txt 2>&1 || code=$?
[ "$code" = 2 ] && grep -q 'is running in this folder (--no-wait)' locked.txt || { cat locked.txt; fail "gc did not respect the run lock (exit $code)"; }
exec 9>&-

"$chain" gc > gc.txt
grep -qx 'removed 1 object from .chain/artifacts, 4 B freed' gc.txt || { cat gc.txt; fail "gc output"; }
[ ! -e ".chain/artifacts/$old" ] && [ -e ".chain/artifacts/$new" ] || { ls .chain/artifacts; fail "gc removed the wrong objects"; }
"$chain" gc > again.txt
grep -q '^nothing to remove' again.txt || { cat again.txt; fail "a second gc found something"; }
"$chain" run > after.txt
grep -q '^3 stages up to date, nothing to run' after.txt || { cat after.txt; fail "after gc the stages are not up to date"; }
echo "ok: a no-op prints one line, runs are kept to --keep-runs, gc removes only unreferenced objects"
