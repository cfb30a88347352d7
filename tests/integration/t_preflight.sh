#!/usr/bin/env bash
# tests/preflight, which `make test` runs before this tier: with a lab up it
# refuses the tier and touches nothing outside CI; with CI=true it takes the
# lab (a leftover of an interrupted run) down and the machine is as it was
# before the lab; with no lab up it lets the tier run.
source "$(dirname "$0")/lib.sh"

LAB=t-preflight
PREFLIGHT=("$ZF_SRC/tests/preflight" "$(dirname "$ZF_BIN")")
snapshot >"$WORK/before.snap"

CI= "${PREFLIGHT[@]}" 2>"$WORK/err" || fail "preflight refused a machine with no lab up: $(cat "$WORK/err")"
ok "no lab up: the tier may run"

sed "s/^lab: min/lab: $LAB/" "$ZF_SRC/tests/labs/good/minimal.yaml" >"$WORK/lab.yaml"
lab_up $LAB "$WORK/lab.yaml" >/dev/null

rc=0
CI= "${PREFLIGHT[@]}" 2>"$WORK/err" || rc=$?
[ $rc -eq 1 ] || fail "preflight outside CI with a lab up exited $rc, want 1"
grep -q "zonefall down $LAB" "$WORK/err" || fail "the refusal does not say how to free the machine: $(cat "$WORK/err")"
[ "$(zf status --json --lab $LAB | python3 -c 'import json,sys; l = json.load(sys.stdin)["labs"][0]; print(len(l["hosts"]) if l["phase"] == "up" else -1)')" = 1 ] \
  || fail "preflight outside CI touched the lab"
ok "outside CI: refused with the command to run, lab untouched"

CI=true "${PREFLIGHT[@]}" 2>"$WORK/err" || fail "preflight in CI failed: $(cat "$WORK/err")"
grep -q "$LAB" "$WORK/err" || fail "preflight in CI did not name the lab it took down"
[ ! -e "/run/zonefall/$LAB" ] || fail "preflight in CI left the lab's state"
assert_same_snapshot "$WORK/before.snap" "CI: leftover lab taken down"
