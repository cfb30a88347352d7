#!/usr/bin/env bash
# Broken scenarios (every file in tests/scenarios/bad, plus ones that only
# the lab can refuse: an unknown fault, a target matching nothing, a probe
# from a host the lab lacks) fail with FILE:LINE:COL, exit 2, and apply
# nothing: the lab's journal stays empty.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/drill_lab.sh"

LAB=t-drillbad
write_drill_lab $LAB "$WORK/lab.yaml"
lab_up $LAB "$WORK/lab.yaml" --no-wait >/dev/null

check_bad() { # check_bad FILE LINE:COL
  set +e
  zf run "$1" --lab $LAB --runs "$WORK/runs" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  set -e
  [ $rc -eq 2 ] || fail "$(basename "$1"): exit $rc, want 2 ($(cat "$WORK/err"))"
  grep -qF "$1:$2: " "$WORK/err" || fail "$(basename "$1"): want '$1:$2: ...', got: $(cat "$WORK/err")"
  [ ! -s /run/zonefall/$LAB/journal ] || fail "$(basename "$1"): a fault was journaled"
  [ ! -d "$WORK/runs" ] || [ -z "$(ls "$WORK/runs")" ] || fail "$(basename "$1"): a run directory was made"
}

n=0
for f in "$ZF_SRC"/tests/scenarios/bad/*.yaml; do
  want=$(sed -n '1s/^# expect: //p' "$f")
  check_bad "$f" "${want%%: *}"
  n=$((n + 1))
done
[ $n -ge 10 ] || fail "only $n broken scenario files"
ok "$n broken scenario files: file:line:col, exit 2, nothing applied"

base='scenario: x
class: power
probes: { web: { http: { url: "http://srv.lab/" }, from: user1, rate: 10 } }
warmup: 1s'
printf '%s\nsteps:\n  - { at: 0s, do: melt-down, target: "host srv" }\n' "$base" >"$WORK/b1.yaml"
check_bad "$WORK/b1.yaml" 6:5
printf '%s\nsteps:\n  - { at: 0s, do: power-off, target: "host nope" }\n' "$base" >"$WORK/b2.yaml"
check_bad "$WORK/b2.yaml" 6:5
printf '%s\nsteps:\n  - { at: 0s, do: kill, target: "host srv" }\n' "$base" >"$WORK/b3.yaml"
check_bad "$WORK/b3.yaml" 6:5
sed 's/from: user1/from: ghost/' "$WORK/b1.yaml" >"$WORK/b4.yaml"
grep -q ghost "$WORK/b4.yaml"
set +e; zf run "$WORK/b4.yaml" --lab $LAB 2>"$WORK/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "ghost" "$WORK/err" || fail "probe from an unknown host: exit $rc $(cat "$WORK/err")"
ok "unknown fault, target matching nothing, wrong target kind, unknown probe host: exit 2 at the step"
set +e; zf run "$WORK/b1.yaml" --lab no-such-lab 2>"$WORK/err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "unknown lab: exit $rc"
ok "unknown lab: exit 2"
