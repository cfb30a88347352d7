#!/usr/bin/env bash
# block FROM -> TO: a firewall-policy mistake. "drop" gives the client a
# timeout, "reject" a refused connection (TCP reset from the gear on behalf
# of the destination; ICMP port unreachable for UDP); only the named
# from/to/protocol/port is affected - another port of the same host,
# another source, the way back all still work; a service selector as TO
# stands for its hosts; bad arguments are refused; revert leaves the gear
# exactly as it was. (Blocks are stateless, like a network ACL: they match
# packets FROM -> TO whatever connection they belong to.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netfault_lib.sh"

LAB=t-block
net_lab_up

# --- drop (the default: tcp, any port) ------------------------------------
inject block "client user1 -> host a1"
want_reach timeout user1 a1 7000
want_reach timeout user1 a1 8080
want_reach ok user2 a1
want_reach ok user1 a2
zf exec $LAB/user1 -- ping -c1 -W1 a1 >/dev/null || fail "block tcp also cut icmp"
revert drop
ok "block (tcp drop): user1 -> a1 times out; user2 -> a1, user1 -> a2 and icmp work"

# --- reject on one port -----------------------------------------------------
inject block "client user1 -> host a1" "tcp port 8080 reject"
t0=$(date +%s%N)
want_reach refused user1 a1 8080 3
t1=$(date +%s%N)
(( (t1 - t0) / 1000000 < 1500 )) || fail "refusal took $(( (t1 - t0) / 1000000 )) ms"
want_reach ok user1 a1 7000
want_reach ok user2 a1 8080
want_reach ok user1 b1 8080
revert reject
ok "block tcp port 8080 reject: connection refused at once; port 7000, other sources and hosts work"

# --- udp reject: ICMP port unreachable ----------------------------------------
inject block "client user1 -> host a1" "udp port 9000 reject"
out=$(zf exec $LAB/user1 -- python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("a1", 9000)); s.settimeout(1.5); s.send(b"x")
try:
    s.recv(10); print("answer")
except ConnectionRefusedError: print("refused")
except socket.timeout: print("timeout")
')
[ "$out" = refused ] || fail "udp reject: $out"
want_reach ok user1 a1 7000
revert udp
ok "block udp port 9000 reject: the sender's socket gets 'connection refused'"

# --- zones, regions, services ---------------------------------------------------
inject block "zone r1/b -> service web in host d1" "tcp port 8080"
want_reach timeout b1 d1 8080
want_reach ok b1 d1 7000
want_reach ok c1 d1 8080
want_reach ok d1 b1 8080
revert service
ok "block zone -> service's host on its port: only that pair and port"
inject block "region r1 -> region r2" "any port 7000 reject"
want_reach refused a1 d1 7000 3
want_reach ok a1 d1 8080
want_reach ok d1 a1 7000
revert regions
ok "block region -> region, any protocol on one port"
inject block "host a1 -> zone r1/a" "reject"
want_reach refused a1 a2 7000 3
want_reach ok a2 b1 7000
want_reach ok a1 b1 7000
revert overlap
ok "block between overlapping sides (a host and its own zone)"
same_gear "block reverts"

# --- refused arguments ------------------------------------------------------------
for bad in "icmp port 80" "tcp port 0" "tcp port 70000" "port" "tcp udp" "drop reject" "sideways"; do
  zf inject --lab $LAB block "client user1 -> host a1" "$bad" 2>"$WORK/err" &&
    fail "block accepted '$bad'"
  grep -q "block client user1 -> host a1: " "$WORK/err" || fail "message for '$bad': $(cat "$WORK/err")"
done
zf inject --lab $LAB block "client user1 | host a1" 2>/dev/null && fail "block accepted '|'"
[ "$(fault_count)" = 0 ] || fail "a refused block left a fault"
ok "bad protocol/port/action words and a missing '->' are refused, nothing applied"
same_gear "end"
