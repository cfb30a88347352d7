# netfault_lib.sh - shared by the network-fault tests (t_partition.sh,
# t_block.sh, t_route.sh, t_linkdown.sh, t_root_untouched.sh): a lab of two
# regions and two clients whose hosts run TCP echo services, and probes
# that say how a connection attempt ended. Sourced after lib.sh; the test
# sets LAB first.

# write_net_lab NAME FILE: r1 {a,b,c}, r2 {a,b}; hosts a1 a2 (r1/a), b1,
# c1, d1 (r2/a), e1 (r2/b); clients user1 user2. Every host echoes on TCP
# 7000 and 8080.
write_net_lab() {
  local echo7='{ run: "socat TCP-LISTEN:7000,fork,reuseaddr EXEC:cat", restart: always, ready: { tcp: 7000 } }'
  local echo8='{ run: "socat TCP-LISTEN:8080,fork,reuseaddr EXEC:cat", restart: always, ready: { tcp: 8080 } }'
  {
    echo "lab: $1"
    echo "regions: { r1: { zones: [a, b, c] }, r2: { zones: [a, b] } }"
    echo "clients: [user1, user2]"
    echo "hosts:"
    for h in a1:r1/a a2:r1/a b1:r1/b c1:r1/c d1:r2/a e1:r2/b; do
      echo "  ${h%%:*}: { zone: ${h#*:}, services: { echo: $echo7, web: $echo8 } }"
    done
  } >"$2"
}

# addr_of NAME: the address of NAME in $LAB (lib.sh: lab_addr).
addr_of() { lab_addr "$LAB" "$1"; }

# reach FROM TO [PORT] [TIMEOUT]: how a TCP connection from host (or
# client) FROM to TO:PORT (default 7000) that sends a line and waits for
# its echo ends: ok | timeout | refused | reset | an errno name
# (EHOSTUNREACH, ENETUNREACH, ...). TO is a host name or an address.
reach() {
  zf exec "$LAB/$1" -- python3 -c '
import errno, socket, sys
to = float(sys.argv[3])
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=to)
    s.sendall(b"ping\n")
    print("ok" if s.recv(5) else "closed")
except socket.timeout:
    print("timeout")
except ConnectionRefusedError:
    print("refused")
except ConnectionResetError:
    print("reset")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
' "$(addr_of "$2")" "${3:-7000}" "${4:-0.7}"
}

# want_reach WANT FROM TO [PORT] [TIMEOUT]: fail unless reach says WANT (a
# regular expression).
want_reach() {
  local want=$1 got
  shift
  got=$(reach "$@")
  [[ "$got" =~ ^($want)$ ]] || fail "$1 -> $2:${3:-7000}: expected $want, got $got"
}

# udp_count FROM TO: datagrams (of 20 sent from FROM) that TO receives on
# UDP 9000 within 1.5 s.
udp_count() {
  local out="$WORK/udp.$$.$RANDOM"
  zf exec "$LAB/$2" -- python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9000)); s.settimeout(1.5); n = 0
print("ready", flush=True)
try:
    while True:
        s.recv(100); n += 1
except socket.timeout:
    print(n)
' >"$out" &
  local pid=$! i
  for i in $(seq 1 50); do grep -q ready "$out" 2>/dev/null && break; sleep 0.05; done
  zf exec "$LAB/$1" -- python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20):
    s.sendto(b"x", (sys.argv[1], 9000)); time.sleep(0.01)
' "$(addr_of "$2")"
  wait $pid
  tail -n1 "$out"
}

# fault_count: active faults of the lab.
fault_count() {
  zf status "$LAB" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["labs"][0]["faults"]))'
}

# gear_state: every gear namespace's nftables table and routes and links,
# to compare before/after.
gear_state() {
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^zf\.$LAB\.(z|r|bb|inet|h)(\.|$)" | sort); do
    echo "## $ns"
    ip netns exec "$ns" nft list tables
    ip netns exec "$ns" tc qdisc show
    case $ns in zf.$LAB.h.*) continue ;; esac
    ip netns exec "$ns" nft list table inet zonefall
    ip netns exec "$ns" ip -4 route show table all
    ip netns exec "$ns" ip -o link show | awk '{print $2, $3}'
  done
}

# net_lab_up: write and bring up the network-fault lab $LAB, remember the
# gear as the lab made it, and define the helpers the tests share:
# same_gear WHAT (the gear is as it was, no fault active), inject ARGS...,
# revert WHAT.
net_lab_up() {
  write_net_lab $LAB "$WORK/lab.yaml"
  lab_up $LAB "$WORK/lab.yaml" >/dev/null
  gear_state >"$WORK/gear.before"
}
same_gear() {
  gear_state >"$WORK/gear.after"
  diff -u "$WORK/gear.before" "$WORK/gear.after" >&2 || fail "$1: the gear differs"
  [ "$(fault_count)" = 0 ] || fail "$1: faults still active"
}
inject() { zf inject --lab $LAB "$@" >/dev/null || fail "inject $*"; }
revert() { zf revert --lab $LAB >/dev/null || fail "revert after: $*"; }
