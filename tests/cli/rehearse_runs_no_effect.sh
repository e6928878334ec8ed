#!/usr/bin/env bash
# chain run --rehearse: every step but the effects runs; each effect is shown and recorded as what it would
# do, a trigger starts no downstream run, and a rehearsal leaves no cache record that would let the next real
# run skip the effect. The REPL's :run --rehearse does the same.
set -euo pipefail
chain=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
commit() { git -c user.name=t -c user.email=t@t commit -q "$@"; }

mkdir -p "$work/down" "$work/up/src"
cd "$work/down"
git init -q -b develop . && commit --allow-empty -m start
cat > pipeline.chain <<'CHAIN'
stage mark { sh(["touch", "../downstream-ran"]) }
CHAIN
cd "$work/up"
git init -q -b develop .
echo one > src/a.txt
cat > pipeline.chain <<'CHAIN'
secret token = env("SHIP_TOKEN")
stage build inputs "src/**" {
  sh(["cp", "src/a.txt", "built.txt"])
}
stage ship needs build when develop inputs "src/**", "built.txt" env { TOKEN: token } {
  sh(["cp", "built.txt", "../shipped.txt"], effect: true)
  sh(["touch", "after-ship"])
}
stage downstream needs ship when develop {
  trigger("../down")
}
CHAIN
git add -A && commit -m start
export SHIP_TOKEN=hunter2-secret

"$chain" run --rehearse > rehearse.out 2>&1 || fail "the rehearsal failed: $(cat rehearse.out)"
grep -qF "a rehearsal, effects are shown and not carried out" rehearse.out || fail "the heading: $(cat rehearse.out)"
grep -qF "[ship] would sh: TOKEN='***' cp built.txt ../shipped.txt" rehearse.out || fail "the would line: $(cat rehearse.out)"
grep -qF "[downstream] would trigger: " rehearse.out || fail "the trigger's would line: $(cat rehearse.out)"
grep -q "hunter2" rehearse.out && fail "the secret is shown: $(cat rehearse.out)"
grep -Eq "^  ship +rehearsed" rehearse.out || fail "the table does not say rehearsed: $(cat rehearse.out)"
[ -e built.txt ] || fail "the build step did not run"
[ -e after-ship ] || fail "the step after the effect did not run"
[ ! -e ../shipped.txt ] || fail "the effect ran in a rehearsal"
[ ! -e ../downstream-ran ] || fail "the trigger started the downstream in a rehearsal"
record=$(ls -t .chain/runs/*/run.json | head -1)
python3 - "$record" <<'PY' || fail "the run record"
import json, sys
record = json.load(open(sys.argv[1]))
assert record["rehearsal"] is True, record
ship = next(stage for stage in record["stages"] if stage["name"] == "ship")
assert ship["status"] == "success" and ship["rehearsed"] is True, ship
first, second = ship["steps"]
assert first["status"] == "rehearsed", first
assert first["message"] == "would sh: TOKEN='***' cp built.txt ../shipped.txt", first
assert "status" not in second and second["exit_code"] == 0, second
build = next(stage for stage in record["stages"] if stage["name"] == "build")
assert "rehearsed" not in build, build
assert "hunter2" not in open(sys.argv[1]).read()
PY

# The next real run carries the effect out (build, which has none, is up to date), and the one after that
# finds ship up to date.
"$chain" run > real.out 2>&1 || fail "the real run failed: $(cat real.out)"
[ "$(cat ../shipped.txt)" = one ] || fail "the real run after a rehearsal did not ship: $(cat real.out)"
[ -e ../downstream-ran ] || fail "the real run did not trigger: $(cat real.out)"
grep -q "^ok      ship " real.out || fail "ship did not run for real: $(cat real.out)"
grep -q "^ok      build " real.out && fail "build ran again though the rehearsal ran it: $(cat real.out)"
rm ../shipped.txt
"$chain" run --stage ship > again.out 2>&1 || fail "the third run failed: $(cat again.out)"
grep -q "up to date" again.out || fail "ship is not up to date after a real run: $(cat again.out)"
[ ! -e ../shipped.txt ] || fail "an up-to-date ship ran again"

# The REPL asks before a rehearsal too, and says it is one.
echo two > src/a.txt
rm -f ../downstream-ran
out=$(printf ':run --rehearse ship\ny\n' | "$chain" repl pipeline.chain 2>&1)
grep -qF "rehearse build, ship on branch develop (beside pipeline.chain; effects shown, not carried out)? [y/N]" \
  <<<"$out" || fail "the REPL's question: $out"
grep -qF "[ship] would sh: TOKEN='***' cp built.txt ../shipped.txt" <<<"$out" || fail "the REPL's rehearsal: $out"
[ ! -e ../shipped.txt ] || fail "the REPL's rehearsal shipped"
[ "$(cat built.txt)" = two ] || fail "the REPL's rehearsal did not build"
out=$(printf ':run --rehearse\n' | "$chain" repl pipeline.chain 2>&1 || true)
grep -qF ":run needs an argument: :run [--rehearse] STAGE" <<<"$out" || fail "the REPL's usage: $out"
echo "rehearsal: effects shown and recorded, nothing shipped or triggered, the next real run shipped"
