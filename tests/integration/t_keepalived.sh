#!/usr/bin/env bash
# t_keepalived.sh - a VIP handed to keepalived (labs/keepalived-vip.yaml):
# VRRP elects lb-a (priority 150) over lb-b (100) across the VIP's L2
# segment; the drill scenarios/vips/keepalived-failover.yaml powers lb-a off
# and its tcp probe measures the failover gap, which must be 2.5-6 s (3 x
# advert_int 1 s + the backup's skew 0.61 s, less the part of an advert
# interval that had passed at the power cut); the report says so. lb-a
# preempts after power-on. Then the lab goes down and leaves nothing.
source "$(dirname "$0")/lib.sh"
command -v keepalived >/dev/null || fail "keepalived not found (scripts/install-deps)"
command -v nginx >/dev/null || fail "nginx not found"

LAB=keepalived-vip
WWW=198.19.254.2
[ ! -d /run/zonefall/$LAB ] || fail "lab $LAB is up already: take it down first"
snapshot >"$WORK/before.snap"
lab_up $LAB "$ZF_SRC/labs/keepalived-vip.yaml" >/dev/null

who() { zf exec --lab $LAB user1 -- curl -s -m 1 "http://$WWW/" 2>/dev/null || true; }
holds() { ip -n "zf.$LAB.h.$1" -4 -o addr show dev vip0 | grep -c " $WWW/32" || true; }

# keepalived starts in BACKUP and takes the master role ~3-4 s later.
for i in $(seq 1 100); do [ "$(who)" = lb-a ] && break; sleep 0.1; done
[ "$(who)" = lb-a ] || fail "VIP www not answered by lb-a within 10 s: '$(who)'"
[ "$(holds lb-a)" = 1 ] && [ "$(holds lb-b)" = 0 ] || fail "www should be on lb-a only"
ok "keepalived elected lb-a: www ($WWW) on its vip0, answered from the client"

set +e
zf run "$ZF_SRC/scenarios/vips/keepalived-failover.yaml" --lab $LAB --runs "$WORK/runs" \
  --set warmup=3s --set outage=8s --set cooldown=6s >"$WORK/run.out" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || { cat "$WORK/run.out"; fail "drill exit $rc, want 0 (gap within its expectation)"; }
run=$(ls -d "$WORK"/runs/*keepalived-failover*)
gap=$(json_get "$run/run.json" '[p for p in j["probes"] if p["name"]=="vip"][0]["outages"][0]["duration_s"]')
n_out=$(json_get "$run/run.json" 'len([p for p in j["probes"] if p["name"]=="vip"][0]["outages"])')
python3 -c "import sys; sys.exit(0 if 2.5 <= $gap <= 6.0 else 1)" ||
  { cat "$WORK/run.out"; fail "failover gap ${gap} s, want 2.5-6 s"; }
echo "  measured keepalived failover gap: ${gap} s (advert_int 1, backup priority 100; $n_out outage(s))"
ok "drill: power-off of the VRRP master, the tcp probe's outage (the failover gap) is ${gap} s"
grep -q "reports: " "$WORK/run.out" || fail "no report path printed"

# The engine reverted everything: lb-a is back and has preempted.
for i in $(seq 1 60); do [ "$(who)" = lb-a ] && break; sleep 0.1; done
[ "$(who)" = lb-a ] && [ "$(holds lb-b)" = 0 ] || fail "lb-a did not take www back after power-on"
ok "power-on: lb-a preempts, www back on lb-a only"

zf down $LAB >/dev/null || fail "down"
assert_same_snapshot "$WORK/before.snap" "after the keepalived drill and down"
