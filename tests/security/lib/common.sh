# Sourced by this folder's scripts: chain's path from the script's first argument, a private work folder
# removed at exit (write bits given back first: the store's objects are read-only), and fail.
set -euo pipefail
chain=$(realpath "$1")
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
