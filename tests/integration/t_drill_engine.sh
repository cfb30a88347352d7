#!/usr/bin/env bash
# The drill engine on a running lab: step timing (every step within 5 ms of
# its plan), coordinated omission (a 2 s pause under 200 req/s shows as a
# 2 s outage and p99 >= 1.5 s), stop_when (the run stops and every fault is
# reverted within 200 ms of the trip), SIGINT in the middle of a fault
# (reverted, lab intact, report marked interrupted).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/drill_lab.sh"

LAB=t-drill
write_drill_lab $LAB "$WORK/lab.yaml"
lab_up $LAB "$WORK/lab.yaml" >/dev/null

latest_run() { ls -d "$WORK"/runs/*-"$1"* | tail -n1; }

# --- step timing -------------------------------------------------------------
{
  echo "scenario: timing"; echo "class: software"
  echo "probes: { web: { http: { url: 'http://srv.lab/' }, from: user1, rate: 50 } }"
  echo "warmup: 2s"; echo "cooldown: 500ms"; echo "steps:"
  for i in $(seq 0 9); do
    t=$(( i * 300 ))
    if (( i % 2 == 0 )); then a=pause; else a=resume; fi
    echo "  - { at: ${t}ms, do: $a, target: 'service nginx in host srv' }"
  done
} >"$WORK/timing.yaml"
zf run "$WORK/timing.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/timing.out" 2>&1 ||
  { cat "$WORK/timing.out"; fail "timing drill failed"; }
run=$(latest_run timing)
python3 - "$run/run.json" <<'PY' || fail "a step missed its planned time by more than 5 ms"
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
assert len(ev) == 10, len(ev)
worst = max(abs(e["t_actual_s"] - e["t_planned_s"]) for e in ev)
print("  worst step delay: %.3f ms" % (worst * 1000))
assert worst <= 0.005, worst
PY
ok "10 steps, each within 5 ms of its plan"

# --- coordinated omission ----------------------------------------------------
cat >"$WORK/stall.yaml" <<'YAML'
scenario: stall
class: software
probes:
  web:
    http: { url: "http://srv.lab/", keepalive: true, connections: 1 }
    from: user1
    rate: 200
    timeout: 5s
    slow: 100ms
warmup: 2s
steps:
  - { at: 0s, do: pause, target: "service nginx in host srv", for: 2s }
cooldown: 2s
YAML
zf run "$WORK/stall.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/stall.out" 2>&1 ||
  { cat "$WORK/stall.out"; fail "stall drill failed"; }
run=$(latest_run stall)
python3 - "$run/run.json" <<'PY' || fail "coordinated omission: stall not measured"
import json, sys
p = json.load(open(sys.argv[1]))["probes"][0]
p99 = p["latency_ms"]["all"]["p99"]
outs = p["outages"]
longest = max(o["duration_s"] for o in outs) if outs else 0
print("  p99 %.0f ms, longest outage %.3f s" % (p99, longest))
assert p99 >= 1500, p99
assert abs(longest - 2.0) <= 0.3, longest
PY
ok "a 2 s pause at 200 req/s: p99 >= 1.5 s and a 2 s ± 0.3 s outage"

# --- stop_when ---------------------------------------------------------------
cat >"$WORK/stop.yaml" <<'YAML'
scenario: stopper
class: power
probes: { web: { http: { url: "http://srv.lab/" }, from: user1, rate: 100, timeout: 300ms } }
warmup: 2s
steps:
  - { at: 0s, do: power-off, target: "host srv", for: 30s }
  - { at: 0s, do: pause, target: "host spare", for: 30s }
cooldown: 1s
stop_when: [ { probe: web, availability: "< 50%", for: 1s } ]
YAML
set +e; zf run "$WORK/stop.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/stop.out" 2>&1; rc=$?; set -e
[ $rc -eq 1 ] || { cat "$WORK/stop.out"; fail "stopped run: exit $rc, want 1"; }
run=$(latest_run stopper)
python3 - "$run/run.json" <<'PY' || fail "stop_when did not stop and revert in time"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ended"]["reason"] == "stopped", j["ended"]
assert "stop_when" in j["ended"]["detail"], j["ended"]
trip = j["duration_s"]
assert trip < 10, trip
for e in j["events"]:
    assert e["status"] == "reverted", e
    late = e["revert_actual_s"] - trip
    print("  %s reverted %.1f ms after the trip" % (e["id"], late * 1000))
    assert late <= 0.2, late
PY
zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" 'len(j["labs"][0]["faults"])')" = 0 ] || fail "faults left after stop"
ok "stop_when stops the run, reverts everything within 200 ms, says why"

# --- SIGINT ------------------------------------------------------------------
sed 's/stopper/interrupted/; /stop_when/d' "$WORK/stop.yaml" >"$WORK/int.yaml"
"$ZF_BIN" run "$WORK/int.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/int.out" 2>&1 &
pid=$!
sleep 4
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 1 ] || { cat "$WORK/int.out"; fail "interrupted run: exit $rc, want 1"; }
run=$(latest_run interrupted)
[ "$(json_get "$run/run.json" 'j["ended"]["reason"]')" = interrupted ] || fail "report not marked interrupted"
[ "$(json_get "$run/run.json" 'all(e["status"] == "reverted" for e in j["events"])')" = True ] ||
  fail "faults not reverted after SIGINT"
zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" 'len(j["labs"][0]["faults"])')" = 0 ] || fail "faults left after SIGINT"
[ "$(json_get "$WORK/st.json" '[h["power"] for h in j["labs"][0]["hosts"] if h["name"]=="srv"][0]')" = on ] ||
  fail "srv not powered on again"
zf_py user1 'import urllib.request; urllib.request.urlopen("http://srv.lab/", timeout=3)' ||
  { sleep 1; zf_py user1 'import urllib.request; urllib.request.urlopen("http://srv.lab/", timeout=3)'; } ||
  fail "lab not intact after SIGINT"
ok "SIGINT mid-fault: reverted, lab intact, report marked interrupted"
