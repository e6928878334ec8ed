#!/usr/bin/env bash
# `chain log` prints the logs a run wrote under .chain/runs/<id>/logs/ and nothing else: a run record whose
# log paths were edited to point elsewhere, or a --run id that is a path, shows no other file. Beside it,
# what the command is for: every log of the last run or one run, one stage (all instances of a matrix
# stage), only the failed steps, and a did-you-mean for a stage that is not there.
source "$(dirname "$0")/lib/common.sh"
expect_output() { # expected-file actual-file what
  diff -u "$1" "$2" >&2 || fail "$3"
}

mkdir -p "$work/repo"
cd "$work/repo"
cat >pipeline.chain <<'EOF'
pipeline "p" kind library
stage build {
  sh("echo built")
}
stage test
  needs build
  matrix python in ["3.11", "3.12"]
{
  sh("echo testing ${python}; echo unit passed")
  sh("echo lint ${python}; [ ${python} = 3.11 ]")
}
EOF
echo "not a log" >"$work/outside"
git init -q -b main
git add -A
git -c user.name=chain -c user.email=chain@localhost commit -q -m initial

"$chain" run --keep-going >"$work/run.out" 2>&1 && { cat "$work/run.out"; fail "the run should fail"; }
grep -qF '        the last line of its log:' "$work/run.out" || { cat "$work/run.out"; fail "no log tail after the failure"; }
grep -qF '          lint 3.12' "$work/run.out" || { cat "$work/run.out"; fail "the log tail's line"; }
first=$(ls .chain/runs)

"$chain" log >"$work/all.out"
cat >"$work/all.expected" <<'EOF'
== build step 1 sh ==
built
== test[python=3.11] step 1 sh ==
testing 3.11
unit passed
== test[python=3.11] step 2 sh ==
lint 3.11
== test[python=3.12] step 1 sh ==
testing 3.12
unit passed
== test[python=3.12] step 2 sh ==
lint 3.12
EOF
expect_output "$work/all.expected" "$work/all.out" "chain log"

"$chain" log test --failed >"$work/failed.out"
printf '== test[python=3.12] step 2 sh ==\nlint 3.12\n' >"$work/failed.expected"
expect_output "$work/failed.expected" "$work/failed.out" "chain log test --failed"

"$chain" log 'test[python=3.11]' pipeline.chain >"$work/one.out"
sed -n 3,7p "$work/all.expected" >"$work/one.expected"
expect_output "$work/one.expected" "$work/one.out" "chain log of one instance"

set +e
"$chain" log tset >"$work/unknown.out" 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "an unknown stage exits $code"
grep -qxF "chain: error: unknown stage 'tset' in the run $first; did you mean 'test'?" "$work/unknown.out" ||
  { cat "$work/unknown.out"; fail "the did-you-mean"; }

# A later run is the last one; --run still shows the first.
sleep 1
"$chain" run --stage build >/dev/null
[ "$("$chain" log | head -1)" = "== build step 1 sh ==" ] || fail "the last run"
[ "$("$chain" log | wc -l)" = 2 ] || fail "the last run has only build"
"$chain" log --run "$first" --failed >"$work/again.out"
expect_output "$work/failed.expected" "$work/again.out" "chain log --run"

# Hostile: a record whose log paths lead out of the run's logs, and a run id that is a path.
record=.chain/runs/$first/run.json
sed -i "s#\"log\":\"[^\"]*build/1-sh.log\"#\"log\":\"$work/outside\"#; s#\"log\":\"[^\"]*python=3.11%5D/1-sh.log\"#\"log\":\"../../../../outside\"#" "$record"
grep -qF "$work/outside" "$record" && grep -qF "../../../../outside" "$record" || fail "the record was not edited"
"$chain" log --run "$first" >"$work/hostile.out" 2>&1 || true
if grep -qF "not a log" "$work/hostile.out"; then cat "$work/hostile.out"; fail "a file outside the run's logs was shown"; fi
set +e
"$chain" log --run "../../../outside" >"$work/path.out" 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "a run id that is a path exits $code"
grep -qF "chain: error: no run '../../../outside' in .chain/runs" "$work/path.out" || { cat "$work/path.out"; fail "the path id message"; }
echo ok
