#!/usr/bin/env bash
# The control plane goes down while the data plane carries on — the
# Tencent Cloud April 2024 shape — on labs/two-region-cp.yaml:
#   - scenarios/generic/control-plane-down.yaml with action=pause (hung,
#     the Tencent shape) and action=crash-loop, and
#     scenarios/incidents/tencent-2024-04-api.yaml,
# each run against the running lab at a test time scale. For every run:
# exit 0 (its own expectations held), ended "completed", its one fault on
# service api applied and reverted; during that fault the control-plane
# probes (console: /api/ through lb-1; login: /login, which calls the
# control plane) are below 50% available and the console has errors, while
# every data-plane probe (data-r1, data-r2: / through both regions' edges)
# is >= 99% available inside the fault window and over the whole run.
# In the middle of the pause, independently of the probes: both api hosts
# (cp-a, cp-b) do not answer on port 80 while a data-plane web server and
# both edges do, and `status` lists the fault. The machine is as before at
# the end.
source "$(dirname "$0")/lib.sh"

LAB=two-region-cp
LABFILE=$ZF_SRC/labs/two-region-cp.yaml
SCALE=${ZF_CP_SCALE:-2}
CP_PROBES="console login"       # the control plane and what calls it
DATA_PROBES="data-r1 data-r2"   # the data plane

# A drill still running when the test fails is interrupted (it reverts its
# faults) before lib.sh's cleanup takes the lab down.
RUN_PID=
stop_run() {
  if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then
    kill -INT "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" 2>/dev/null || true
  fi
}
trap 'rc=$?; stop_run; (exit $rc); cleanup' EXIT

snapshot >"$WORK/before.snap"
zf status "$LAB" >/dev/null 2>&1 && fail "lab $LAB is up already (another test's?)"
lab_up "$LAB" "$LABFILE"
ok "lab $LAB up"

# check_run RUN_JSON WHAT: the figures of one run; prints them, fails on
# the first problem.
check_run() {
  python3 - "$1" "$CP_PROBES" "$DATA_PROBES" <<'EOF' || fail "$2: the run does not have the control-plane-down shape (above)"
import json, sys
j = json.load(open(sys.argv[1]))
cp, data = sys.argv[2].split(), sys.argv[3].split()
ok = True
def bad(msg):
    global ok
    print("    PROBLEM: " + msg)
    ok = False

if j["ended"]["reason"] != "completed":
    bad("ended %r (%s)" % (j["ended"]["reason"], j["ended"].get("detail")))
ev = j["events"]
if len(ev) != 1 or ev[0]["status"] != "reverted" or ev[0]["target"] != "service api":
    bad("want one fault on service api, applied and reverted: %r" % ev)
fid = ev[0]["id"] if ev else None
probes = {p["name"]: p for p in j["probes"]}
if sorted(probes) != sorted(cp + data):
    bad("probes %s, want %s (classify any new one)" % (sorted(probes), sorted(cp + data)))
if ev:
    print("    fault %s: %s %s from %.2f s to %.2f s" % (fid, ev[0]["action"], ev[0]["target"],
          ev[0]["t_actual_s"] or -1, ev[0]["revert_actual_s"] or -1))
for name in cp + data:
    p = probes.get(name)
    if p is None:
        continue
    w = next((w for w in p["windows"] if w["event"] == fid), None)
    wav = w["availability"] if w else None
    longest = max((o["duration_s"] for o in p["outages"]), default=0.0)
    errs = p["requests"] - p["ok"]
    print("    %-8s %-13s during the fault %8s%%  over the run %8s%%  errors %4d  longest outage %5.1f s"
          % (name, "control-plane" if name in cp else "data-plane", wav, p["availability"], errs, longest))
    if name in cp:
        if wav is None or wav >= 50:
            bad("%s: %s%% available during the fault, want < 50%%" % (name, wav))
        if name == "console" and errs <= 0:
            bad("console: no errors")
    else:
        if wav is None or wav < 99:
            bad("%s: %s%% available during the fault, want >= 99%%" % (name, wav))
        if p["availability"] is None or p["availability"] < 99:
            bad("%s: %s%% available over the run, want >= 99%%" % (name, p["availability"]))
sys.exit(0 if ok else 1)
EOF
}

# run_drill WHAT SCENARIO ARGS...: run it on the running lab at $SCALE,
# expect exit 0, check the record. $RUN_PID while it runs (background).
run_drill() {
  local what=$1 scn=$2
  shift 2
  local runs=$WORK/runs/$what
  mkdir -p "$runs"
  (cd "$WORK" && exec timeout -s INT -k 30 300 "$ZF_BIN" run "$scn" --lab "$LAB" \
     --time-scale "$SCALE" --seed 1 --runs "$runs" "$@") >"$runs/out.txt" 2>&1 &
  RUN_PID=$!
}

finish_drill() { # finish_drill WHAT
  local what=$1 rc=0 runs=$WORK/runs/$1
  wait "$RUN_PID" || rc=$?
  RUN_PID=
  if [ $rc -ne 0 ]; then
    cat "$runs/out.txt" >&2
    fail "$what: zonefall run exited $rc, want 0 (the scenario's own expectations hold)"
  fi
  local rj
  rj=$(find "$runs" -mindepth 2 -maxdepth 2 -name run.json | head -1)
  [ -n "$rj" ] || fail "$what: no run.json"
  echo "  $what (scale $SCALE):"
  check_run "$rj" "$what"
  ok "$what: control plane down (< 50%), data plane >= 99%, exit 0"
}

# Wait until status lists an active fault of kind FAULT (at most S seconds).
wait_fault() { # wait_fault FAULT S
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    zf status "$LAB" --json 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
sys.exit(0 if any(f["fault"] == sys.argv[1] and "api" in f["target"]
                  for l in j["labs"] for f in l.get("faults") or []) else 1)' "$1" && return 0
    sleep 0.1
  done
  return 1
}

# answers FROM ADDR: does http://ADDR/ answer within 2 s from FROM?
answers() {
  zf exec "$1" -- curl -s -o /dev/null -m 2 "http://$2/" >/dev/null 2>&1
}

CP_A=$(lab_addr "$LAB" cp-a)
CP_B=$(lab_addr "$LAB" cp-b)
WEB_2A=$(lab_addr "$LAB" web-2a)
LB_1=$(lab_addr "$LAB" lb-1)
LB_2=$(lab_addr "$LAB" lb-2)

# Before: everything answers.
for a in "$CP_A" "$CP_B" "$WEB_2A" "$LB_1" "$LB_2"; do
  answers "$LAB/ops" "$a" || fail "before the drills: http://$a/ does not answer from ops"
done
ok "before the drills: cp-a, cp-b, web-2a, lb-1, lb-2 answer"

# 1. The control plane hangs (pause): the Tencent 2024 shape.
run_drill pause "$ZF_SRC/scenarios/generic/control-plane-down.yaml" --set action=pause
wait_fault pause 30 || { stop_run; fail "pause: the fault never showed in status"; }
sleep 2
! answers "$LAB/ops" "$CP_A" || fail "pause: cp-a still answers during the fault"
! answers "$LAB/ops" "$CP_B" || fail "pause: cp-b still answers during the fault"
answers "$LAB/ops" "$WEB_2A" || fail "pause: web-2a (data plane) does not answer during the fault"
answers "$LAB/user1" "$LB_1" || fail "pause: lb-1 (data plane) does not answer during the fault"
answers "$LAB/user1" "$LB_2" || fail "pause: lb-2 (data plane) does not answer during the fault"
ok "pause, mid-fault: cp-a and cp-b hang, web-2a, lb-1 and lb-2 answer"
finish_drill pause

# 2. The control plane crash-loops.
run_drill crash-loop "$ZF_SRC/scenarios/generic/control-plane-down.yaml" --set action=crash-loop
wait_fault crash-loop 30 || { stop_run; fail "crash-loop: the fault never showed in status"; }
sleep 2
! answers "$LAB/ops" "$CP_A" || fail "crash-loop: cp-a still answers during the fault"
! answers "$LAB/ops" "$CP_B" || fail "crash-loop: cp-b still answers during the fault"
answers "$LAB/user1" "$LB_1" || fail "crash-loop: lb-1 (data plane) does not answer during the fault"
ok "crash-loop, mid-fault: cp-a and cp-b down, lb-1 answers"
finish_drill crash-loop

# 3. The incident scenario itself.
run_drill tencent-2024-04-api "$ZF_SRC/scenarios/incidents/tencent-2024-04-api.yaml"
finish_drill tencent-2024-04-api

# After: the control plane is back.
for a in "$CP_A" "$CP_B"; do
  answers "$LAB/ops" "$a" || fail "after the drills: http://$a/ does not answer"
done
ok "after the drills: the control plane answers again"

zf down "$LAB" >/dev/null || fail "zonefall down $LAB failed"
assert_same_snapshot "$WORK/before.snap" "after the control-plane drills"
