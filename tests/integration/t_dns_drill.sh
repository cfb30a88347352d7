#!/usr/bin/env bash
# t_dns_drill.sh - the AWS 2025 shape through a drill: the generic
# dns-empty-answer scenario empties app.lab, the service name the web tier
# (nginx resolving it at run time) depends on, for 6 s, on a copy of
# labs/dns-deps.yaml. The web probe from the client must be fine before,
# fail (502s from the front end) for about the fault's duration, and be
# fine again within 2 s of the revert (nginx keeps a resolved address for
# up to 1 s, valid=1s, so the first second of the fault may still pass);
# the report names the fault.
source "$(dirname "$0")/lib.sh"

LAB=t-dnsdrill
snapshot >"$WORK/before.snap"
cp -r "$ZF_SRC/labs/dns-deps" "$ZF_SRC/labs/demo" "$WORK/"
sed "s/^lab: dns-deps/lab: $LAB/" "$ZF_SRC/labs/dns-deps.yaml" >"$WORK/lab.yaml"
ZF_LABS_TO_REMOVE+=("$LAB")
rc=0
zf run "$ZF_SRC/scenarios/generic/dns-empty-answer.yaml" --lab "$WORK/lab.yaml" \
  --set outage=6s --set warmup=3s --set cooldown=5s --runs "$WORK/runs" \
  >"$WORK/run.out" 2>&1 || rc=$?
[ $rc -eq 1 ] || { cat "$WORK/run.out" >&2; fail "run exited $rc, expected 1 (expectation failed)"; }
RUN=$(ls -d "$WORK"/runs/*/ | head -1)
J="$RUN/run.json"
p() { json_get "$J" "$1"; }
[ "$(p "j['probes'][0]['windows'][0]['event']")" = f1 ] || fail "no window for the fault"
during=$(p "j['probes'][0]['windows'][0]['availability']")
python3 -c "import sys; sys.exit(0 if $during < 25 else 1)" || fail "availability during the fault $during%"
n=$(p "len(j['probes'][0]['outages'])")
[ "$n" = 1 ] || fail "$n outages, expected 1"
dur=$(p "j['probes'][0]['outages'][0]['duration_s']")
python3 -c "import sys; sys.exit(0 if 4.8 <= $dur <= 6.3 else 1)" || fail "outage $dur s for a 6 s fault"
cause=$(p "list(j['probes'][0]['outages'][0]['causes'])")
[ "$cause" = "['bad_status']" ] || fail "outage causes $cause, expected the front end's 5xx"
rec=$(p "j['probes'][0]['recovery_s']")
python3 -c "import sys; sys.exit(0 if $rec <= 2 else 1)" || fail "recovery $rec s after revert"
before=$(p "min(s['availability'] for s in j['probes'][0]['samples'] if s['t'] < 3)")
after=$(p "min(s['availability'] for s in j['probes'][0]['samples'] if 11 <= s['t'] < 14)")
[ "$before" = 100.0 ] && [ "$after" = 100.0 ] || fail "not fine outside the fault: before $before%, after $after%"
grep -q "dns-empty lab app" "$RUN/report.md" || fail "the report does not name the fault"
ok "dns-empty on app.lab: web availability $during% during the 6 s fault, one outage of $dur s, 100% before and after, recovered $rec s after revert"
ZF_LABS_TO_REMOVE=()
assert_same_snapshot "$WORK/before.snap" "after the drill"
