#!/usr/bin/env bash
# `zonefall scenarios` / `incidents` and `zonefall run ID`: the repository's
# library lists every scenario file and all of them validate; a broken file
# in a library makes the listing exit 2 naming FILE:LINE:COL; `incidents`
# lists only incidents/; `run` finds a scenario by its id (in --library, in
# $ZF_SCENARIOS, in the source tree's scenarios/) and, for an id that is not
# there, names the closest ones. No lab is brought up: `run` is stopped by
# a lab that is not up, after the scenario was found and loaded.
source "$(dirname "$0")/lib.sh"

NOLAB=zf-t-scn-nolab   # never up

# 1. The repository's library: every .yaml file listed, every one valid.
set +e
zf scenarios --json --library "$ZF_SRC/scenarios" >"$WORK/all.json" 2>"$WORK/all.err"
rc=$?
set -e
[ $rc -eq 0 ] || fail "zonefall scenarios on the repository's library: exit $rc: $(cat "$WORK/all.err")"
(cd "$ZF_SRC/scenarios" && find . -mindepth 1 -name '.*' -prune -o -type f -name '*.yaml' -print |
   sed 's|^\./||; s|\.yaml$||' | sort) >"$WORK/want.ids"
[ -s "$WORK/want.ids" ] || fail "no scenario files under $ZF_SRC/scenarios"
python3 - "$WORK/all.json" "$WORK/want.ids" <<'EOF' || fail "listing does not match the files (above)"
import json, sys
doc = json.load(open(sys.argv[1]))
want = open(sys.argv[2]).read().split()
got = [s["id"] for s in doc["scenarios"]]
bad = [(s["id"], s.get("error")) for s in doc["scenarios"] if not s["valid"]]
ok = True
if got != want:
    print("listed:", got, "\nfiles: ", want); ok = False
if bad or doc["invalid"] != 0:
    print("invalid:", bad); ok = False
if doc["count"] != len(want):
    print("count", doc["count"], "want", len(want)); ok = False
for s in doc["scenarios"]:
    if s["valid"] and not (s["class"] and s["title"] and s["name"]):
        print("incomplete entry:", s); ok = False
    if s["id"].startswith("incidents/") and not isinstance(s.get("incident"), dict):
        print(s["id"], ": no incident block"); ok = False
sys.exit(0 if ok else 1)
EOF
ok "repository library: $(wc -l <"$WORK/want.ids") scenario files listed, all valid"

# The default library is the source tree's scenarios/ (from any directory).
(cd "$WORK" && env -u ZF_SCENARIOS "$ZF_BIN" scenarios >"$WORK/default.txt") ||
  fail "zonefall scenarios (default library) failed"
grep -q "in $ZF_SRC/scenarios" "$WORK/default.txt" ||
  fail "default library is not $ZF_SRC/scenarios: $(tail -1 "$WORK/default.txt")"
grep -q '^generic/zone-power-loss  *power ' "$WORK/default.txt" ||
  fail "table lacks generic/zone-power-loss: $(cat "$WORK/default.txt")"
ok "default library: the source tree's scenarios/, table has id and class"

# 2. A library of our own: two good scenarios, one incident, one broken.
LIB=$WORK/lib
mkdir -p "$LIB/generic" "$LIB/incidents" "$LIB/broken"
cat >"$LIB/generic/short.yaml" <<'EOF'
scenario: short
title: "A short one in {zone}"
class: power
lab: labs/demo.yaml
params: { zone: r1/a }
warmup: 1s
steps: []
EOF
cat >"$LIB/incidents/demo-2024-fire.yaml" <<'EOF'
scenario: demo-2024-fire
title: "Demo Cloud, 2024: a fire in zone {zone}"
class: power
lab: [labs/a.yaml, labs/b.yaml]
incident:
  date: 2024-09-10
  provider: Demo Cloud
  class: power
  chain: [fire, power off, storage down, services down]
  summary: A made-up incident for the test.
  duration: 20h
params: { zone: r1/a }
warmup: 1s
steps:
  - { at: 0s, do: power-off, target: "zone {zone}" }
EOF
cat >"$LIB/broken/bad.yaml" <<'EOF'
scenario: bad
class: power
steps: [ { at: 0s, do: power-off } ]
EOF
set +e
zf scenarios --library "$LIB" >"$WORK/lib.txt" 2>"$WORK/lib.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "a broken scenario in the library: exit $rc, want 2"
grep -qF "$LIB/broken/bad.yaml:3:" "$WORK/lib.err" ||
  fail "no FILE:LINE:COL for the broken file on stderr: $(cat "$WORK/lib.err")"
grep -q "^broken/bad  *INVALID  *$LIB/broken/bad.yaml:3:[0-9]*: " "$WORK/lib.txt" ||
  fail "the table does not list broken/bad as INVALID: $(cat "$WORK/lib.txt")"
grep -q "^generic/short  *power  *labs/demo.yaml  *A short one in r1/a$" "$WORK/lib.txt" ||
  fail "the table lacks generic/short with its lab and title: $(cat "$WORK/lib.txt")"
grep -q "1 INVALID" "$WORK/lib.txt" || fail "no INVALID count: $(cat "$WORK/lib.txt")"
set +e
zf scenarios --json --library "$LIB" >"$WORK/lib.json"
rc=$?
set -e
[ $rc -eq 2 ] || fail "--json with a broken scenario: exit $rc, want 2"
python3 - "$WORK/lib.json" "$LIB" <<'EOF' || fail "JSON of the broken library is wrong (above)"
import json, sys
doc = json.load(open(sys.argv[1]))
by = {s["id"]: s for s in doc["scenarios"]}
assert list(by) == ["broken/bad", "generic/short", "incidents/demo-2024-fire"], list(by)
assert doc["invalid"] == 1 and doc["count"] == 3 and doc["incidents"] == 1, doc
assert not by["broken/bad"]["valid"]
assert by["broken/bad"]["error"].startswith(sys.argv[2] + "/broken/bad.yaml:3:"), by["broken/bad"]
assert by["generic/short"]["labs"] == ["labs/demo.yaml"]
assert by["generic/short"]["incident"] is None
inc = by["incidents/demo-2024-fire"]
assert inc["labs"] == ["labs/a.yaml", "labs/b.yaml"], inc
assert inc["incident"]["provider"] == "Demo Cloud" and inc["incident"]["duration"] == "20h", inc
assert inc["incident"]["chain"] == ["fire", "power off", "storage down", "services down"]
EOF
ok "broken scenario: listed INVALID with FILE:LINE:COL, exit 2; labs and incident in JSON"

# 3. `incidents`: only incidents/ (so the broken file elsewhere does not count).
ZF_SCENARIOS=$LIB zf incidents >"$WORK/inc.txt" 2>"$WORK/inc.err" ||
  fail "zonefall incidents (ZF_SCENARIOS): exit $?: $(cat "$WORK/inc.err")"
grep -q "^incidents/demo-2024-fire  *power  *labs/a.yaml, labs/b.yaml " "$WORK/inc.txt" ||
  fail "incidents table: $(cat "$WORK/inc.txt")"
grep -q "Demo Cloud, 2024-09-10; lasted 20h" "$WORK/inc.txt" ||
  fail "no provider/date/duration line: $(cat "$WORK/inc.txt")"
grep -q "chain: fire → power off → storage down → services down" "$WORK/inc.txt" ||
  fail "no chain line: $(cat "$WORK/inc.txt")"
! grep -q "generic/\|broken/" "$WORK/inc.txt" || fail "incidents lists other scenarios: $(cat "$WORK/inc.txt")"
zf incidents --json --library "$LIB" >"$WORK/inc.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); ids=[s["id"] for s in d["scenarios"]]; sys.exit(0 if ids==["incidents/demo-2024-fire"] else print(ids) or 1)' \
  "$WORK/inc.json" || fail "incidents --json lists more than incidents/"
ok "incidents: only incidents/, with provider, date, duration, chain"

# 4. `run ID` finds the file: stopped by the lab that is not up (after the
# scenario loaded), never by "no scenario".
run_err() { # run_err WANT-EXIT ARGS... ; stderr in $WORK/run.err
  local want=$1
  shift
  set +e
  timeout 20 "$ZF_BIN" run "$@" --runs "$WORK/runs" >"$WORK/run.out" 2>"$WORK/run.err"
  local rc=$?
  set -e
  [ $rc -eq "$want" ] || fail "run $*: exit $rc, want $want: $(cat "$WORK/run.err")"
}
run_err 2 incidents/demo-2024-fire --library "$LIB" --lab $NOLAB --set zone=r1/b
grep -q "no lab named '$NOLAB' is up" "$WORK/run.err" || fail "run by id (--library): $(cat "$WORK/run.err")"
ZF_SCENARIOS=$LIB run_err 2 incidents/demo-2024-fire --lab $NOLAB
grep -q "no lab named '$NOLAB' is up" "$WORK/run.err" || fail "run by id (ZF_SCENARIOS): $(cat "$WORK/run.err")"
# the file was loaded: an undeclared --set is refused by the scenario loader
ZF_SCENARIOS=$LIB run_err 2 incidents/demo-2024-fire --lab $NOLAB --set nope=1
grep -q -- "--set nope" "$WORK/run.err" || fail "run by id did not load the scenario: $(cat "$WORK/run.err")"
(cd "$WORK" && env -u ZF_SCENARIOS "$ZF_BIN" run generic/zone-power-loss --lab $NOLAB \
   --runs "$WORK/runs" >/dev/null 2>"$WORK/run.err") && fail "run against no lab succeeded"
grep -q "no lab named '$NOLAB' is up" "$WORK/run.err" ||
  fail "run generic/zone-power-loss from the source tree's library: $(cat "$WORK/run.err")"
ok "run ID: found in --library, \$ZF_SCENARIOS and the source tree's scenarios/"

# 5. An id that is not there: exit 2, the closest ids, nothing run.
run_err 2 demo-2024-fire --library "$LIB" --lab $NOLAB
grep -q "no scenario 'demo-2024-fire' in the library $LIB" "$WORK/run.err" ||
  fail "missing id: $(cat "$WORK/run.err")"
grep -q "Did you mean: incidents/demo-2024-fire" "$WORK/run.err" ||
  fail "missing id without suggestion: $(cat "$WORK/run.err")"
run_err 2 generic/shrot --library "$LIB" --lab $NOLAB
grep -q "Did you mean: generic/short" "$WORK/run.err" || fail "typo without suggestion: $(cat "$WORK/run.err")"
run_err 2 "$WORK/no-such-file.yaml" --library "$LIB" --lab $NOLAB
grep -qF "$WORK/no-such-file.yaml" "$WORK/run.err" || fail "missing .yaml file: $(cat "$WORK/run.err")"
! grep -q "Did you mean" "$WORK/run.err" || fail "a .yaml path was looked up in the library"
[ ! -e "$WORK/runs" ] || fail "a run directory was made"
ok "missing id: exit 2 with close matches; a .yaml path is never a library id"

# 6. Without --lab: the scenario's own lab file, found from the scenario's
# directory upwards; a scenario that names none is refused.
set +e
(cd "$WORK" && env -u ZF_SCENARIOS "$ZF_BIN" run generic/dns-empty-answer \
   --runs "$WORK/runs" >/dev/null 2>"$WORK/run.err")
rc=$?
set -e
[ $rc -eq 2 ] || fail "run without --lab of a scenario without lab: exit $rc, want 2"
grep -q "which lab? the scenario names none" "$WORK/run.err" ||
  fail "no lab, no --lab: $(cat "$WORK/run.err")"
LABNAME=t-scncli-$$
ZF_LABS_TO_REMOVE+=("$LABNAME")
mkdir -p "$WORK/labs"
printf 'lab: %s\nregions:\n  r1: { zones: [a] }\nhosts:\n  solo: { zone: r1/a }\n' \
  "$LABNAME" >"$WORK/labs/a.yaml"
(cd / && "$ZF_BIN" run incidents/demo-2024-fire --library "$LIB" --runs "$WORK/runs" \
   >"$WORK/run.out" 2>"$WORK/run.err") || fail "run with the scenario's lab: $(cat "$WORK/run.err")"
grep -q "bringing up $WORK/labs/a.yaml (the scenario's lab)" "$WORK/run.out" ||
  fail "the scenario's lab was not the one brought up: $(cat "$WORK/run.out")"
[ "$(json_get "$(ls -d "$WORK"/runs/*demo-2024-fire*)/run.json" 'j["lab"]')" = "$LABNAME" ] ||
  fail "run.json does not name the scenario's lab"
! ip netns list | grep -q "zf\.$LABNAME\." || fail "the scenario's lab was left up"
ok "run without --lab: the scenario's lab file, found above the library, up and down; none named: exit 2"
