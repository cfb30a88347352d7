#!/usr/bin/env bash
# `zonefall up` killed with SIGKILL part-way, then `recover`: the machine is
# as it was. An inject --for killed with SIGKILL: recover reverts its fault.
# A second recover is a no-op.
source "$(dirname "$0")/lib.sh"

LAB=t-recover
{
  echo "lab: $LAB"
  echo "regions: { r1: { zones: [a, b, c] }, r2: { zones: [a, b] } }"
  echo "clients: [u1, u2]"
  echo "hosts:"
  for i in $(seq 1 40); do
    z=$(( i % 5 )); zones=(r1/a r1/b r1/c r2/a r2/b)
    echo "  h$i: { zone: ${zones[$z]}, services: { s: { run: \"sleep 3600\" } } }"
  done
} >"$WORK/lab.yaml"

snapshot >"$WORK/before.snap"
ZF_LABS_TO_REMOVE+=("$LAB")
# Time one full up, then kill later ups at fractions of it.
t0=$(date +%s%N)
"$ZF_BIN" up "$WORK/lab.yaml" --no-wait >/dev/null
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
"$ZF_BIN" down $LAB >/dev/null
echo "  (a full up takes ${full_ms} ms)"
for pct in 5 20 40 60 80 95; do
  delay=$(python3 -c "print($full_ms * $pct / 100000)")
  "$ZF_BIN" up "$WORK/lab.yaml" --no-wait >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  zf recover >"$WORK/recover.out" || fail "recover after SIGKILL at ${delay}s: $(cat "$WORK/recover.out")"
  # An up that finished before the kill is a running lab, which recover
  # keeps (it only reverts faults): take it down before comparing.
  if grep -q "nothing to recover" "$WORK/recover.out" && [ -d /run/zonefall/$LAB ]; then
    zf down $LAB >/dev/null
  fi
  assert_same_snapshot "$WORK/before.snap" "up killed at ${pct}% (${delay}s), then recover"
  out=$(zf recover)
  [ "$out" = "nothing to recover" ] || fail "second recover did something: $out"
  sed 's/^/    /' "$WORK/recover.out"
done
ok "second recover is a no-op"

# A fault whose injector dies stays in the journal; recover reverts it.
lab_up $LAB "$WORK/lab.yaml" --no-wait >/dev/null
"$ZF_BIN" inject pause "zone r1/a" --for 60s >/dev/null &
pid=$!
for i in $(seq 1 50); do
  zf status $LAB --json >"$WORK/st.json"
  [ "$(json_get "$WORK/st.json" 'len(j["labs"][0]["faults"])')" = 1 ] && break
  sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null || true
[ -n "$(grep -l FROZEN /sys/fs/cgroup/freezer/zonefall/$LAB/h5/freezer.state 2>/dev/null ||
       grep -l 'frozen 1' /sys/fs/cgroup/zonefall/$LAB/h5/cgroup.events 2>/dev/null)" ] ||
  fail "h5 (zone r1/a) should be frozen while the fault is applied"
zf recover $LAB >"$WORK/rec.out"
grep -q "1 fault reverted" "$WORK/rec.out" || fail "recover: $(cat "$WORK/rec.out")"
zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" 'len(j["labs"][0]["faults"])')" = 0 ] || fail "fault still listed"
[ "$(json_get "$WORK/st.json" '[h["power"] for h in j["labs"][0]["hosts"] if h["name"]=="h5"][0]')" = on ] ||
  fail "h5 still paused after recover"
ok "inject killed with SIGKILL: recover reverted its fault"
[ "$(zf recover $LAB)" = "lab $LAB: nothing to recover" ] || fail "second recover not a no-op"
ok "second recover is a no-op"
zf down $LAB >/dev/null
assert_same_snapshot "$WORK/before.snap" "after down"
