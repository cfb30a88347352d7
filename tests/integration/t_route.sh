#!/usr/bin/env bash
# route-withdraw: a withdrawn region is unreachable from the other region
# and from clients - by default fast ("No route to host": the routers
# answer ICMP unreachable), with "blackhole" by timeout - while its own
# hosts still reach each other; a withdrawn zone is lost to the whole lab
# outside it; revert and route-restore put back exactly the routes the lab
# made (every gear namespace's routing table byte-identical); a second
# withdrawal of the same prefixes is refused without undoing the first.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netfault_lib.sh"

LAB=t-route
net_lab_up

# connect_ms FROM TO: how the connection ends and how long that took.
connect_ms() {
  local t0 t1 r
  t0=$(date +%s%N); r=$(reach "$1" "$2" 7000 3); t1=$(date +%s%N)
  echo "$r $(( (t1 - t0) / 1000000 ))"
}

# --- region, unreachable (default) -------------------------------------------
inject route-withdraw "region r2"
read -r how ms < <(connect_ms a1 d1)
[[ "$how" =~ ^(EHOSTUNREACH|ENETUNREACH)$ ]] || fail "r1 -> withdrawn r2: $how"
(( ms < 1500 )) || fail "r1 -> withdrawn r2 took $ms ms to fail"
want_reach 'EHOSTUNREACH|ENETUNREACH' user1 e1 7000 3
ok "route-withdraw region r2: r1 and clients fail fast ($how)"
want_reach ok d1 e1
want_reach ok a1 b1
want_reach ok user1 a1
ok "r2's hosts still reach each other; r1 and its clients unaffected"
zf inject --lab $LAB route-withdraw "region r2" blackhole 2>"$WORK/err" &&
  fail "a second withdrawal of r2 was accepted"
grep -q "withdrawn already" "$WORK/err" || fail "message: $(cat "$WORK/err")"
want_reach 'EHOSTUNREACH|ENETUNREACH' a1 d1 7000 3
ok "a second withdrawal is refused and leaves the first in place"
zf revert --lab $LAB >/dev/null || fail "revert"
want_reach ok a1 d1
want_reach ok user1 e1
same_gear "revert of region withdrawal"
ok "revert: routes exactly as the lab made them, reachability back"

# --- region, blackhole ---------------------------------------------------------
inject route-withdraw "region r2" blackhole
want_reach timeout a1 d1 7000 1
want_reach timeout user2 e1 7000 1
want_reach ok e1 d1
ok "blackhole: silent, connections time out; r2 inside still works"
inject route-restore "region r2"
want_reach ok a1 d1
same_gear "route-restore"
ok "route-restore ends the withdrawal (journal closed, routes exact)"

# --- zone ----------------------------------------------------------------------
inject route-withdraw "zone r1/a"
want_reach 'EHOSTUNREACH|ENETUNREACH' b1 a1 7000 3
want_reach 'EHOSTUNREACH|ENETUNREACH' d1 a2 7000 3
want_reach 'EHOSTUNREACH|ENETUNREACH' user1 a1 7000 3
want_reach ok a1 a2
want_reach ok b1 c1
ok "route-withdraw zone r1/a: lost to the rest of the lab, fine inside"
zf revert --lab $LAB >/dev/null || fail "revert zone"
want_reach ok b1 a1
same_gear "revert of zone withdrawal"
ok "revert of the zone withdrawal"

zf inject --lab $LAB route-withdraw "host a1" 2>/dev/null && fail "host accepted"
zf inject --lab $LAB route-withdraw "zone r1/a" sideways 2>/dev/null && fail "bad argument accepted"
same_gear "refusals"
ok "hosts and unknown arguments are refused"
