#!/usr/bin/env bash
# While a run goes, run.json names every stage with where it is (a page that shows the run reads it): a
# stage blocked on a pipe is `running`, the one that needs it `waiting`, one done `success`.
#   running_record_shows_stages.sh CHAIN
set -euo pipefail
chain=$1
work=$(mktemp -d)
trap 'exec 8>&- 2>/dev/null || true; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
git init -q -b develop
mkfifo release
cat > pipeline.chain <<'PIPE'
stage quick {
  sh("true")
}
stage block needs quick {
  sh("echo started > started; read line < release")
}
stage after needs block {
  sh("true")
}
PIPE
git add pipeline.chain
git -c user.name=t -c user.email=t@example.com commit -qm init
"$chain" run > run.txt 2>&1 &
pid=$!
# Waits on files chain writes, with a bound: no fixed sleep decides anything.
for _ in $(seq 200); do [ -e started ] && break; sleep 0.05; done
[ -e started ] || { cat run.txt; fail "the blocking stage did not start"; }
record=""
for _ in $(seq 200); do
  record=$(ls .chain/runs/*/run.json)
  grep -q '"name":"block"' "$record" && break
  sleep 0.05
done
grep -q '"name":"block"' "$record" || { cat "$record"; fail "the running record never listed the stages"; }
python3 - "$record" <<'PY' || fail "the running record is not as expected"
import json, sys
record = json.load(open(sys.argv[1]))
assert record["status"] == "running", record["status"]
assert isinstance(record["pid"], int)
statuses = {stage["name"]: stage["status"] for stage in record["stages"]}
assert statuses == {"quick": "success", "block": "running", "after": "waiting"}, statuses
PY
exec 8> release
echo go >&8
exec 8>&-
wait "$pid" || { cat run.txt; fail "the run failed"; }
pid=""
python3 - "$record" <<'PY' || fail "the final record is not as expected"
import json, sys
record = json.load(open(sys.argv[1]))
assert record["status"] == "success" and "pid" not in record, record
assert [stage["status"] for stage in record["stages"]] == ["success"] * 3, record["stages"]
PY
echo "ok: a running run's record lists its stages with their statuses so far"
