#!/usr/bin/env bash
# Base latencies and link faults through the link emulator and tbf:
# cross_region 40ms gives an 80 ms ping RTT (p1, p50 within 1 ms over 1,000
# pings); delay 20ms on top gives 100 ms; the delivered delay at 10k
# packets/s stays within 0.5 ms p99; loss 30% over 10,000 packets measures
# 30% +- 3%; delay and loss compose and reverting one leaves the other;
# bandwidth 10mbit gives TCP within +-10%; the emulator fails open when
# killed and `recover` brings the base latencies back; nothing is left.
source "$(dirname "$0")/lib.sh"

LAB=t-link
cat >"$WORK/lab.yaml" <<YAML
lab: $LAB
regions:
  r1: { zones: [a, b] }
  r2: { zones: [a] }
links: { cross_region: 40ms }
clients: [user1]
hosts:
  h1: { zone: r1/a, services: { iperf: { run: "iperf3 -s -p 5201", restart: always, ready: { tcp: 5201 } } } }
  h2: { zone: r1/b }
  h3: { zone: r2/a }
YAML
snapshot >"$WORK/before.snap"
lab_up $LAB "$WORK/lab.yaml" >/dev/null

# rtt_stats FROM TO COUNT INTERVAL -> "p1 p50 p99 loss%" of ping's RTTs (ms)
rtt_stats() {
  zf exec --lab $LAB "$1" -- ping -n -c "$3" -i "$4" -W 2 "$(lab_addr $LAB "$2")" 2>/dev/null | python3 -c '
import re, sys
t, loss = [], None
for line in sys.stdin:
    m = re.search(r"time=([0-9.]+) ms", line)
    if m: t.append(float(m.group(1)))
    m = re.search(r"([0-9.]+)% packet loss", line)
    if m: loss = float(m.group(1))
t.sort()
q = lambda p: t[min(len(t) - 1, int(p * len(t)))] if t else -1
print("%.3f %.3f %.3f %.2f" % (q(0.01), q(0.5), q(0.99), loss))'
}

# in_range VALUE LOW HIGH
in_range() { python3 -c "import sys; v,l,h=map(float,sys.argv[1:]); sys.exit(0 if l<=v<=h else 1)" "$@"; }

# rtt_within FROM TO LOW HIGH: 1,000 pings whose p1 and p50 lie in
# [LOW, HIGH] and whose p99 is at most 5 ms above HIGH; up to 3 rounds for
# the p99 part. Why the slack: on this shared VM the emulator's wake-ups
# (SCHED_FIFO) came within a fraction of a millisecond at p99 in November
# (80.3 ms), and 1-4.5 ms late at p99 in December with the lab idle, a
# bare veth between two namespaces still at 0.07 ms: noise this test
# cannot tell from a regression, so p99 is bounded loosely and reported,
# and the delay itself is checked by p1 and p50. Leaves the last round's
# figures in p1 p50 p99 loss.
rtt_within() {
  local round hi99
  hi99=$(python3 -c "print($4 + 5)")
  for round in 1 2 3; do
    read -r p1 p50 p99 loss < <(rtt_stats "$1" "$2" 1000 0.005)
    echo "  $1 -> $2 round $round: p1 $p1 p50 $p50 p99 $p99 ms, loss $loss%"
    in_range "$p1" "$3" "$4" && in_range "$p50" "$3" "$4" || return 1
    in_range "$p99" "$3" "$hi99" && return 0
  done
  return 1
}

# --- base latency -----------------------------------------------------------
rtt_within h1 h3 79 81 || fail "cross-region RTT should be 80 +- 1 ms (p99 < 86), p1 $p1 p50 $p50 p99 $p99"
ok "cross_region 40ms: RTT 80 +- 1 ms (p1 and p50 of 1,000 pings; p99 $p99)"
read -r p1 p50 p99 loss < <(rtt_stats h1 h2 200 0.005)
in_range "$p99" 0 2 || fail "cross-zone RTT without cross_zone should be < 2 ms, p99 $p99"
ok "no cross_zone latency: h1 -> h2 p99 $p99 ms"

# --- delay on top -----------------------------------------------------------
zf inject --lab $LAB delay "region r1" "20ms out" --json >"$WORK/delay.json" || fail "inject delay"
DELAY_ID=$(json_get "$WORK/delay.json" 'j["id"]')
rtt_within h1 h3 99 101 || fail "RTT should be 100 +- 1 ms (p99 < 106), p1 $p1 p50 $p50 p99 $p99"
ok "delay 20ms on top of cross_region 40ms: RTT 100 +- 1 ms (p99 $p99)"

# --- delivered delay at 10k packets/s ----------------------------------------
zf exec --lab $LAB h3 -- python3 -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_TIMESTAMPNS", 35), 1)
s.bind(("0.0.0.0", 9999)); s.settimeout(3)
err = []
try:
    while True:
        data, anc, _, _ = s.recvmsg(64, 64)
        sent = struct.unpack("!Q", data[:8])[0]
        sec, nsec = struct.unpack("qq", anc[0][2][:16])
        err.append(abs((sec * 10**9 + nsec - sent) / 1e6 - 60.0))
except socket.timeout:
    pass
err.sort()
print("%d %.3f %.3f" % (len(err), err[len(err) // 2], err[int(len(err) * 0.99)]))
' >"$WORK/udp.out" &
rx=$!
sleep 0.5
zf exec --lab $LAB h1 -- python3 -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
start = time.monotonic(); n = 0
while n < 20000:
    due = start + n / 10000.0
    while time.monotonic() < due: pass
    s.sendto(struct.pack("!Q", time.time_ns()), (sys.argv[1], 9999)); n += 1
' "$(lab_addr $LAB h3)"
wait $rx
read -r got e50 e99 <"$WORK/udp.out"
echo "  10k packets/s h1 -> h3 (40 ms base + 20 ms delay): $got delivered, delay error p50 $e50 p99 $e99 ms"
[ "$got" -ge 19000 ] || fail "only $got of 20000 datagrams arrived"
in_range "$e99" 0 0.5 || fail "delivered delay error p99 $e99 ms > 0.5 ms"
ok "10k packets/s: delivered delay within 0.5 ms p99 of 60 ms"

# --- loss, and composition ---------------------------------------------------
zf inject --lab $LAB loss "host h2" "30%" --json >"$WORK/loss.json" || fail "inject loss"
LOSS_ID=$(json_get "$WORK/loss.json" 'j["id"]')
read -r p1 p50 p99 loss < <(rtt_stats h2 h1 10000 0.001)
echo "  loss 30% out of h2: $loss% of 10,000 pings lost"
in_range "$loss" 27 33 || fail "loss should be 30 +- 3 %, is $loss%"
ok "loss 30%: $loss% of 10,000 packets"
zf inject --lab $LAB loss "host h1" "30% in" >/dev/null || fail "inject loss on h1"
read -r p1 p50 p99 loss < <(rtt_stats h3 h1 600 0.005)
echo "  h3 -> h1 with delay (r1 out) and loss (h1 in): p50 $p50 ms, loss $loss%"
in_range "$p50" 99 101 && in_range "$loss" 20 40 || fail "delay and loss do not compose"
ok "delay and loss on one path both take effect"
zf revert --lab $LAB "$DELAY_ID" >/dev/null || fail "revert delay"
read -r p1 p50 p99 loss < <(rtt_stats h3 h1 600 0.005)
echo "  after reverting the delay: p50 $p50 ms, loss $loss%"
in_range "$p50" 79 81 && in_range "$loss" 20 40 || fail "reverting the delay changed the loss"
ok "reverting the delay leaves the loss (and the base latency)"
zf revert --lab $LAB >/dev/null || fail "revert all"
read -r p1 p50 p99 loss < <(rtt_stats h2 h1 300 0.002)
in_range "$loss" 0 0 || fail "loss remains after revert: $loss%"
ok "revert: no loss left"

# --- bandwidth -----------------------------------------------------------------
iperf_mbit() { # iperf_mbit FROM TO
  zf exec --lab $LAB "$1" -- iperf3 -c "$(lab_addr $LAB "$2")" -p 5201 -t 4 -J 2>/dev/null |
    python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))'
}
zf inject --lab $LAB bandwidth "host h1" "10mbit in" >/dev/null || fail "inject bandwidth"
mbit=$(iperf_mbit h2 h1)
echo "  bandwidth 10mbit into h1: TCP $mbit Mbit/s"
in_range "$mbit" 9 11 || fail "TCP throughput $mbit Mbit/s not within 10% of 10"
ok "bandwidth 10mbit: TCP $mbit Mbit/s"
zf revert --lab $LAB >/dev/null || fail "revert bandwidth"
mbit=$(iperf_mbit h2 h1)
in_range "$mbit" 50 1000000 || fail "throughput after revert only $mbit Mbit/s"
ok "bandwidth reverted: TCP $mbit Mbit/s"

# --- a drill: the report says what the emulator delivered ----------------------
cat >"$WORK/slow.yaml" <<'YAML'
scenario: slow-link
class: network
probes: { web: { tcp: { connect: "h1:5201" }, from: user1, rate: 20, slow: 30ms } }
warmup: 1s
steps:
  - { at: 0s, do: delay, target: "host h1", args: "20ms both", for: 2s }
cooldown: 1s
YAML
zf run "$WORK/slow.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/slow.out" 2>&1 ||
  { cat "$WORK/slow.out"; fail "the slow-link drill failed"; }
python3 - "$WORK"/runs/*-slow-link/run.json <<'PY' || fail "drill report: emulator figures missing or wrong"
import json, re, sys
ev = json.load(open(sys.argv[1]))["events"][0]
print("  delivered:", ev["delivered"])
m = re.search(r"(\d+) packets.*p50 ([0-9.]+) ms", ev["delivered"])
assert m and int(m.group(1)) > 0, ev
assert abs(float(m.group(2)) - 20.0) < 0.5, m.group(2)
PY
ok "a drill's delay step: run.json says what the emulator delivered"

# --- the emulator dies: fail open, recover restores -----------------------------
pid=$(cat /run/zonefall/$LAB/linkem/pid)
kill -9 "$pid"
read -r p1 p50 p99 loss < <(rtt_stats h1 h3 100 0.005)
in_range "$loss" 0 0 && in_range "$p99" 0 5 || fail "killed emulator: traffic should flow without delay (p99 $p99, loss $loss%)"
ok "emulator SIGKILLed: traffic flows (fail open), RTT $p50 ms"
zf recover $LAB | grep -q "link emulator restarted" || fail "recover did not restart the emulator"
read -r p1 p50 p99 loss < <(rtt_stats h1 h3 200 0.005)
in_range "$p99" 79 81 || fail "after recover the RTT is $p99 ms, not 80"
ok "recover: emulator back, RTT $p99 ms"

# --- SIGKILL of an inject half-way, then recover ---------------------------------
for d in 0.002 0.01 0.03; do
  "$ZF_BIN" inject --lab $LAB delay "zone r1/b" "50ms both" >/dev/null 2>&1 &
  sleep $d; kill -9 $! 2>/dev/null || true; wait $! 2>/dev/null || true
  zf recover $LAB >/dev/null || fail "recover after SIGKILL at ${d}s"
  read -r p1 p50 p99 loss < <(rtt_stats h2 h1 50 0.005)
  in_range "$p99" 0 5 || fail "after SIGKILL at ${d}s and recover: RTT $p99 ms"
done
ok "inject SIGKILLed half-way: recover leaves no delay behind"

zf down $LAB >/dev/null || fail "down"
assert_same_snapshot "$WORK/before.snap" "after down"
