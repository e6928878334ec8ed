# Sourced by the end-to-end scripts: the chain under test, a temporary work folder removed at exit,
# git repositories made from examples/, and running chain in them.
#   source common.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
e2e=$(realpath "$(dirname "${BASH_SOURCE[0]}")")
examples=$(realpath "$e2e/../../examples")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Debian's Python with its pytest, flake8 and coverage, whatever else is on the PATH.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

fail() { echo "FAILED: $*" >&2; exit 1; }
commit() { git -c user.name=chain -c user.email=chain@localhost commit -q "$@"; }

# make_repository EXAMPLE NAME BRANCH: $work/NAME, a git repository of examples/EXAMPLE with one commit.
make_repository() {
  mkdir -p "$work/$2"
  cp -r "$examples/$1/." "$work/$2"
  (cd "$work/$2" && git init -q -b "$3" && git add -A && commit -m "initial")
}

# run LOG ARGS...: chain run in the current folder, its output kept in $work/LOG.
run() {
  local log=$1
  shift
  "$chain" run "$@" >"$work/$log" 2>&1
}

# The library's wheel and sdist into the local index ($work/.index) that the application installs from.
build_library() {
  (cd "$work/acme-utils" && run library.out --stage build) || { cat "$work/library.out"; fail "the library's build"; }
}

# The version chain plans for the pipeline in the current folder (or FILE).
planned_version() {
  "$chain" plan "$@" --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])'
}

# What the publishing targets under $work hold: every path with its type and link target, every file's hash.
snapshot() {
  (cd "$work" && for folder in .index .apt .deploy; do
    [[ -e $folder ]] || { echo "$folder absent"; continue; }
    find "$folder" -printf '%p %y %l\n' | sort
    find "$folder" -type f -exec sha256sum {} + | sort -k2
  done)
}
