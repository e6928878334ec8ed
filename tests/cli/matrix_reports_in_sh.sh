#!/usr/bin/env bash
# The reports of a matrix test stage, run for real with pytest, are listed by a later stage's sh steps:
# `["cmd"] + test.report` gives one argv word per report, `${test.report}` in a sh string one shell
# word per report, and `${suites}` one shell-quoted word per item, a value with a space and a quote too.
#   matrix_reports_in_sh.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
export PATH=/usr/sbin:/usr/bin:/sbin:/bin # Debian's python3 with pytest
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cd "$work"
mkdir -p "tests/unit" "tests/it's slow"
printf 'def test_one():\n    pass\n\ndef test_two():\n    pass\n' > tests/unit/test_unit.py
printf 'def test_slow():\n    pass\n' > "tests/it's slow/test_slow.py"
cat > pipeline.chain <<'CHAIN'
pipeline "reports" kind library

param suites: list<str> = ["tests/unit", "tests/it's slow"]

stage test matrix suite in suites {
  artifact report = test(args: ["-p", "no:cacheprovider", suite])
}

stage summary {
  sh(["sh", "-c", "printf '%s\\n' \"$@\" > argv.txt", "sh"] + test.report)
  sh("for report in ${test.report}; do grep -o '<testcase ' \"$report/junit.xml\" | wc -l; done > counts.txt")
  sh("printf '%s\\n' ${suites} > suites.txt")
}
CHAIN
git init -q -b develop
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm init

"$chain" run -j 1 > run.txt 2>&1 || { echo "chain run failed:"; cat run.txt; exit 1; }

fail() { echo "$1"; shift; for file; do echo "--- $file"; cat "$file"; done; exit 1; }
[ "$(wc -l < argv.txt)" = 2 ] || fail "expected one argv word per report" argv.txt
expected_argv=$'.chain/out/test%5Bsuite=tests%2Funit%5D/report\n.chain/out/test%5Bsuite=tests%2Fit%27s%20slow%5D/report'
[ "$(cat argv.txt)" = "$expected_argv" ] || fail "the argv words are not the reports' paths" argv.txt
while read -r report; do
  grep -q '<testcase ' "$report/junit.xml" || fail "$report holds no JUnit report" "$report/junit.xml"
done < argv.txt
[ "$(cat counts.txt)" = $'2\n1' ] || fail "the shell did not get one word per report" counts.txt run.txt
[ "$(cat suites.txt)" = $'tests/unit\ntests/it\'s slow' ] || fail "\${suites} is not one quoted word per item" suites.txt
echo "ok: the reports of test[...] are listed by sh, one word per path"
