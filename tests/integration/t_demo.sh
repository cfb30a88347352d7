#!/usr/bin/env bash
# `make demo`'s script on the demo lab: the site answers, goes dark while
# zone r1/a (holding the only load balancer) has no power although web-b and
# web-c still serve, and answers again after power-on; nothing is left.
source "$(dirname "$0")/lib.sh"

snapshot >"$WORK/before.snap"
ZF_LABS_TO_REMOVE+=(demo)
"$ZF_SRC/scripts/demo" "$(dirname "$ZF_BIN")" >"$WORK/demo.out" 2>&1 || { cat "$WORK/demo.out"; fail "demo failed"; }
mapfile -t probes < <(grep -oE '[0-9]+/20 answered' "$WORK/demo.out")
[ ${#probes[@]} -eq 3 ] || fail "expected 3 probe lines, got: ${probes[*]}"
[ "${probes[0]}" = "20/20 answered" ] || fail "before the outage: ${probes[0]}"
[ "${probes[1]}" = "0/20 answered" ] || fail "during the outage: ${probes[1]}"
n=${probes[2]%%/*}
[ "$n" -ge 18 ] || fail "after power-on: ${probes[2]}"
grep -q '^web-c$' "$WORK/demo.out" || fail "web-b could not reach web-c during the outage"
ok "demo: ${probes[0]} before, ${probes[1]} while zone r1/a is off, ${probes[2]} after"
assert_same_snapshot "$WORK/before.snap" "after the demo"
