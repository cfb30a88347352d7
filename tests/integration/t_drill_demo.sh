#!/usr/bin/env bash
# The demo drill measures what happened: on the demo lab, zone r1/a (the only
# load balancer) loses power for OUTAGE; the measured outage must track
# OUTAGE (two different values), the verdict must fail (availability), and
# the run directory must hold every report. Lab and machine left clean.
source "$(dirname "$0")/lib.sh"

snapshot >"$WORK/before.snap"
ZF_LABS_TO_REMOVE+=(demo)
for outage in 3 6; do
  set +e
  zf run "$ZF_SRC/scenarios/generic/zone-power-loss.yaml" --lab "$ZF_SRC/labs/demo.yaml" \
    --set outage=${outage}s --set warmup=3s --set cooldown=4s --set rate=100 \
    --runs "$WORK/runs" >"$WORK/out.$outage" 2>&1
  rc=$?
  set -e
  [ $rc -eq 1 ] || { cat "$WORK/out.$outage"; fail "outage ${outage}s: exit $rc, want 1 (expectations fail)"; }
  run=$(ls -d "$WORK"/runs/*zone-power-loss* | tail -n1)
  for f in run.json report.md report.html junit.xml; do
    [ -s "$run/$f" ] || fail "$run/$f missing"
  done
  measured=$(json_get "$run/run.json" 'max(o["duration_s"] for o in j["probes"][0]["outages"])')
  python3 - "$measured" "$outage" <<'PY' || fail "outage ${outage}s measured as ${measured}s"
import sys
m, want = float(sys.argv[1]), float(sys.argv[2])
# the zone is dark from power-off to power-on; nginx is back within ~1 s
sys.exit(0 if want - 0.5 <= m <= want + 2.0 else 1)
PY
  [ "$(json_get "$run/run.json" 'j["verdict"]')" = fail ] || fail "verdict should be fail"
  [ "$(json_get "$run/run.json" 'j["ended"]["reason"]')" = completed ] || fail "run did not complete"
  ok "outage ${outage}s: measured ${measured}s, verdict fail, reports written"
  mv "$run" "$WORK/runs/done-$outage"
done
grep -q "reports: " "$WORK/out.3" || fail "no report path printed"
assert_same_snapshot "$WORK/before.snap" "after two drills that brought the demo lab up and down"
