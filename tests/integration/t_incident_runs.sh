#!/usr/bin/env bash
# Every incident scenario of the library runs to completion on its example
# lab at a test time scale, leaves nothing behind, and reports an observed
# fault chain that starts at the injected fault and ends at a measured
# probe impact.
#
# For each id of tests/incidents.txt (the catalogue, in its order):
#   - `zonefall run scenarios/incidents/ID.yaml --lab LABFILE` with the
#     first lab of the scenario's `lab:` key, --time-scale SCALE and a fixed
#     seed; run brings the lab up from the file and takes it down again;
#   - the run exits 0 or 1 (1: an expectation failed, which an incident
#     drill is expected to show), never 2, 3 or 4, within its time cap;
#   - run.json says ended.reason "completed";
#   - run.json's chain (docs/run-json.md): chain.observed is non-empty;
#     its first link is the "cause" whose "fault" is the first event (by
#     t_actual_s) that took effect, repairs aside; its last link is an
#     "impact" naming a probe of the run with a measured degradation
#     (availability < 100, outage_s > 0 or lost > 0) that the probe's own
#     record shows too; chain.incident (and run.json's incident.chain) is
#     the scenario's own incident chain;
#   - the lab is not up any more.
# Per incident it prints lab, scale, seconds, exit code and the chain; at
# the end a table, the total time (the library must run in 20 minutes on
# the 2-core VM) and the machine's snapshot against the one taken first.
#
# Time scale: ZF_INCIDENT_SCALE (default 3) for every drill, except the
# ones listed in SCALE_OF below. At 3 the library takes about 11 minutes
# on the 2-core VM; the shortest fault phases (5 s) still outlast every
# probe's timeout, and the data labs (Redis Sentinel, PostgreSQL) still
# fail over, lose or keep their writes as at scale 1. ZF_INCIDENTS="id1 id2" runs only those;
# ZF_INCIDENT_RUNS=DIR keeps the run directories in DIR/ID/ (default: the
# test's work directory, removed at the end).
source "$(dirname "$0")/lib.sh"

SCALE=${ZF_INCIDENT_SCALE:-3}
BUDGET_S=${ZF_INCIDENT_BUDGET:-1200}   # the whole library, seconds
SEED=7

# Drills that need another scale than $SCALE, and why. (none yet)
declare -A SCALE_OF=()

IDS_FILE=$ZF_SRC/tests/incidents.txt
mapfile -t IDS < <(grep -v '^[[:space:]]*\(#\|$\)' "$IDS_FILE")
[ ${#IDS[@]} -ge 16 ] || fail "only ${#IDS[@]} ids in $IDS_FILE"
if [ -n "${ZF_INCIDENTS:-}" ]; then
  read -r -a IDS <<<"$ZF_INCIDENTS"
fi

# The first lab file of scenario FILE's top-level `lab:` key (a file or a
# [list]), relative to the source tree.
first_lab() {
  sed -n 's/^lab:[[:space:]]*//p' "$1" | tr -d '[]"'"'" | cut -d, -f1 |
    sed 's/[[:space:]]*#.*//; s/^[[:space:]]*//; s/[[:space:]]*$//' | head -1
}

# The lab name a lab file declares.
lab_name() {
  sed -n 's/^lab:[[:space:]]*\([a-z][a-z0-9-]*\).*/\1/p' "$1" | head -1
}

# The chain line of scenario FILE's incident block, unquoted.
incident_chain() {
  awk '
    /^incident:[[:space:]]*$/ { inside = 1; next }
    inside && /^[^[:space:]#]/ { exit }
    inside && /^  chain:/ {
      v = $0; sub(/^  chain:[[:space:]]*/, "", v)
      if (v ~ /^".*"$/ || v ~ /^'"'"'.*'"'"'$/) v = substr(v, 2, length(v) - 2)
      print v; exit
    }
  ' "$1"
}

# The planned length of FILE's drill at scale 1, in seconds: warm-up plus
# the latest step or revert plus cool-down (for the run's time cap).
planned_s() {
  python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def secs(s):
    m = re.fullmatch(r'\s*"?(\d+(?:\.\d+)?)(ms|s|m|h)"?\s*', s)
    if not m:
        return None
    return float(m[1]) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m[2]]
params = {}
m = re.search(r'^params:\n((?:[ \t]+.*\n|\s*\n)*)', text, re.M)
if m:
    for k, v in re.findall(r'^\s+([a-z_]+):\s*("[^"]*"|[^#\n]*)', m[1], re.M):
        params[k] = v.strip().strip('"')
def val(s):
    s = s.strip().strip('"')
    s = re.sub(r'\{(\w+)\}', lambda g: params.get(g[1], g[0]), s)
    return secs(s) or 0.0
def top(key):
    m = re.search(r'^%s:\s*(.*)$' % key, text, re.M)
    return val(m[1]) if m else 0.0
last = 0.0
m = re.search(r'^steps:.*\n((?:[ \t#].*\n|\s*\n)*)', text, re.M)
for st in re.findall(r'^\s+- \{(.*)\}\s*$', m[1] if m else "", re.M):
    at = re.search(r'\bat:\s*("[^"]*"|[^,}]+)', st)
    fo = re.search(r'\bfor:\s*("[^"]*"|[^,}]+)', st)
    t = (val(at[1]) if at else 0.0) + (val(fo[1]) if fo else 0.0)
    last = max(last, t)
print(int(top("warmup") + last + top("cooldown") + 0.999))
EOF
}

# Check the run's record RUN_JSON of scenario FILE; print the chain's text
# on stdout, the problems on stderr. Exit 0 when the record is right.
check_record() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
path, want_incident = sys.argv[1], sys.argv[2]
j = json.load(open(path))
bad = []
def problem(msg):
    bad.append(msg)

ended = (j.get("ended") or {}).get("reason")
if ended != "completed":
    problem("ended.reason is %r (%s), want 'completed'"
            % (ended, (j.get("ended") or {}).get("detail")))

# The cause: the first fault that took effect; repairs are never links.
REPAIRS = ("power-on", "link-up", "route-restore", "resume")
events = [e for e in j.get("events") or []
          if e.get("status") in ("applied", "reverted", "done")
          and e.get("action") not in REPAIRS]
events.sort(key=lambda e: (e.get("t_actual_s") or 0.0))
if not events:
    problem("no event took effect")
failed = [e["id"] for e in j.get("events") or []
          if e.get("status") not in ("applied", "reverted", "done")]
if failed:
    problem("events that did not take effect: %s" % ", ".join(
        "%s (%s: %s)" % (i, e.get("status"), e.get("error"))
        for i in failed for e in j["events"] if e["id"] == i))
probes = {p["name"]: p for p in j.get("probes") or []}

chain = j.get("chain")
text = ""
if not isinstance(chain, dict):
    problem("run.json has no 'chain' object")
else:
    text = chain.get("text") or ""
    if not isinstance(chain.get("text"), str) or not text.strip():
        problem("chain.text is missing or empty")
    obs = chain.get("observed")
    if not isinstance(obs, list) or not obs:
        problem("chain.observed is missing or empty")
    else:
        for i, l in enumerate(obs):
            if not isinstance(l, dict) or l.get("link") not in ("cause", "failure", "fault", "impact"):
                problem("chain.observed[%d] is not a cause/failure/fault/impact link: %r" % (i, l))
            elif not isinstance(l.get("at"), (int, float)):
                problem("chain.observed[%d] has no 'at' time: %r" % (i, l))
        first, last = obs[0], obs[-1]
        if first.get("link") != "cause":
            problem("the first link is %r, want 'cause': %r" % (first.get("link"), first))
        elif events:
            e0 = events[0]
            if first.get("fault") != e0["id"]:
                problem("the cause is fault %r, want %r, the first event that took "
                        "effect (%s %s at %.3f s)" % (first.get("fault"), e0["id"],
                        e0.get("action"), e0.get("target"), e0.get("t_actual_s")))
            elif isinstance(first.get("at"), (int, float)) and \
                    abs(first["at"] - e0["t_actual_s"]) > 1.0:
                problem("the cause is at %.3f s, its fault took effect at %.3f s"
                        % (first["at"], e0["t_actual_s"]))
        if last.get("link") != "impact":
            problem("the last link is %r, want 'impact': %r" % (last.get("link"), last))
        else:
            name = last.get("probe")
            if name not in probes:
                problem("the impact names probe %r, not one of %s" % (name, sorted(probes)))
            av, out, lost = last.get("availability"), last.get("outage_s"), last.get("lost")
            num = lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)
            if not ((num(av) and av < 100) or (num(out) and out > 0) or (num(lost) and lost > 0)):
                problem("the impact has no measured degradation (availability %r, "
                        "outage_s %r, lost %r): %r" % (av, out, lost, last))
            if name in probes:
                p = probes[name]
                seen = (p.get("availability") is not None and p["availability"] < 100) \
                    or bool(p.get("outages")) \
                    or ((p.get("check") or {}).get("lost") or 0) > 0
                if not seen:
                    problem("the impact's probe %s shows no degradation in its record "
                            "(availability %r, no outage, nothing lost)"
                            % (name, p.get("availability")))
    if chain.get("incident") != want_incident:
        problem("chain.incident is %r, want the scenario's %r"
                % (chain.get("incident"), want_incident))

rec_inc = (j.get("incident") or {}).get("chain")
if rec_inc != want_incident:
    problem("run.json incident.chain is %r, want %r" % (rec_inc, want_incident))

print(text.replace("\n", " "))
for b in bad:
    print("    " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

# One line per probe: name, availability, longest outage, lost.
probe_lines() {
  python3 - "$1" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
for p in j.get("probes") or []:
    longest = max((o["duration_s"] for o in p.get("outages") or []), default=0.0)
    lost = (p.get("check") or {}).get("lost")
    print("      %-14s avail %8s%%  longest outage %6.1f s%s" % (
        p["name"], p.get("availability"), longest,
        "" if lost is None else "  lost %s" % lost))
EOF
}

snapshot >"$WORK/before.snap"
T0=$(date +%s.%N)
declare -a ROWS=() PROBLEMS=()

for id in "${IDS[@]}"; do
  f=$ZF_SRC/scenarios/incidents/$id.yaml
  [ -f "$f" ] || fail "no scenario $f"
  labrel=$(first_lab "$f")
  [ -n "$labrel" ] || fail "$f: no lab: key"
  labfile=$ZF_SRC/$labrel
  [ -f "$labfile" ] || fail "$f: lab file $labfile does not exist"
  lab=$(lab_name "$labfile")
  [ -n "$lab" ] || fail "$labfile: no lab name"
  want_chain=$(incident_chain "$f")
  [ -n "$want_chain" ] || fail "$f: no incident chain"
  scale=${SCALE_OF[$id]:-$SCALE}

  # A lab of that name that is up already is not ours: never touch it
  # (wait for it up to ZF_BUSY_WAIT seconds, default 0).
  waited=0
  while zf status "$lab" >/dev/null 2>&1; do
    [ "$waited" -lt "${ZF_BUSY_WAIT:-0}" ] ||
      fail "$id: lab $lab is up already (another test's?); not running on it"
    sleep 5
    waited=$((waited + 5))
  done
  ZF_LABS_TO_REMOVE+=("$lab")

  plan=$(planned_s "$f")
  cap=$(python3 -c "import sys; print(int(float(sys.argv[1]) / float(sys.argv[2]) * 2 + 90))" "$plan" "$scale")
  runs=${ZF_INCIDENT_RUNS:-$WORK/runs}/$id
  rm -rf "$runs"
  mkdir -p "$runs"
  echo "== $id: lab $labrel ($lab), scale $scale, planned $plan s at scale 1, cap $cap s"
  t1=$(date +%s.%N)
  set +e
  (cd "$WORK" && timeout -s INT -k 60 "$cap" "$ZF_BIN" run "$f" --lab "$labfile" \
     --time-scale "$scale" --seed "$SEED" --runs "$runs") >"$runs/out.txt" 2>&1
  rc=$?
  set -e
  t2=$(date +%s.%N)
  secs=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t1" "$t2")
  probs=()
  case $rc in
    0|1) ;;
    124) probs+=("still running after the cap of $cap s (interrupted)") ;;
    *) probs+=("exit $rc (want 0 or 1)") ;;
  esac
  rj=$(find "$runs" -mindepth 2 -maxdepth 2 -name run.json | head -1)
  chain_text="-"
  if [ -z "$rj" ]; then
    probs+=("no run.json under $runs")
  else
    set +e
    chain_text=$(check_record "$rj" "$want_chain" 2>"$runs/check.err")
    crc=$?
    set -e
    [ $crc -eq 0 ] || probs+=("$(cat "$runs/check.err")")
    [ -n "$chain_text" ] || chain_text="(no chain)"
  fi
  if zf status "$lab" >/dev/null 2>&1 || [ -e "/run/zonefall/$lab" ]; then
    probs+=("lab $lab is still up after the run")
    zf down "$lab" >/dev/null 2>&1 || zf recover "$lab" >/dev/null 2>&1 || true
  fi
  echo "   lab $lab  scale $scale  ${secs} s  exit $rc"
  echo "   chain: $chain_text"
  [ -n "$rj" ] && probe_lines "$rj"
  if [ ${#probs[@]} -gt 0 ]; then
    printf '   PROBLEM: %s\n' "${probs[@]}"
    sed 's/^/   | /' "$runs/out.txt" | tail -25
    PROBLEMS+=("$id: $(printf '%s; ' "${probs[@]}")")
    ROWS+=("$(printf '%-30s %-16s %5s %7s %4s  %s' "$id" "$lab" "$scale" "$secs" "$rc" "PROBLEM")")
  else
    ok "$id: completed on $lab at scale $scale in $secs s (exit $rc), record and chain right"
    ROWS+=("$(printf '%-30s %-16s %5s %7s %4s  %s' "$id" "$lab" "$scale" "$secs" "$rc" "ok")")
  fi
done

T3=$(date +%s.%N)
total=$(python3 -c "import sys; print('%.0f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$T0" "$T3")
echo
printf '%-30s %-16s %5s %7s %4s  %s\n' incident lab scale seconds exit result
printf '%s\n' "${ROWS[@]}"
echo "total: $total s for ${#IDS[@]} incidents (budget $BUDGET_S s)"

assert_same_snapshot "$WORK/before.snap" "after the ${#IDS[@]} incident drills"

if [ ${#PROBLEMS[@]} -gt 0 ]; then
  printf '  %s\n' "${PROBLEMS[@]}" >&2
  fail "${#PROBLEMS[@]} of ${#IDS[@]} incident drills misbehaved (above)"
fi
if [ "${ZF_INCIDENTS:-}" = "" ]; then
  [ "$total" -le "$BUDGET_S" ] || fail "the library took $total s, over the budget of $BUDGET_S s"
  ok "the whole library in $total s (budget $BUDGET_S s)"
fi
