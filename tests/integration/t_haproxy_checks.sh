#!/usr/bin/env bash
# t_haproxy_checks.sh - haproxy's default health checks (inter 2s, fall 3,
# rise 2) measured by a drill: scenarios/web/backend-crash.yaml on a copy of
# labs/web-3az.yaml kills nginx on web-b (restart: no). Requests haproxy
# routes to web-b fail (503 after its connect retries) until the checks
# mark it down: the errors must span about 6 s (4-7 s from the crash), hit
# about a third of the requests meanwhile (round robin over 3 backends),
# and stop entirely afterwards.
source "$(dirname "$0")/lib.sh"
command -v haproxy >/dev/null || fail "haproxy not found (scripts/install-deps)"

LAB=t-haproxy
snapshot >"$WORK/before.snap"
cp -r "$ZF_SRC/labs/web-3az" "$WORK/"
sed "s/^lab: web-3az/lab: $LAB/" "$ZF_SRC/labs/web-3az.yaml" >"$WORK/lab.yaml"
ZF_LABS_TO_REMOVE+=("$LAB")
rc=0
zf run "$ZF_SRC/scenarios/web/backend-crash.yaml" --lab "$WORK/lab.yaml" \
  --runs "$WORK/runs" >"$WORK/run.out" 2>&1 || rc=$?
[ $rc -eq 1 ] || { cat "$WORK/run.out" >&2; fail "run exited $rc, expected 1 (availability below 99%)"; }
J=$(ls "$WORK"/runs/*/run.json)
read -r span share causes late <<<"$(python3 - "$J" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
p = j["probes"][0]
crash = [e for e in j["events"] if e["action"] == "kill"][0]["t_actual_s"]
o = p["outages"]
first, last = o[0]["start_s"], o[-1]["end_s"]
bad = sum(x["requests"] for x in o)
sent = sum(s["sent"] for s in p["samples"] if first <= s["t"] < last)
causes = sorted({c for x in o for c in x["causes"]})
late = sum(s["sent"] - s["good"] for s in p["samples"] if s["t"] >= last + 1)
print(round(last - crash, 2), round(100 * bad / max(sent, 1), 1), ",".join(causes), late)
PY
)"
python3 -c "import sys; sys.exit(0 if 4.0 <= $span <= 7.0 else 1)" ||
  fail "errors lasted $span s after the crash, expected about 6 s (4-7)"
python3 -c "import sys; sys.exit(0 if 22 <= $share <= 45 else 1)" ||
  fail "$share% of the requests failed meanwhile, expected about a third"
[ "$causes" = bad_status ] || fail "errors were $causes, expected haproxy's 503 (bad_status)"
[ "$late" = 0 ] || fail "$late requests failed after the checks marked web-b down"
ok "nginx killed on web-b: errors for $span s ($share% of requests, haproxy 503s), none after the checks marked it down"
ZF_LABS_TO_REMOVE=()
assert_same_snapshot "$WORK/before.snap" "after the drill"
