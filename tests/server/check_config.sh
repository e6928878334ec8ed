#!/usr/bin/env bash
# chain serve --check: a good file is "ok" (exit 0); a bad one lists each error at its line and exits 2,
# and nothing is made (no state folder); a missing file says so.
set -euo pipefail
chain=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

cat > chain-server.toml <<'TOML'
listen = "127.0.0.1:8080"
state = "chain-server"
jobs = 1
token_env = "CHECK_TOKEN"

[[repository]]
name = "acme-utils"
url = "/srv/git/acme-utils.git"
secret_env = "CHECK_SECRET"
TOML
out=$(CHECK_TOKEN=token-value CHECK_SECRET=secret-value "$chain" serve --check)
[ "$out" = "chain-server.toml: ok: 1 repository, listening on 127.0.0.1:8080, state in $dir/chain-server" ] ||
  { echo "unexpected: $out"; exit 1; }

set +e
err=$(CHECK_SECRET=secret-value "$chain" serve --check 2>&1 >/dev/null)
code=$?
set -e
[ $code -eq 2 ] || { echo "exit $code for an unset token variable"; exit 1; }
[ "$err" = "chain-server.toml:4: error: the token variable CHECK_TOKEN is not set: set it in the server's environment" ] ||
  { echo "unexpected: $err"; exit 1; }

printf 'listen = "127.0.0.1:8080"\nworkers = 2\n' > other.toml
set +e
err=$("$chain" serve --config other.toml --check 2>&1 >/dev/null)
code=$?
set -e
[ $code -eq 2 ] || { echo "exit $code for an unknown key"; exit 1; }
case "$err" in
  "other.toml:2: error: unknown key 'workers' at the top; the keys are "*) ;;
  *) echo "unexpected: $err"; exit 1 ;;
esac

set +e
err=$("$chain" serve --config missing.toml 2>&1 >/dev/null)
code=$?
set -e
[ $code -eq 2 ] && [ "$err" = "missing.toml: error: no such file: write the server's configuration there, or name it with --config" ] ||
  { echo "unexpected ($code): $err"; exit 1; }
[ ! -e chain-server ] || { echo "--check made the state folder"; exit 1; }
echo ok
