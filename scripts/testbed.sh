#!/usr/bin/env bash
# The SSH test-bed: real OpenSSH servers on one machine, one per network namespace, on a private bridge.
#
#   sudo scripts/testbed.sh up [N]   N nodes n1..nN (default 4) at 10.77.0.11.., and a node that is down
#   sudo scripts/testbed.sh down     removes all of it (also whatever a crashed run left)
#   sudo scripts/testbed.sh status   exit 0 when a bed is up and every node accepts connections
#   sudo scripts/testbed.sh kill n2  the node dies: every process in its namespace is killed (sshd included)
#   sudo scripts/testbed.sh revive n2  its sshd starts again (same address and host key, files kept)
#
# Logins go to a non-root test user (as root, sshd ignores channel signals). The state folder
# ($MARVELO_TESTBED_DIR, default /tmp/marvelo-testbed) receives the client key, known_hosts, cluster.yaml
# (the project's nodes file) and testbed.json (the same facts, for the tests).
set -euo pipefail

STATE=${MARVELO_TESTBED_DIR:-/tmp/marvelo-testbed}
TEST_USER=marvelo-test
BRIDGE=mrvbr0
NET=10.77.0
NS_PREFIX=mrv-
DOWN_NS=mrv-down
DOWN_HOST=$NET.99
SSHD=/usr/sbin/sshd
MAX_NODES=80 # addresses .11 .. .90; .99 is the down node

fail() { echo "testbed: $*" >&2; exit 1; }

# The state folder is removed by `down`: refuse / and top-level folders, and names that would need quoting.
check_state_dir() {
  [[ "$STATE" =~ ^/[A-Za-z0-9._-]+/[A-Za-z0-9._/-]+$ ]] \
    || fail "MARVELO_TESTBED_DIR must be an absolute path below a top-level folder, without spaces: '$STATE'"
}

require_tools() {
  [ "$(id -u)" -eq 0 ] || fail "must run as root (it creates network namespaces and a user)"
  [ -x "$SSHD" ] || fail "$SSHD is missing: install openssh-server"
  local tool
  for tool in ip unshare ssh-keygen useradd usermod flock ps; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is missing"
  done
}

# Namespace and bridge names are global: one up/down at a time on this machine. sshd must not inherit
# the lock's descriptor (it would hold the lock for as long as it runs), hence 9>&- where it starts.
take_lock() {
  exec 9>"/run/lock/marvelo-testbed.lock"
  flock -w 120 9 || fail "another testbed.sh is still running (lock /run/lock/marvelo-testbed.lock)"
}

home_of_user() { getent passwd "$TEST_USER" | cut -d: -f6; }

kill_pids() {
  local pids=("$@")
  [ ${#pids[@]} -gt 0 ] && kill -KILL "${pids[@]}" 2>/dev/null || true
}

our_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX" || true; }

# wait_until_empty NS: its processes are gone (SIGKILL is delivered asynchronously), bounded.
wait_until_empty() {
  local try
  for try in $(seq 1 100); do
    [ -z "$(ip netns pids "$1" 2>/dev/null)" ] && return 0
    sleep 0.02
  done
}

teardown() {
  local pidfile ns link
  for pidfile in "$STATE"/sshd-*.pid; do
    if [ -f "$pidfile" ]; then kill_pids "$(cat "$pidfile")"; fi
  done
  for ns in $(our_namespaces); do
    # shellcheck disable=SC2046
    kill_pids $(ip netns pids "$ns" 2>/dev/null)
    wait_until_empty "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^mrvh-' || true); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  if id "$TEST_USER" >/dev/null 2>&1; then
    # the workers a test left behind: every process of the test user, by pid
    # shellcheck disable=SC2046
    kill_pids $(ps -o pid= -u "$TEST_USER" 2>/dev/null)
    local home
    home=$(home_of_user)
    [ -n "$home" ] && [ -d "$home" ] && find "$home" -mindepth 1 -maxdepth 1 -name 'n[0-9]*' -exec rm -rf {} +
  fi
  rm -rf "$STATE"
}

ensure_user() {
  if ! id "$TEST_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/sh "$TEST_USER"
  fi
  usermod -p '*' "$TEST_USER" # useradd leaves the account locked; '*' allows key logins only
}

make_keys() {
  ssh-keygen -q -t ed25519 -N '' -C "$TEST_USER@testbed" -f "$STATE/id_ed25519"
  cp "$STATE/id_ed25519.pub" "$STATE/authorized_keys"
  chmod 644 "$STATE/authorized_keys" # sshd reads it as the test user
}

make_bridge() {
  ip link add "$BRIDGE" type bridge
  ip addr add "$NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

# add_namespace NS HOST_LINK ADDRESS: a namespace whose eth0 sits on the bridge at ADDRESS.
add_namespace() {
  local ns=$1 link=$2 addr=$3
  ip netns add "$ns"
  ip link add "$link" type veth peer name eth0 netns "$ns"
  ip link set "$link" master "$BRIDGE" up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
}

write_sshd_config() {
  local name=$1 addr=$2
  cat >"$STATE/sshd-$name.conf" <<EOF
ListenAddress $addr
HostKey $STATE/host-$name
PidFile $STATE/sshd-$name.pid
AuthorizedKeysFile $STATE/authorized_keys
AllowUsers $TEST_USER
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PrintMotd no
Subsystem sftp internal-sftp
ClientAliveInterval 1
ClientAliveCountMax 3
EOF
}

start_node() {
  local name=$1 addr=$2
  ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$STATE/host-$name"
  write_sshd_config "$name" "$addr"
  echo "$addr $(cut -d' ' -f1-2 "$STATE/host-$name.pub")" >>"$STATE/known_hosts"
  install -d -o "$TEST_USER" -g "$(id -gn "$TEST_USER")" "$(home_of_user)/$name"
  launch_sshd "$name"
}

launch_sshd() {
  local name=$1
  ip netns exec "$NS_PREFIX$name" unshare --uts sh -c \
    "hostname $name && exec $SSHD -f $STATE/sshd-$name.conf -E $STATE/sshd-$name.log" 9>&-
}

# kill_node NAME: the node dies: every process in its namespace (its sshd, sessions, workers) is killed.
kill_node() {
  local pids
  pids=$(ip netns pids "$NS_PREFIX$1") || fail "no node $1"
  [ -z "$pids" ] || kill -9 $pids
}

# revive_node NAME: a node killed by kill_node comes back (same address and host key; its files kept).
revive_node() {
  local name=$1 addr
  addr=$(awk '$1 == "ListenAddress" { print $2 }' "$STATE/sshd-$name.conf" 2>/dev/null) || true
  [ -n "$addr" ] || fail "no node $name"
  launch_sshd "$name"
  wait_for_node "$name" "$addr"
}

# can_connect ADDRESS: a TCP connection to port 22 is accepted.
# An sshd answers with its banner: a bare TCP connect is not enough, because without the bridge the
# address is routed to the default gateway, which may accept anything.
can_connect() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || return 1
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/22 && head -c 4 <&3" 2>/dev/null | grep -q '^SSH-'
}

wait_for_node() {
  local name=$1 addr=$2 try
  for try in $(seq 1 100); do
    can_connect "$addr" && return 0
    sleep 0.05
  done
  fail "sshd of $name ($addr) does not accept connections: $(tail -n 2 "$STATE/sshd-$name.log" 2>/dev/null | tr '\n' ' ')"
}

write_cluster_files() {
  local n=$1 i name home
  home=$(home_of_user)
  {
    echo "# The test-bed's nodes (scripts/testbed.sh): relative paths are relative to this file."
    echo "nodes:"
    for i in $(seq 1 "$n"); do
      name=n$i
      echo "  - name: $name"
      echo "    host: $NET.$((10 + i))"
      echo "    user: $TEST_USER"
      echo "    identity: ./id_ed25519"
      echo "    known_hosts: ./known_hosts"
      echo "    root: $home/$name"
      echo "    groups: [ALL]"
    done
  } >"$STATE/cluster.yaml"
  {
    echo "{"
    echo "  \"dir\": \"$STATE\","
    echo "  \"user\": \"$TEST_USER\","
    echo "  \"uid\": $(id -u "$TEST_USER"),"
    echo "  \"identity\": \"$STATE/id_ed25519\","
    echo "  \"knownHosts\": \"$STATE/known_hosts\","
    echo "  \"clusterFile\": \"$STATE/cluster.yaml\","
    echo "  \"bridge\": \"$BRIDGE\","
    echo "  \"downHost\": \"$DOWN_HOST\","
    echo "  \"downNamespace\": \"$DOWN_NS\","
    echo "  \"nodes\": ["
    for i in $(seq 1 "$n"); do
      name=n$i
      printf '    {"name": "%s", "host": "%s", "port": 22, "namespace": "%s", "hostLink": "%s", "root": "%s"}%s\n' \
        "$name" "$NET.$((10 + i))" "$NS_PREFIX$name" "mrvh-$name" "$home/$name" "$([ "$i" -lt "$n" ] && echo ,)"
    done
    echo "  ]"
    echo "}"
  } >"$STATE/testbed.json"
}

up() {
  local n=${1:-4} i
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le $MAX_NODES ] || fail "node count must be 1..$MAX_NODES, not '$n'"
  teardown # what a crashed run left
  trap 'teardown' EXIT # a failed up leaves nothing behind; cleared once every node answers
  mkdir -p /run/sshd # sshd refuses to start without its privilege separation folder
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  : >"$STATE/known_hosts"
  ensure_user
  make_keys
  make_bridge
  for i in $(seq 1 "$n"); do
    add_namespace "${NS_PREFIX}n$i" "mrvh-n$i" "$NET.$((10 + i))"
    start_node "n$i" "$NET.$((10 + i))"
  done
  add_namespace "$DOWN_NS" "mrvh-down" "$DOWN_HOST" # an address with no sshd: connections are refused
  for i in $(seq 1 "$n"); do
    wait_for_node "n$i" "$NET.$((10 + i))"
  done
  write_cluster_files "$n"
  trap - EXIT
  echo "testbed: $n nodes up (n1..n$n at $NET.11..), down node $DOWN_HOST; state in $STATE"
}

status() {
  [ -f "$STATE/testbed.json" ] || fail "not up: $STATE/testbed.json is missing"
  local host
  for host in $(grep -o '"host": "[0-9.]*"' "$STATE/testbed.json" | cut -d'"' -f4); do
    can_connect "$host" || fail "node $host does not accept connections"
  done
  echo "testbed: up ($STATE)"
}

usage() { echo "usage: $0 up [N] | down | status | kill NODE | revive NODE" >&2; exit 2; }

main() {
  [ $# -ge 1 ] || usage
  local command=$1
  shift
  case "$command" in
    up) check_state_dir; require_tools; take_lock; up "$@" ;;
    down) check_state_dir; require_tools; take_lock; teardown; echo "testbed: down" ;;
    status) status ;;
    kill) [ $# -eq 1 ] || usage; kill_node "$1" ;;
    revive) [ $# -eq 1 ] || usage; take_lock; revive_node "$1" ;;
    *) usage ;;
  esac
}

main "$@"
