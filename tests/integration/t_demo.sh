#!/usr/bin/env bash
# `make demo`'s script (scripts/demo) with a shortened drill: it brings the
# demo lab up, runs the zone power loss drill, prints the summary (which
# must find the single-load-balancer weakness) and the report's path, and
# leaves nothing behind.
source "$(dirname "$0")/lib.sh"

snapshot >"$WORK/before.snap"
ZF_LABS_TO_REMOVE+=(demo)
"$ZF_SRC/scripts/demo" "$(dirname "$ZF_BIN")" --set outage=3s --set warmup=2s \
  --set cooldown=3s --runs "$WORK/runs" >"$WORK/demo.out" 2>&1 ||
  { cat "$WORK/demo.out"; fail "demo failed"; }
grep -q "FAIL  web *availability >= 99.5%" "$WORK/demo.out" || { cat "$WORK/demo.out"; fail "no failed availability line"; }
grep -qE "^reports: .*/report.html" "$WORK/demo.out" || fail "the report's path is not printed"
html=$(sed -n 's/^reports: \([^ ]*\) .*/\1/p' "$WORK/demo.out")
[ -s "$html" ] || fail "$html missing"
ok "demo drill: weakness found, summary and $(basename "$(dirname "$html")")/report.html"
assert_same_snapshot "$WORK/before.snap" "after the demo"
