#!/usr/bin/env bash
# t_vip_stale.sh - the Tencent 2023 failover as a drill
# (scenarios/vips/vip-move-stale-name.yaml on labs/keepalived-vip.yaml):
# VIP db moves to db-b under its second address while its DNS name stays
# stale for STALE, and the move is reverted after BACK. The report must
# show the two phases: users who look the name up fail for STALE and
# recover while the fault is still applied; users pinned to the old
# address fail until the revert. The run brings the lab up and down and
# leaves nothing behind.
source "$(dirname "$0")/lib.sh"
command -v nginx >/dev/null || fail "nginx not found"
command -v curl >/dev/null || fail "curl not found"

LAB=keepalived-vip
STALE=6
BACK=12
[ ! -d /run/zonefall/$LAB ] || fail "lab $LAB is up already: take it down first"
snapshot >"$WORK/before.snap"
ZF_LABS_TO_REMOVE+=($LAB)

set +e
zf run "$ZF_SRC/scenarios/vips/vip-move-stale-name.yaml" --lab "$ZF_SRC/labs/keepalived-vip.yaml" \
  --runs "$WORK/runs" --set stale=${STALE}s --set back=${BACK}s --set warmup=3s --set cooldown=3s \
  >"$WORK/run.out" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$WORK/run.out"; fail "drill exit $rc, want 1 (the users were hurt)"; }
run=$(ls -d "$WORK"/runs/*vip-move-stale-name*)
[ "$(json_get "$run/run.json" 'j["ended"]["reason"]')" = completed ] || fail "run did not complete"
probe() { json_get "$run/run.json" "[p for p in j['probes'] if p['name']=='$1'][0]$2"; }

[ "$(probe by-name '["outages"].__len__()')" = 1 ] || fail "by-name: $(probe by-name '["outages"]')"
[ "$(probe pinned '["outages"].__len__()')" = 1 ] || fail "pinned: $(probe pinned '["outages"]')"
name_out=$(probe by-name '["outages"][0]["duration_s"]')
pin_out=$(probe pinned '["outages"][0]["duration_s"]')
python3 - "$name_out" "$pin_out" "$STALE" "$BACK" <<'PY' || { cat "$WORK/run.out"; fail "phases: by-name ${name_out}s (want ~${STALE}s), pinned ${pin_out}s (want ~${BACK}s)"; }
import sys
name, pin, stale, back = map(float, sys.argv[1:])
# by-name: from the move until the name answers the new address (a request
# in flight may add up to its 1 s curl timeout); pinned: until the revert
ok = stale - 0.5 <= name <= stale + 2.0 and back - 0.5 <= pin <= back + 1.0 and name < pin
sys.exit(0 if ok else 1)
PY
echo "  phase 1: every user fails; phase 2 (after ${name_out} s): users by name recover,"
echo "  users pinned to the old address fail until the revert (${pin_out} s)"
ok "two phases: by-name out ${name_out}s (stale ${STALE}s), pinned out ${pin_out}s (revert at ${BACK}s)"
[ "$(probe by-name '["recovered"]')" = True ] && [ "$(probe pinned '["recovered"]')" = True ] ||
  fail "a probe did not recover"
grep -q "by-name: service restored" "$run/report.md" && grep -q "pinned: service restored" "$run/report.md" ||
  fail "report.md does not show both recoveries"
ok "report.md shows both phases' recoveries; both probes recovered"
assert_same_snapshot "$WORK/before.snap" "after the drill brought the lab up and down"
