#!/usr/bin/env bash
# partition and isolate: an established TCP connection across a zone
# partition stalls (no reset) and resumes after revert; new connections
# time out; r1/a <-> r1/c, clients and the rest are unaffected; oneway cuts
# only A -> B (UDP gets through the other way); partitions of two hosts of
# one zone, two regions and a client vs a region work; isolate cuts a host
# or zone off from everything outside it (clients included) and leaves the
# rest alone; the gear is exactly as before after every revert; a scenario
# step drives a partition through `zonefall run`.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netfault_lib.sh"

LAB=t-part
net_lab_up
# here inject keeps its JSON answer (apply_ms) in $WORK/inj.json
inject() { zf inject --lab $LAB "$@" --json >"$WORK/inj.json" || fail "inject $*"; }

want_reach ok a1 b1
want_reach ok user1 a1

# --- zone partition: established connection stalls, then resumes ----------
zf exec $LAB/a1 -- python3 -c '
import socket, time
s = socket.create_connection(("b1", 7000), timeout=3)
s.sendall(b"1\n"); s.recv(2)
print("connected", flush=True)
time.sleep(1.5)                       # the partition comes meanwhile
s.sendall(b"2\n"); s.settimeout(1.5)
try:
    s.recv(2); print("echo", flush=True)
except socket.timeout:
    print("stalled", flush=True)
except OSError as e:
    print("error", e, flush=True)
s.settimeout(20)                      # revert comes meanwhile; TCP resends
                                      # with backoff (up to ~6 s apart here)
try:
    print("resumed" if s.recv(2) else "closed", flush=True)
except OSError as e:
    print("error", e, flush=True)
' >"$WORK/est.out" 2>&1 &
est=$!
for i in $(seq 1 60); do grep -q connected "$WORK/est.out" && break; sleep 0.05; done
grep -q connected "$WORK/est.out" || fail "no connection a1 -> b1: $(cat "$WORK/est.out")"
inject partition "zone r1/a | zone r1/b"
ms=$(json_get "$WORK/inj.json" 'j["apply_ms"]')
ok "partition zone r1/a | zone r1/b applied and verified in $ms ms"
want_reach timeout a1 b1
want_reach timeout b1 a2
ok "new connections across the partition time out (both ways)"
want_reach ok a1 c1
want_reach ok a1 a2
want_reach ok b1 c1
want_reach ok user1 a1
want_reach ok user2 b1
want_reach ok d1 a1
ok "r1/a <-> r1/c, inside each zone, clients and other regions unaffected"
for i in $(seq 1 80); do grep -q -E 'stalled|echo|error' "$WORK/est.out" && break; sleep 0.05; done
grep -q stalled "$WORK/est.out" || fail "established connection: $(cat "$WORK/est.out")"
ok "established connection stalls (no reset)"
revert partition
wait $est || true
grep -q resumed "$WORK/est.out" || fail "after revert: $(cat "$WORK/est.out")"
ok "revert: the stalled connection resumes"
want_reach ok a1 b1
want_reach ok b1 a2
same_gear "partition revert"
ok "revert: reachability back, gear exactly as before"

# --- oneway ------------------------------------------------------------------
inject partition "zone r1/a | zone r1/b" oneway
n_ab=$(udp_count a1 b1)
n_ba=$(udp_count b1 a1)
[ "$n_ab" = 0 ] || fail "oneway: a1 -> b1 should be dropped, $n_ab of 20 arrived"
[ "$n_ba" -ge 15 ] || fail "oneway: b1 -> a1 should get through, $n_ba of 20 arrived"
want_reach timeout a1 b1
ok "oneway: UDP a1 -> b1 dropped, b1 -> a1 delivered ($n_ba/20)"
revert oneway
[ "$(udp_count a1 b1)" -ge 15 ] || fail "oneway revert: a1 -> b1 still dropped"
same_gear "oneway revert"
ok "oneway revert"

# --- other shapes -------------------------------------------------------------
inject partition "host a1 | host a2"
want_reach timeout a1 a2
want_reach timeout a2 a1
want_reach ok a1 b1
want_reach ok a2 b1
revert hosts
ok "two hosts of one zone"
inject partition "region r1 | region r2"
want_reach timeout a1 d1
want_reach timeout e1 c1
want_reach ok a1 b1
want_reach ok d1 e1
want_reach ok user1 d1
revert regions
ok "two regions"
inject partition "client user1 | region r2"
want_reach timeout user1 d1
want_reach timeout d1 user1
want_reach ok user2 d1
want_reach ok user1 a1
revert client
ok "a client and a region"
zf inject --lab $LAB partition "zone r1/a | host a1" 2>"$WORK/err" && fail "overlapping sides accepted"
grep -q "both sides select a1" "$WORK/err" || fail "overlap message: $(cat "$WORK/err")"
zf inject --lab $LAB partition "zone r1/a" 2>/dev/null && fail "one-sided partition accepted"
zf inject --lab $LAB partition "zone r1/a | zone r1/b" sideways 2>/dev/null && fail "bad argument accepted"
[ "$(fault_count)" = 0 ] || fail "a refused partition left a fault"
ok "overlapping sides, a missing side and a bad argument are refused"
same_gear "partition shapes"

# --- isolate -------------------------------------------------------------------
inject isolate "zone r1/a"
want_reach ok a1 a2
want_reach timeout a1 b1
want_reach timeout c1 a2
want_reach timeout user1 a1
want_reach ok b1 c1
want_reach ok user1 d1
revert isolate zone
ok "isolate zone: its hosts talk to each other and to nobody else; others unaffected"
inject isolate "host a1"
want_reach timeout a1 a2
want_reach timeout a2 a1
want_reach timeout user1 a1
want_reach ok a2 b1
want_reach ok user1 a2
revert isolate host
same_gear "isolate revert"
ok "isolate host: cut from its own zone and clients; others unaffected"

# --- through a scenario ---------------------------------------------------------
cat >"$WORK/part.yaml" <<'YAML'
scenario: part-step
class: network
probes:
  cross: { tcp: { connect: "b1:7000" }, from: a1, rate: 20, timeout: 300ms }
  same: { tcp: { connect: "c1:7000" }, from: a1, rate: 20, timeout: 300ms }
warmup: 1s
steps:
  - { at: 0s, do: partition, target: "zone r1/a | zone r1/b", for: 2s }
cooldown: 1s
YAML
zf run "$WORK/part.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/run.out" 2>&1 ||
  { cat "$WORK/run.out"; fail "zonefall run with a partition step failed"; }
python3 - "$(ls -d "$WORK"/runs/*-part-step*)/run.json" <<'PY' || fail "scenario partition not as expected"
import json, sys
j = json.load(open(sys.argv[1]))
ev = j["events"][0]
assert ev["action"] == "partition" and ev["status"] == "reverted", ev
p = {q["name"]: q for q in j["probes"]}
assert p["cross"]["windows"][0]["availability"] == 0.0, p["cross"]["windows"]
assert p["same"]["availability"] == 100.0, p["same"]["availability"]
assert p["cross"]["recovered"], p["cross"]
PY
same_gear "scenario"
ok "zonefall run: a partition step cuts r1/a <-> r1/b for 2 s only, r1/a <-> r1/c untouched"
