#!/usr/bin/env bash
# link-down: a host's access link, a zone's uplink, a region's uplinks
# (both, or only backbone / internet) and a client's link go down (the
# link's flags say so) and the traffic through them stops, nothing else;
# revert and link-up bring the link up with exactly the routes the lab
# made; a link that is down already is refused without being touched.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netfault_lib.sh"

LAB=t-linkdn
net_lab_up
# is_down NS IFNAME: the link is administratively down
is_down() { ip netns exec "zf.$LAB.$1" ip -o link show dev "$2" | grep -qv '[<,]UP[,>]'; }
CUT='timeout|EHOSTUNREACH|ENETUNREACH'

# --- host -----------------------------------------------------------------
inject link-down "host a1"
is_down z.r1.a h0 || fail "a1's port on the zone router is not down"
want_reach "$CUT" a2 a1
want_reach "$CUT" user1 a1
want_reach "$CUT" a1 b1
want_reach ok a2 b1
want_reach ok user1 a2
revert host
want_reach ok a2 a1
same_gear "host link revert"
ok "link-down host a1: its switch port is down, a1 is cut off, a2 is not; revert"

# --- zone uplink ------------------------------------------------------------
inject link-down "zone r1/a"
is_down z.r1.a up || fail "zone uplink not down"
want_reach ok a1 a2
want_reach "$CUT" a1 b1
want_reach "$CUT" b1 a2
want_reach "$CUT" user1 a1
want_reach ok b1 c1
inject link-up "zone r1/a"
want_reach ok b1 a2
same_gear "link-up zone"
ok "link-down zone r1/a: the zone talks only to itself; link-up ends it"

# --- region uplinks -----------------------------------------------------------
inject link-down "region r1" backbone
is_down r.r1 bb || fail "backbone link not down"
want_reach "$CUT" a1 d1
want_reach "$CUT" e1 b1
want_reach ok user1 a1
want_reach ok a1 b1
zf inject --lab $LAB link-down "region r1" 2>"$WORK/err" && fail "second link-down accepted"
grep -q "down already" "$WORK/err" || fail "message: $(cat "$WORK/err")"
is_down r.r1 bb || fail "the refused fault touched the backbone link"
revert backbone
ok "link-down region r1 backbone: cut from r2, clients still in; a second link-down refused"
inject link-down "region r1"
is_down r.r1 bb && is_down r.r1 inet || fail "region uplinks not down"
want_reach "$CUT" user1 a1
want_reach "$CUT" a1 d1
want_reach ok a1 b1
want_reach ok user1 d1
revert region
want_reach ok user1 a1
want_reach ok a1 d1
same_gear "region uplinks revert"
ok "link-down region r1: cut from backbone and internet, fine inside; revert"

# --- client -------------------------------------------------------------------
inject link-down "client user1"
is_down inet c0 || fail "user1's link not down"
want_reach "$CUT" user1 a1
want_reach ok user2 a1
revert client
want_reach ok user1 a1
same_gear "client link revert"
ok "link-down client user1"

zf inject --lab $LAB link-down "zone r1/a" internet 2>/dev/null && fail "'internet' on a zone accepted"
zf inject --lab $LAB link-down "host a1" sideways 2>/dev/null && fail "bad argument accepted"
same_gear "refusals"
ok "bad arguments refused"
