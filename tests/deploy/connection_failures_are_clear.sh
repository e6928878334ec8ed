#!/usr/bin/env bash
# What a user reads when ssh cannot do its part: a host key that changed, a host not in known_hosts, a
# port where nothing listens, a key the host refuses; each stops the deploy before anything changed. And
# a folder whose name holds spaces and $(...) stays one name on the host, never code.
chain=$1
. "$(dirname "$0")/sshd_hosts.sh"
cd "$T/project"
git init -q -b develop . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m start
cat > pipeline.chain <<'CHAIN'
pipeline "site" kind deployment
param names: list<str> = []
param known: str = "known_hosts"
param folder: str = "srv/site"
secret deploy_key = env("DEPLOY_KEY")

stage rollout when develop {
  sh(["sh", "-c", "mkdir -p public && echo hello > public/index.html"])
  deploy(dir("public"), to: hosts(names, dir: folder, key: deploy_key, known_hosts: known, connect_timeout: 5s),
         strategy: blue_green, version: "1.0.0", health: "test -f index.html && test \"$CHAIN_RELEASE\" = \"$(pwd)\"")
}
CHAIN
export DEPLOY_KEY="$KEY"
host1="$USER1@127.0.0.1:$PORT1"
host2="$USER2@127.0.0.1:$PORT2"

expect_failure() { # WHAT MESSAGE ARGS...
  local what=$1 message=$2
  shift 2
  if "$chain" run --branch develop "$@" > out.txt 2>&1; then fail "$what: the deploy succeeded"; fi
  grep -qF -- "$message" out.txt || fail "$what: the message is not '$message': $(cat out.txt)"
  grep -qF "nothing was changed on any host" out.txt || fail "$what: no word that nothing changed: $(cat out.txt)"
  [ -e "$HOME1/srv" ] && fail "$what: something changed on the first host"
  no_private_folder_left
}

# The second host's line in known_hosts carries the first host's key.
sed "s|^\[127.0.0.1\]:$PORT2 .*|[127.0.0.1]:$PORT2 $(cut -d' ' -f1,2 "$T/host_key1.pub")|" known_hosts > changed_hosts
expect_failure "a changed host key" \
  "$host2's host key is not the one $T/project/changed_hosts has for it: either the host was reinstalled or someone is in between" \
  -p "names=[\"$host1\", \"$host2\"]" -p known=changed_hosts
grep -v "^\[127.0.0.1\]:$PORT2 " known_hosts > partial_hosts
expect_failure "an unknown host" \
  "$host2 has no host key in $T/project/partial_hosts, so it is not trusted: add its key (ssh-keyscan -p $PORT2 127.0.0.1, checked out of band)" \
  -p "names=[\"$host1\", \"$host2\"]" -p known=partial_hosts
closed=$(free_port)
expect_failure "an unreachable port" \
  "cannot connect to $USER1@127.0.0.1:$closed: check its name and port and that sshd runs there (ssh said: ssh: connect to host 127.0.0.1 port $closed: Connection refused)" \
  -p "names=[\"$USER1@127.0.0.1:$closed\"]"
DEPLOY_KEY=$(cat "$T/other_key") expect_failure "a wrong key" \
  "$host1 refused the key: add the public key of hosts(key:) to the authorized_keys of $USER1 on 127.0.0.1" \
  -p "names=[\"$host1\"]"

# A host name given as a param that ssh would read as an option is refused before ssh runs.
if "$chain" run --branch develop -p 'names=["-oProxyCommand=touch /tmp/pwned-by-chain-test"]' > out.txt 2>&1; then
  fail "a host name that is an ssh option was used"
fi
grep -qF "'-oProxyCommand=touch /tmp/pwned-by-chain-test' is not a host name of the form [user@]host[:port]" out.txt \
  || fail "a hostile host name says: $(cat out.txt)"
[ -e /tmp/pwned-by-chain-test ] && fail "ssh ran the hostile name's command"

# Spaces, quotes and $(...) in the folder are text on the host.
odd='srv/my site $(touch pwned) '\''q'\'' `touch pwned2`'
"$chain" run --branch develop -p "names=[\"$host1\"]" -p "folder=$odd" > out.txt 2>&1 || fail "the odd folder: $(cat out.txt)"
expect_link "$HOME1/$odd/current" releases/1.0.0
[ "$(cat "$HOME1/$odd/current/index.html")" = hello ] || fail "the release is not in the odd folder"
[ -n "$(find "$T" -name 'pwned*')" ] && fail "a folder name ran as code: $(find "$T" -name 'pwned*')"
# A folder named like an option is a folder to every command on the host.
"$chain" run --branch develop -p "names=[\"$host1\"]" -p "folder=-rf" > out.txt 2>&1 || fail "the folder -rf: $(cat out.txt)"
expect_link "$HOME1/-rf/current" releases/1.0.0
no_private_folder_left
echo ok
