#!/usr/bin/env bash
# `zonefall down LAB` while a drill runs on it: the drill is asked to stop
# (it ends as interrupted with its faults reverted and its report written),
# then the lab goes, in one `down`, and the machine is as before. The same
# when the drill brought the lab up itself (it takes the lab down), and when
# the drill was SIGKILLed (its claim is stale: down does not wait for it).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/drill_lab.sh"

LAB=t-dduring
write_drill_lab $LAB "$WORK/lab.yaml"
snapshot >"$WORK/before.snap"
cat >"$WORK/long.yaml" <<'YAML'
scenario: long
class: power
lab: lab.yaml
probes: { web: { http: { url: "http://srv.lab/" }, from: user1, rate: 50, timeout: 300ms } }
warmup: 1s
steps:
  - { at: 0s, do: power-off, target: "host srv", for: 60s }
  - { at: 0s, do: pause, target: "host spare", for: 60s }
cooldown: 1s
YAML

# wait_running PID: until the drill's faults are applied (or it died).
wait_running() {
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 1
    [ -d /run/zonefall/$LAB ] && zf status $LAB --json 2>/dev/null |
      python3 -c 'import json,sys; sys.exit(len(json.load(sys.stdin)["labs"][0]["faults"]) < 2)' &&
      return 0
    sleep 0.1
  done
  return 1
}

# down_during NAME [RUN ARGS...]: start the drill, down the lab mid-fault.
down_during() {
  local what=$1; shift
  "$ZF_BIN" run "$WORK/long.yaml" "$@" --runs "$WORK/runs-$what" >"$WORK/$what.out" 2>&1 &
  local pid=$!
  wait_running $pid || { cat "$WORK/$what.out"; fail "$what: the drill did not get to its faults"; }
  local t0=$(date +%s%N)
  zf down $LAB >"$WORK/down.out" 2>&1 || { cat "$WORK/down.out"; fail "$what: down failed"; }
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  set +e; wait $pid; local rc=$?; set -e
  [ $rc -eq 1 ] || { cat "$WORK/$what.out"; fail "$what: the drill exited $rc, want 1 (interrupted)"; }
  grep -q "stopped 1 drill" "$WORK/down.out" || fail "$what: down does not say it stopped the drill: $(cat "$WORK/down.out")"
  grep -q "lab $LAB is down" "$WORK/down.out" || fail "$what: down does not say the lab is down: $(cat "$WORK/down.out")"
  [ ! -e /run/zonefall/$LAB ] || fail "$what: one down left the lab ($(cat /run/zonefall/$LAB/phase 2>/dev/null))"
  local run=$(ls -d "$WORK/runs-$what"/*-long* | tail -n1)
  python3 - "$run/run.json" <<'PY' || fail "$what: the drill's report is not an interrupted run with its faults reverted"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ended"]["reason"] == "interrupted", j["ended"]
assert all(e["status"] == "reverted" for e in j["events"]), j["events"]
PY
  assert_same_snapshot "$WORK/before.snap" "$what: down during the drill"
  ok "$what: one down stopped the drill (interrupted, faults reverted, report written) and removed the lab in ${ms} ms"
}

lab_up $LAB "$WORK/lab.yaml" >/dev/null
down_during on-running-lab --lab $LAB
down_during on-its-own-lab

# A drill killed outright leaves its claim file; down must not wait on it.
lab_up $LAB "$WORK/lab.yaml" >/dev/null
"$ZF_BIN" run "$WORK/long.yaml" --lab $LAB --runs "$WORK/runs-killed" >"$WORK/killed.out" 2>&1 &
pid=$!
wait_running $pid || { cat "$WORK/killed.out"; fail "killed: the drill did not get to its faults"; }
kill -KILL $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
[ -n "$(ls /run/zonefall/$LAB/drills/ 2>/dev/null)" ] || fail "the killed drill left no claim (the test would prove nothing)"
t0=$(date +%s%N)
zf down $LAB >"$WORK/down.out" 2>&1 || { cat "$WORK/down.out"; fail "down after a killed drill failed"; }
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grep -q "stopped" "$WORK/down.out" && fail "down claims to have stopped a dead drill"
[ $ms -lt 5000 ] || fail "down waited ${ms} ms on a dead drill's claim"
assert_same_snapshot "$WORK/before.snap" "after a SIGKILLed drill"
ok "a SIGKILLed drill's stale claim: down does not wait (${ms} ms)"
