#!/usr/bin/env bash
# The run page of a run the real `chain run` made: every log link names a log file of the run, the artifact
# link names the artifact and its SHA-256 is that of the file, output a step printed stays text, and the
# manual stage can be approved. (The sample pages of the other tests are shaped by hand; this one is not.)
#   pages_from_real_run.sh CHAIN PAGES_FIXTURE
set -euo pipefail
chain=$(realpath "$1")
fixture=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $1"; exit 1; }

cd "$work"
cat > pipeline.chain <<'CHAIN'
pipeline "acme-utils" kind library

param pythons: list<str> = ["3.11", "3.12"]

stage test matrix python in pythons {
  sh(["sh", "-c", "echo testing with ${python}; echo '<img src=x onerror=alert(1)>'; printf '\\033[31mred\\033[0m\\n'"])
}

stage style allow_failure {
  sh(["sh", "-c", "echo 'style: 1 finding & more' >&2; exit 3"])
}

stage build needs test, style {
  sh(["sh", "-c", "mkdir -p dist && echo wheel > 'dist/acme & utils.whl'"])
  artifact wheel = file("dist/acme & utils.whl")
}

stage deploy needs build manual {
  sh(["sh", "-c", "echo deploying"])
}
CHAIN
git init -q -b develop
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm init
"$chain" run > run.txt 2>&1 || { cat run.txt; fail "chain run failed"; }
run_folder=$(ls -d .chain/runs/*/)
"$fixture" --run "$run_folder" page.html

decode() { python3 -c 'import sys, urllib.parse; print("/".join(urllib.parse.unquote(p) for p in sys.argv[1].split("/")))' "$1"; }

# Each log the page links to is a file of the run's logs folder: the two tests and style printed something.
links=$(grep -o 'href="/api/runs/1/log/[^"]*"' page.html | sed 's|href="/api/runs/1/log/||; s|"$||')
[ "$(echo "$links" | wc -l)" -eq 3 ] || fail "expected 3 log links, got: $links"
for link in $links; do
  [ -f "$run_folder/logs/$(decode "$link")" ] || fail "the page links to a log that is not there: $link"
done

# The artifact: its link names the file the record names, and the SHA-256 shown is the file's.
artifact=$(grep -o 'href="/api/runs/1/artifacts/[^"]*"' page.html | sed 's|href="/api/runs/1/artifacts/||; s|"$||')
[ "$(decode "$artifact")" = ".chain/out/build/wheel/acme & utils.whl" ] || fail "artifact link: $artifact"
sha=$(sha256sum ".chain/out/build/wheel/acme & utils.whl" | cut -d' ' -f1)
grep -q "<td class=\"mono hash\">$sha</td>" page.html || fail "the page does not show the artifact's SHA-256 $sha"
grep -q '>acme &amp; utils.whl</a>' page.html || fail "the artifact's name is not escaped"

# What the steps printed is text: escaped, without the terminal's colour codes.
grep -q '^&lt;img src=x onerror=alert(1)&gt;$' page.html || fail "the hostile log line is not escaped"
! grep -q '<img' page.html || fail "a log line became an element"
grep -q '^red$' page.html || fail "the colour codes are still there"
! grep -q $'\x1b' page.html || fail "an escape character reached the page"
grep -q 'data-log="style/1-sh.log" data-offset="24">style: 1 finding &amp; more$' page.html ||
  fail "the failed step's log is not shown, or not followed from its end"

# Statuses as chain run recorded them, and the manual stage's approve form.
grep -q '<h3 class="mono">style</h3><span class="status st-allowed">failed (allowed)</span>' page.html ||
  fail "the allowed failure is not shown as such"
grep -q '<form method="post" action="/api/runs/1/approve/deploy">' page.html || fail "no approve form for deploy"
[ "$(grep -c '<a class="node ' page.html)" -eq 5 ] || fail "the graph does not have the 5 stage instances"
echo "the page of a real run links its logs and artifact and escapes what the steps printed"
