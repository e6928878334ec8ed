#!/usr/bin/env bash
# chain run looks at the last run's input files while it plans (on a thread, under the run lock). What it
# saw must never hide a change: not one made by a stage of the same run, not one made by another run it
# waited for. And a run that took the lock without naming itself leaves an interrupted run's note alone.
#   inputs_looked_at_ahead.sh CHAIN
set -euo pipefail
chain=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
git init -q -b develop
git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m init

# 1. A stage writes the input of a stage after it. Each run stamps made.txt with a time of its own in the
#    past, so that the stamp is trusted, and differs from run to run only by what gen does.
cat > pipeline.chain <<'PIPE'
stage gen { sh("cp counter.txt made.txt && touch -d @$(cat counter.txt)000000 made.txt") }
stage use needs gen inputs "made.txt" { sh("cp made.txt used.txt") }
PIPE
echo 1 > counter.txt
"$chain" run > first.txt || { cat first.txt; fail "the first run failed"; }
echo 2 > counter.txt
"$chain" run > second.txt || { cat second.txt; fail "the second run failed"; }
grep -Eq '^  use +success' second.txt || { cat second.txt; fail "use was not run again though gen changed its input"; }
[ "$(cat used.txt)" = 2 ] || fail "use read the made.txt of the run before"

# 2. Another run changes an input while this one waits for the folder. The first run's step tells the
#    test it has begun (fifo ready), then waits for the test (fifo gate) before it changes input.txt.
cat > pipeline.chain <<'PIPE'
stage hold { sh("echo begun > ready && cat gate > /dev/null && echo 2 > input.txt && touch -d @2000000 input.txt") }
stage use inputs "input.txt" { sh("cp input.txt used.txt") }
PIPE
echo 1 > input.txt && touch -d @1000000 input.txt
"$chain" run --stage use > stamped.txt || { cat stamped.txt; fail "the run that stamps input.txt failed"; }
mkfifo ready gate waiting
"$chain" run --stage hold > holder.txt 2>&1 &
holder=$!
read -r begun < ready
[ "$begun" = begun ] || fail "the holding run's step did not begin"
"$chain" run --stage use > waiting 2>&1 &
waiter=$!
exec 7< waiting
read -r first_line <&7
[[ "$first_line" == "waiting for the run "* ]] || fail "the second run did not wait for the first: $first_line"
echo go > gate
wait "$holder" || { cat holder.txt; fail "the holding run failed"; }
cat <&7 > waited.txt
exec 7<&-
wait "$waiter" || { cat waited.txt; fail "the waiting run failed"; }
grep -Eq '^  use +success' waited.txt || { cat waited.txt; fail "use was not run though the run it waited for changed its input"; }
[ "$(cat used.txt)" = 2 ] || fail "use did not read the changed input.txt"

# 3. An interrupted run's note in the lock stays through a gc and a run that fails before it begins; the
#    next run that begins reports it.
id=20260101T000000Z-4242
mkdir -p ".chain/runs/$id"
echo '{"run": "'$id'", "status": "running"}' > ".chain/runs/$id/run.json"
echo "$id 4242" > .chain/lock
"$chain" gc > gc.txt || { cat gc.txt; fail "gc failed"; }
"$chain" run --stage nothing-like-it > unknown.txt 2>&1 && fail "a run of an unknown stage passed"
"$chain" run --stage use > noted.txt || { cat noted.txt; fail "the run after them failed"; }
grep -qx "the previous run $id (pid 4242) was interrupted" noted.txt || { cat noted.txt; fail "the interrupted run's note was lost"; }
grep -q '"status": "interrupted"' ".chain/runs/$id/run.json" || fail "the interrupted run's record does not say so"
# 4. A cache file that cannot be read (a folder in its place) is the run's error, as when nothing looked
#    ahead: the stage is not taken for up to date from the other file, and nothing runs.
for name in files stages; do
  rm -rf .chain/cache && "$chain" run --stage use > /dev/null || fail "the run that remakes the cache failed"
  rm ".chain/cache/$name" && mkdir ".chain/cache/$name"
  code=0; "$chain" run --stage use > unreadable.txt 2>&1 || code=$?
  [ "$code" = 2 ] && grep -q "chain: error: cannot read: .*/\.chain/cache/$name: Is a directory" unreadable.txt ||
    { cat unreadable.txt; fail "an unreadable cache/$name is not the run's error (exit $code)"; }
  ! grep -q 'up to date' unreadable.txt || { cat unreadable.txt; fail "a stage was up to date beside an unreadable cache/$name"; }
done
echo "ok: what a run saw before it planned never hides a change, and the lock's note of an interrupted run stays"
