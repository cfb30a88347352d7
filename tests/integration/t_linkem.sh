#!/usr/bin/env bash
# t_linkem.sh - zonefall-linkem, the userspace link emulator, on real
# packets. Three namespaces of its own (a sender, r a router, b a
# receiver: a <-> r <-> b over veths, 198.18.201.0/24 and 198.18.202.0/24),
# the lab side's rules mimicked in r (an nft rule marking forwarded
# packets, the iptables NFQUEUE rule on the mark with --queue-bypass), the
# daemon started detached on a directory of its own. Checks:
#   delay 20 ms: ping RTT = 20 ms + base, p99 within 1 ms; stats report
#   the delay actually added; loss 30% over 10,000 datagrams within 3%;
#   delay + loss together, then a reload without the loss keeps the delay;
#   reorder; duplicate (ping's DUP!); corrupt (nothing delivered, the
#   receiver's checksum counters rise); a bad reload keeps the old config;
#   unbinding on reload; kill -9 fails open; SIGTERM exits 0 and removes
#   the socket. Everything is removed in the EXIT trap.
# Drivers: zonefall-linkem and bench/zf_linkem_drv next to $ZF_BIN
# (ZF_LINKEM, ZF_LINKEM_DRV override).
source "$(dirname "$0")/lib.sh"

BUILD=$(dirname "$ZF_BIN")
LINKEM=${ZF_LINKEM:-$BUILD/zonefall-linkem}
DRV=${ZF_LINKEM_DRV:-$BUILD/bench/zf_linkem_drv}
[ -x "$LINKEM" ] || fail "no daemon at $LINKEM (set ZF_LINKEM)"
[ -x "$DRV" ] || fail "no driver at $DRV (set ZF_LINKEM_DRV)"
P=zf-t-linkem-$$
A=$P-a R=$P-r B=$P-b
DIR=$WORK/linkem
DPID=
RX_PID=
QNUM=7
MS=1000000

lk_cleanup() {
  local rc=$?
  set +e                 # remove everything, whatever fails on the way
  [ -n "$RX_PID" ] && kill "$RX_PID" 2>/dev/null
  if [ -n "$DPID" ]; then
    kill -KILL "$DPID" 2>/dev/null
    wait "$DPID" 2>/dev/null
  fi
  for ns in "$A" "$R" "$B"; do ip netns del "$ns" 2>/dev/null; done
  (exit $rc)
  cleanup
}
trap lk_cleanup EXIT

setup_net() {
  ip netns add "$A" && ip netns add "$R" && ip netns add "$B" || fail "netns"
  ip -n "$A" link add la type veth peer name ra netns "$R"
  ip -n "$B" link add lb type veth peer name rb netns "$R"
  ip -n "$A" addr add 198.18.201.2/24 dev la
  ip -n "$R" addr add 198.18.201.1/24 dev ra
  ip -n "$R" addr add 198.18.202.1/24 dev rb
  ip -n "$B" addr add 198.18.202.2/24 dev lb
  for x in "$A la" "$R ra" "$R rb" "$B lb" "$A lo" "$R lo" "$B lo"; do
    set -- $x
    ip -n "$1" link set "$2" up
  done
  ip -n "$A" route add default via 198.18.201.1
  ip -n "$B" route add default via 198.18.202.1
  ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
  # What the lab side installs: a mark bit set by nft, NFQUEUE on it.
  ip netns exec "$R" nft -f - <<'EOF' || fail "nft mark rule"
table ip zf_t_linkem {
  chain pre {
    type filter hook prerouting priority -150; policy accept;
    meta mark set meta mark or 0x100000
  }
}
EOF
  ip netns exec "$R" iptables -t filter -A FORWARD -m mark \
    --mark 0x100000/0x100000 -j NFQUEUE --queue-num $QNUM --queue-bypass ||
    fail "iptables NFQUEUE rule"
  IF_A=$(ip netns exec "$R" cat /sys/class/net/ra/ifindex)
  IF_B=$(ip netns exec "$R" cat /sys/class/net/rb/ifindex)
}

lk() { # lk REQUEST: the daemon's one-line answer on stdout
  python3 - "$DIR/ctl.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
b = b""
while not b.endswith(b"\n"):
    c = s.recv(1 << 20)
    if not c:
        break
    b += c
print(b.decode().rstrip("\n"))
PY
}

start_daemon() {
  setsid "$LINKEM" --dir "$DIR" 2>>"$WORK/linkem.log" &
  DPID=$!
  for _ in $(seq 100); do
    [ -S "$DIR/ctl.sock" ] && lk stats >/dev/null 2>&1 && return 0
    kill -0 "$DPID" 2>/dev/null || fail "daemon exited: $(cat "$WORK/linkem.log")"
    sleep 0.05
  done
  fail "daemon not ready after 5 s"
}

config() { # config LINK_ARGS... : queue 1 + one link per argument
  {
    echo "# t_linkem"
    echo "queue 1 /run/netns/$R $QNUM"
    for l in "$@"; do echo "link $l"; done
  } >"$DIR/config.tmp"
  mv "$DIR/config.tmp" "$DIR/config"
}

reload_ok() {
  local r
  r=$(lk reload)
  [[ $r == "ok "* ]] || fail "reload answered '$r'"
}

rtts() { # rtts COUNT INTERVAL: ping RTTs in ms, one per line
  { ip netns exec "$A" ping -n -c "$1" -i "$2" -W 2 198.18.202.2 || true; } |
    sed -n 's/.*time=\([0-9.]*\) ms$/\1/p'
}

pct() { # pct FILE Q: the Q quantile of the numbers in FILE
  python3 -c 'import sys; v=sorted(float(x) for x in open(sys.argv[1]));
print(v[min(len(v)-1, int(float(sys.argv[2])*(len(v)-1)+0.5))] if v else -1)' "$1" "$2"
}

fcmp() { python3 -c "import sys; sys.exit(0 if ($1) else 1)"; }

udp() { # udp RATE SECS TARGET_NS: datagrams a -> b; sets R_sent, R_<key>
  local out=$WORK/rx.out
  ip netns exec "$B" "$DRV" recv 9000 $(($2 + 2)) "${3:-0}" >"$out" &
  RX_PID=$!
  for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.02; done
  R_sent=$(ip netns exec "$A" "$DRV" send 198.18.202.2 9000 "$1" "$2" |
    sed -n 's/^sent=\([0-9]*\).*/\1/p')
  wait "$RX_PID"
  RX_PID=
  for kv in $(tail -n 1 "$out"); do
    printf -v "R_${kv%%=*}" '%s' "${kv#*=}"
  done
  [ -n "${R_received:-}" ] || fail "no receiver result: $(cat "$out")"
}

stat_of() { # stat_of PYTHON_EXPR (j: the stats JSON)
  lk stats >"$WORK/stats.json"
  json_get "$WORK/stats.json" "$1"
}

snmp_errors() { # checksum and header errors b counted so far
  ip netns exec "$B" python3 -c '
t = {}
for f in ("/proc/net/snmp", "/proc/net/netstat"):
    rows = [l.split() for l in open(f)]
    for h, v in zip(rows[0::2], rows[1::2]):
        for k, x in zip(h[1:], v[1:]):
            t[h[0] + k] = int(x)
# A flipped IP header bit fails the header checksum (InHdrErrors); a UDP
# one the UDP checksum or length check (InErrors, which counts both).
print(t["Ip:InHdrErrors"] + t["Udp:InErrors"])'
}

check_base() {
  rtts 100 0.01 >"$WORK/base"
  BASE50=$(pct "$WORK/base" 0.5)
  BASE99=$(pct "$WORK/base" 0.99)
  fcmp "$BASE99 < 5" || fail "base RTT p99 $BASE99 ms: no emulation expected"
  [ "$(stat_of 'j["gen"]')" = 0 ] || fail "gen is not 0 at start"
  ok "no link: ping passes (base RTT p50 $BASE50 ms, p99 $BASE99 ms)"
}

check_delay() {
  config "ab queue=1 iif=$IF_A oif=$IF_B delay=$((20 * MS))"
  reload_ok
  rtts 300 0.01 >"$WORK/d20"
  local n p1 p50 p99
  n=$(wc -l <"$WORK/d20")
  p1=$(pct "$WORK/d20" 0.01) p50=$(pct "$WORK/d20" 0.5)
  p99=$(pct "$WORK/d20" 0.99)
  [ "$n" -ge 295 ] || fail "delay 20 ms: only $n of 300 replies"
  fcmp "$p1 >= 20.0" || fail "delay 20 ms: p1 RTT $p1 ms < 20 ms"
  fcmp "abs($p50 - 20 - $BASE50) <= 1.0" ||
    fail "delay 20 ms: p50 RTT $p50 ms, wanted 20 + $BASE50 +- 1"
  fcmp "$p99 <= 20 + $BASE99 + 1.0" ||
    fail "delay 20 ms: p99 RTT $p99 ms, wanted <= 20 + $BASE99 + 1"
  ok "delay 20 ms: RTT p1 $p1, p50 $p50, p99 $p99 ms over $n pings"
  local added err rel
  added=$(stat_of 'j["links"][0]["delay_added"]["p50_ns"]')
  err=$(stat_of 'j["links"][0]["error"]["p99_ns"]')
  rel=$(stat_of 'j["links"][0]["released"]')
  [ "$rel" -ge "$n" ] || fail "stats: released $rel < $n"
  [ "$(stat_of 'j["links"][0]["delay_target_ns_mean"]')" = $((20 * MS)) ] ||
    fail "stats: target mean"
  fcmp "abs($added - 20e6) < 0.5e6 and $err < 1e6" ||
    fail "stats: delay_added p50 $added ns, error p99 $err ns"
  ok "stats: delay actually added p50 $added ns, error p99 $err ns"
}

check_loss() {
  config "ab queue=1 iif=$IF_A oif=$IF_B loss=30"
  reload_ok
  udp 5000 2
  local lost
  lost=$(python3 -c "print(1 - $R_received / $R_sent)")
  [ "$R_sent" -ge 9000 ] || fail "loss: only $R_sent datagrams sent"
  fcmp "abs($lost - 0.30) <= 0.03" || fail "loss 30%: measured $lost"
  local d p
  d=$(stat_of 'j["links"][0]["dropped"]')
  p=$(stat_of 'j["links"][0]["packets"]')
  fcmp "abs($d / $p - 0.30) <= 0.03" || fail "stats: dropped $d of $p"
  ok "loss 30%: $lost of $R_sent datagrams lost (stats: $d of $p)"
}

check_delay_and_loss() {
  config "d queue=1 iif=$IF_A oif=$IF_B delay=$((20 * MS))" \
         "l queue=1 iif=$IF_A oif=* loss=30"
  reload_ok
  udp 2500 2 $((20 * MS))
  local lost
  lost=$(python3 -c "print(1 - $R_received / $R_sent)")
  fcmp "abs($lost - 0.30) <= 0.03" || fail "delay+loss: lost $lost"
  fcmp "abs($R_delay_p50_ns - 20e6) < 1e6" ||
    fail "delay+loss: one-way p50 $R_delay_p50_ns ns"
  [ "$R_reordered" = 0 ] || fail "constant delay reordered $R_reordered"
  ok "delay+loss: $lost lost, one-way p50 $R_delay_p50_ns ns, in order"
  config "d queue=1 iif=$IF_A oif=$IF_B delay=$((20 * MS))"
  reload_ok
  udp 2500 2 $((20 * MS))
  [ "$R_received" = "$R_sent" ] ||
    fail "loss removed: $R_received of $R_sent received"
  fcmp "abs($R_delay_p50_ns - 20e6) < 1e6 and $R_delay_p99_ns < 21.5e6" ||
    fail "loss removed: delay p50 $R_delay_p50_ns p99 $R_delay_p99_ns"
  [ "$(stat_of '",".join(l["name"] for l in j["links"])')" = d ] ||
    fail "stats still list the removed link"
  ok "reload without the loss: all $R_sent delivered, delay kept (p99 $R_delay_p99_ns ns)"
}

check_reorder() {
  config "ab queue=1 iif=$IF_A oif=$IF_B delay=$((10 * MS)) reorder=50"
  reload_ok
  udp 1000 2
  [ "$R_received" = "$R_sent" ] || fail "reorder lost packets"
  [ "$R_reordered" -ge $((R_sent / 10)) ] ||
    fail "reorder 50%: only $R_reordered of $R_sent out of order"
  ok "reorder 50%: $R_reordered of $R_sent arrived out of order"
}

check_duplicate() {
  config "ab queue=1 iif=$IF_A oif=$IF_B duplicate=100"
  reload_ok
  local dups
  # ping stops at its 20th reply: the 20th copy may come after it left.
  dups=$(ip netns exec "$A" ping -n -c 20 -i 0.05 198.18.202.2 | grep -c 'DUP!')
  [ "$dups" -ge 19 ] || fail "duplicate 100%: $dups DUP! for 20 pings"
  [ "$(stat_of 'j["queues"][0]["mode"]')" = packet ] ||
    fail "a duplicating queue is not in copy mode"
  udp 1000 1
  [ "$R_received" = $((2 * R_sent)) ] ||
    fail "duplicate 100%: $R_received datagrams for $R_sent sent"
  ok "duplicate 100%: $dups DUP! for 20 pings, $R_received datagrams for $R_sent"
}

check_corrupt() {
  config "ab queue=1 iif=$IF_A oif=$IF_B corrupt=100"
  reload_ok
  local before after
  before=$(snmp_errors)
  udp 500 1
  after=$(snmp_errors)
  [ "$R_received" = 0 ] || fail "corrupt 100%: $R_received datagrams delivered"
  [ $((after - before)) -ge $((R_sent * 9 / 10)) ] ||
    fail "corrupt 100%: only $((after - before)) errors counted for $R_sent"
  [ "$(stat_of 'j["links"][0]["corrupted"]')" -ge "$R_sent" ] ||
    fail "stats: corrupted"
  ok "corrupt 100%: 0 of $R_sent delivered, $((after - before)) counted as errors by b"
}

check_bad_reload() {
  config "ab queue=1 iif=$IF_A oif=$IF_B delay=$((20 * MS))"
  reload_ok
  local gen r
  gen=$(stat_of 'j["gen"]')
  printf 'queue 1 /run/netns/%s %s\nlink x queue=1 iif=* oif=* loss=200\n' \
    "$R" $QNUM >"$DIR/config"
  r=$(lk reload)
  [[ $r == "error $DIR/config:2: "*"loss= expects a percentage"* ]] ||
    fail "bad reload answered '$r'"
  [ "$(stat_of 'j["gen"]')" = "$gen" ] || fail "bad reload changed gen"
  rtts 5 0.05 >"$WORK/keep"
  fcmp "$(pct "$WORK/keep" 0) >= 20" || fail "bad reload dropped the delay"
  ok "bad reload: '$r', old config still applied"
  printf '# nothing\n' >"$DIR/config"
  reload_ok
  rtts 5 0.05 >"$WORK/none"
  fcmp "$(pct "$WORK/none" 1) < 5" || fail "queue unbound: still delayed"
  [ "$(stat_of 'len(j["queues"])')" = 0 ] || fail "queue still listed"
  ok "config without queues: unbound, packets bypass"
}

check_fail_open() {
  config "ab queue=1 iif=$IF_A oif=$IF_B delay=$((20 * MS))"
  reload_ok
  kill -KILL "$DPID"
  wait "$DPID" 2>/dev/null || true
  DPID=
  rtts 10 0.05 >"$WORK/open"
  [ "$(wc -l <"$WORK/open")" = 10 ] || fail "kill -9: traffic stopped"
  fcmp "$(pct "$WORK/open" 1) < 5" || fail "kill -9: still delayed"
  ok "kill -9: traffic flows unemulated (--queue-bypass)"
}

check_restart_and_term() {
  [ -S "$DIR/ctl.sock" ] || fail "a killed daemon's socket should remain"
  start_daemon                   # replaces the stale socket
  rtts 3 0.05 >"$WORK/again"
  fcmp "$(pct "$WORK/again" 0) >= 20" || fail "restart: config not applied"
  kill -TERM "$DPID"
  local rc=0
  wait "$DPID" || rc=$?
  DPID=
  [ "$rc" = 0 ] || fail "SIGTERM: exit status $rc"
  [ ! -e "$DIR/ctl.sock" ] || fail "SIGTERM: socket left"
  ok "restart over a stale socket; SIGTERM exits 0 and removes the socket"
  start_daemon
  [ "$(lk quit)" = ok ] || fail "quit"
  wait "$DPID" || fail "quit: non-zero exit"
  DPID=
  ok "quit: ok, exit 0"
}

setup_net
mkdir -m 0700 "$DIR"
start_daemon
check_base
check_delay
check_loss
check_delay_and_loss
check_reorder
check_duplicate
check_corrupt
check_bad_reload
check_fail_open
check_restart_and_term
