# "Hosts" on loopback for the deploy tests (three, or $HOSTS): one sshd each, with its own host key, its own
# user and that user's home as the host's root; a session there has XDG_RUNTIME_DIR in the home, as a
# login would give it, for podman. Sourced; sets T (the test folder), PORT1..3, USER1..3, HOME1..3, KEY
# (the client's private key text), known_hosts in $T/project, and stops everything at exit.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "the deploy tests start sshd and add users: they need root"; exit 1; }
T=$(mktemp -d /tmp/cd.XXXXXX)
mkdir -p /run/sshd "$T/tmp" "$T/project"
chmod 755 "$T" # the users read the authorized keys and reach their homes through it
export TMPDIR="$T/tmp" # where chain's private ssh folders go: the tests check that none is left
users=()
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # A session sshd forked for a connection outlives the listener: the test users' processes go too.
  for user in "${users[@]}"; do
    for pid in $(pgrep -u "$user" || true); do kill -KILL "$pid" 2>/dev/null || true; done
    userdel "$user" 2>/dev/null || true
  done
  rm -rf "$T"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

ssh-keygen -q -t ed25519 -N '' -C chain-test -f "$T/client_key"
ssh-keygen -q -t ed25519 -N '' -C intruder -f "$T/other_key"
cp "$T/client_key.pub" "$T/authorized_keys"
chmod 644 "$T/authorized_keys"
KEY=$(cat "$T/client_key")
: > "$T/project/known_hosts"
tag=$(basename "$T" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')
for n in $(seq "${HOSTS:-3}"); do
  user="cd${tag}h$n"
  home="$T/h$n"
  mkdir -p "$home/.run"
  useradd -M -p '*' -d "$home" -s /bin/sh "$user"
  users+=("$user")
  chown "$user" "$home" "$home/.run"
  chmod 700 "$home/.run"
  port=$(free_port)
  ssh-keygen -q -t ed25519 -N '' -f "$T/host_key$n"
  cat > "$T/sshd$n.conf" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $T/host_key$n
PidFile $T/sshd$n.pid
AuthorizedKeysFile $T/authorized_keys
AllowUsers $user
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
SetEnv XDG_RUNTIME_DIR=$home/.run
CONF
  # The log is made here, not by the redirection, which the background shell may not have done yet when
  # tail opens it.
  : > "$T/sshd$n.log"
  /usr/sbin/sshd -D -e -f "$T/sshd$n.conf" 2>> "$T/sshd$n.log" &
  pids+=($!)
  # Ready when it says it listens; nothing else to wait on.
  timeout 20 grep -q -m1 'Server listening' <(tail -f "$T/sshd$n.log")
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$T/host_key$n.pub")" >> "$T/project/known_hosts"
  eval "PORT$n=$port USER$n=$user HOME$n=$home"
done

fail() { echo "FAIL: $*"; exit 1; }
expect_link() { # FILE TARGET
  [ "$(readlink "$1" 2>/dev/null)" = "$2" ] || fail "$1 points at '$(readlink "$1" 2>/dev/null)', not '$2'"
}
no_private_folder_left() {
  [ -z "$(ls -A "$T/tmp")" ] || fail "chain left its private ssh folder behind: $(ls -AR "$T/tmp"; cat out.txt 2>/dev/null)"
}
