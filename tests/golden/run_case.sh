#!/usr/bin/env bash
# Runs one golden case and compares what chain prints (stdout, stderr, exit code) with CASE.expected.
#   CASE.chain: `chain check CASE.chain`        CASE.cmd: the arguments of chain, one line
#   CASE.repl: the input of `chain repl`, whose arguments follow `#!` on its first line
# With --refresh, writes CASE.expected instead of comparing. Run from the repository's root.
set -uo pipefail
chain=$(realpath "$1")
case=$2
refresh=${3:-}
expected="${case%.*}.expected"
case "$case" in
  *.chain) args=(check "$case") ;;
  *.cmd) eval "args=($(cat "$case"))" ;;
  *.repl) eval "args=(repl $(head -1 "$case" | sed 's/^#!//'))" ;;
  *) echo "unknown case $case" >&2; exit 2 ;;
esac

out=$(mktemp)
err=$(mktemp)
repo=""
trap 'rm -f "$out" "$err"; [ -z "$repo" ] || rm -rf "$repo"' EXIT

# Plans depend on git: cases under golden/plan/ and golden/repl/ run in a fresh repository holding examples/, with a fixed
# history: "v1.3.0" tagged on the first commit of develop, then two more commits. The valid programs of
# golden/check/valid are there too, as valid/.
workdir=.
if [[ "$case" == */golden/plan/* || "$case" == */golden/repl/* ]]; then
  repo=$(mktemp -d)
  cp -r examples "$repo/"
  cp -r tests/golden/check/valid "$repo/valid"
  git_in_repo() {
    GIT_COMMITTER_DATE="2026-01-0${n}T00:00:00Z" git -C "$repo" -c user.name=chain \
      -c user.email=chain@example.invalid -c commit.gpgsign=false "$@"
  }
  n=1
  git_in_repo init -q -b develop
  git_in_repo add -A
  git_in_repo commit -q -m "first" --date "2026-01-01T00:00:00Z"
  git_in_repo tag v1.3.0
  for n in 2 3; do
    echo "$n" >"$repo/CHANGES"
    git_in_repo add -A
    git_in_repo commit -q -m "change $n" --date "2026-01-0${n}T00:00:00Z"
  done
  workdir=$repo
fi

input=/dev/null
[[ "$case" != *.repl ]] || input=$(realpath "$case")
(cd "$workdir" && "$chain" "${args[@]}" <"$input") >"$out" 2>"$err"
code=$?
actual=$(
  echo "\$ chain ${args[*]}$([[ "$case" != *.repl ]] || echo " < $(basename "$case")")"
  cat "$out"
  echo "--- stderr"
  cat "$err"
  echo "--- exit $code"
)
if [ "$refresh" = "--refresh" ]; then
  printf '%s\n' "$actual" >"$expected"
  exit 0
fi
diff -u "$expected" <(printf '%s\n' "$actual")
