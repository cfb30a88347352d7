#!/usr/bin/env bash
# t_vip.sh - virtual IPs placed by zonefall (docs/vips.md). A VIP db on
# three hosts of region r1 (two zones), nginx on each answering with its
# name; a keepalived-managed VIP kv shares db-b (so db-b has vip0 and vip1);
# a host in region r2 and a client use them.
#   the VIP answers from the client, another region and a member, and its
#   DNS name gives its address; vip-move moves the traffic at once (the
#   first request after the move reaches the new owner), the old owner no
#   longer holds the address, verify reads it back; a second move of the
#   same VIP is refused while one is active; revert moves it back; without
#   "to" the next member takes it; bad moves change nothing;
#   keep-name-stale: the old address goes dark, the service answers on the
#   VIP's second address, the DNS name answers the old address until D and
#   then the new one (its clock process gone after), revert restores both;
#   power-off of the owner silences the VIP (timeout, no refusal), of
#   another member does not; the placement survives the process: an
#   injector SIGKILLed mid-fault and a fault journaled but never applied
#   are both put back by `recover` (a second recover is a no-op);
#   `down` leaves the machine as it was.
source "$(dirname "$0")/lib.sh"
command -v dig >/dev/null || fail "dig not found (dnsutils)"
command -v nginx >/dev/null || fail "nginx not found"

LAB=t-vip
cp "$ZF_SRC/labs/demo/web.conf" "$WORK/web.conf"
NGINX='{ nginx: { run: "nginx -p {data} -c {lab}/web.conf -g '"'daemon off;'"'", restart: always, ready: { tcp: 80 } } }'
cat >"$WORK/lab.yaml" <<EOF
lab: $LAB
regions:
  r1: { zones: [a, b] }
  r2: { zones: [a] }
clients: [user1]
hosts:
  db-a: { zone: r1/a, services: $NGINX }
  db-b: { zone: r1/b, services: $NGINX }
  db-c: { zone: r1/a, services: $NGINX }
  app: { zone: r2/a }
vips:
  db: { members: [db-a, db-b, db-c], owner: db-a }
  kv: { members: [db-b, db-c], manager: keepalived }
EOF
VIP=198.19.254.2        # db's first address (addrplan.h)
VIP2=198.19.254.3       # db's second address
STATE=/run/zonefall/$LAB/vip/db

snapshot >"$WORK/before.snap"
lab_up $LAB "$WORK/lab.yaml" >/dev/null

x() { zf exec --lab $LAB "$@"; }
get() { x "$1" -- curl -s -m "${3:-1}" "http://$2/" 2>/dev/null || true; }   # the name of who answers
dns() { x "$1" -- dig +short +tries=1 +time=2 db.lab; }
holds() { ip -n "zf.$LAB.h.$1" -4 -o addr show dev "$2" | grep -c " $3/32" || true; }
clock_runs() { # a live DNS clock (a dead one waits as a zombie for PID 1 of the machine)
  [ "$(ps -eo stat=,comm= | awk '$1 !~ /^Z/ && $2 == "zf-vip-clock"' | wc -l)" -gt 0 ]
}
expect_on() { # expect_on HOST ADDRESS: only HOST holds ADDRESS on vip0
  local h
  for h in db-a db-b db-c; do
    want=0; [ "$h" = "$1" ] && want=1
    [ "$(holds $h vip0 "$2")" = $want ] || fail "$2 on $h: $(holds $h vip0 "$2"), want $want"
  done
}

# --- the VIP as built ---------------------------------------------------------
for from in user1 app db-b; do
  [ "$(get $from $VIP)" = db-a ] || fail "$from: $VIP answered '$(get $from $VIP)', want db-a"
done
ok "VIP db answers from db-a for a client, a host of another region and a member"
expect_on db-a $VIP
[ "$(ip -n zf.$LAB.h.db-b -o link show vip1 | wc -l)" = 1 ] || fail "db-b has no vip1 (its second VIP)"
ip -n zf.$LAB.r.r1 -o link show v-db | grep -q "state UP" || fail "no bridge v-db in the region router"
ok "segment: bridge v-db in r1's router, db-b on two VIPs (vip0, vip1)"
[ "$(ip -n zf.$LAB.h.db-a rule | grep -c 'from 198.19.254.0/28 lookup 100')" = 1 ] ||
  fail "db-a has no source rule for its VIP segment"
ip -n zf.$LAB.h.db-a route get 198.18.0.10 from $VIP | grep -q "via 198.19.254.1 dev vip0" ||
  fail "a reply from the VIP to user1 would not take the segment: $(ip -n zf.$LAB.h.db-a route get 198.18.0.10 from $VIP)"
ip -n zf.$LAB.h.db-a route get 198.18.0.10 | grep -q "dev eth0" || fail "db-a's own traffic left eth0"
ok "replies from the VIP leave through the segment (source rule + table)"
for from in user1 app db-c; do
  [ "$(dns $from)" = $VIP ] || fail "$from: db.lab -> '$(dns $from)', want $VIP"
done
ok "db.lab answers $VIP everywhere"

# --- vip-move -----------------------------------------------------------------
zf inject --lab $LAB vip-move db 'to db-b' --json >"$WORK/move.json" || fail "vip-move failed"
first=$(get user1 $VIP)
[ "$first" = db-b ] || fail "first request after the move answered by '$first', want db-b"
expect_on db-b $VIP
ok "vip-move db to db-b: applied and verified in $(json_get "$WORK/move.json" 'j["apply_ms"]') ms, the first request lands on db-b"
[ "$(get app $VIP)" = db-b ] && [ "$(dns user1)" = $VIP ] || fail "after the move: app or DNS wrong"
ok "other regions follow; the DNS name keeps the same address"
grep -qx "owner db-b" $STATE || fail "state file: $(cat $STATE)"
if zf inject --lab $LAB vip-move db 'to db-c' >"$WORK/second.out" 2>&1; then
  fail "a second vip-move of db was accepted"
fi
grep -q "is active on this VIP" "$WORK/second.out" || fail "second move: $(cat "$WORK/second.out")"
expect_on db-b $VIP
ok "a second vip-move of the same VIP is refused and changes nothing"
zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" '[f["fault"] for f in j["labs"][0]["faults"]]')" = "['vip-move']" ] ||
  fail "status faults: $(json_get "$WORK/st.json" 'j["labs"][0]["faults"]')"
zf revert --lab $LAB >/dev/null || fail "revert"
[ "$(get user1 $VIP)" = db-a ] || fail "after revert: '$(get user1 $VIP)'"
expect_on db-a $VIP
[ ! -e "$STATE@f1" ] || fail "the saved placement of f1 is left"
ok "revert: back on db-a, verified"
zf inject --lab $LAB vip-move db >/dev/null || fail "vip-move without 'to'"
[ "$(get user1 $VIP)" = db-b ] || fail "without 'to': '$(get user1 $VIP)', want the next member db-b"
zf revert --lab $LAB >/dev/null
ok "without 'to' the next member takes it"

bad() { # bad WHAT TARGET ARGS EXPECTED-MESSAGE
  if zf inject --lab $LAB vip-move "$2" "$3" >"$WORK/bad.out" 2>&1; then fail "$1 accepted"; fi
  grep -q "$4" "$WORK/bad.out" || fail "$1: $(cat "$WORK/bad.out")"
}
bad "move to the owner" db 'to db-a' "db-a holds the VIP already"
bad "a keepalived VIP" kv '' "managed by keepalived"
bad "an unknown VIP" nope '' "no VIP named 'nope'"
bad "a non-member" db 'to app' "'app' is not a member"
bad "bad arguments" db 'to db-b sideways' "unexpected 'sideways'"
expect_on db-a $VIP
zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" 'len(j["labs"][0]["faults"])')" = 0 ] || fail "a bad move left a fault"
ok "bad moves (to the owner, keepalived VIP, unknown VIP, non-member, bad words) fail and change nothing"

# --- keep-name-stale ----------------------------------------------------------
zf inject --lab $LAB vip-move db 'to db-c keep-name-stale for 3s' >/dev/null || fail "keep-name-stale"
t0=$(date +%s.%N)
[ "$(get user1 $VIP2)" = db-c ] || fail "the new address $VIP2 answered '$(get user1 $VIP2)'"
[ -z "$(get user1 $VIP)" ] || fail "the old address still answers"
expect_on db-c $VIP2
expect_on none $VIP
[ "$(dns user1)" = $VIP ] && [ "$(dns app)" = $VIP ] || fail "DNS should still answer the old address"
clock_runs || fail "no DNS clock process"
ok "keep-name-stale: service on db-c at $VIP2, old address dark, db.lab still answers $VIP"
python3 -c "import time,sys; time.sleep(max(0, $t0 + 3.3 - time.time()))"
for i in $(seq 1 20); do [ "$(dns user1)" = $VIP2 ] && break; sleep 0.1; done
[ "$(dns user1)" = $VIP2 ] && [ "$(dns app)" = $VIP2 ] || fail "after 3 s db.lab answers '$(dns user1)'"
[ "$(get user1 db.lab)" = db-c ] || fail "clients using the name do not reach db-c"
clock_runs && fail "the DNS clock is still running"
ok "after 3 s the name answers $VIP2 (clients by name recover); the clock is gone"
zf revert --lab $LAB >/dev/null || fail "revert keep-name-stale"
[ "$(dns user1)" = $VIP ] && [ "$(get user1 $VIP)" = db-a ] || fail "revert: dns $(dns user1), $VIP -> $(get user1 $VIP)"
expect_on db-a $VIP
expect_on none $VIP2
ok "revert: db-a at $VIP again, $VIP2 gone, db.lab answers $VIP"
zf inject --lab $LAB vip-move db 'keep-name-stale' >/dev/null || fail "keep-name-stale without for"
sleep 1.5
[ "$(dns user1)" = $VIP ] || fail "without 'for' the name must stay stale"
clock_runs && fail "no clock expected without 'for'"
zf revert --lab $LAB >/dev/null
expect_on db-a $VIP
ok "keep-name-stale without 'for': stale until reverted"

# --- power ----------------------------------------------------------------------
zf inject --lab $LAB power-off 'host db-a' >/dev/null
out=$(x user1 -- curl -s -m 1 -o /dev/null -w '%{http_code}' http://$VIP/ 2>/dev/null; echo " rc=$?")
[ "$out" = "000 rc=28" ] || fail "a powered-off owner should be silent (timeout), got '$out'"
ip -n zf.$LAB.r.r1 -o link show vp0.0 | grep -q "state DOWN" || fail "db-a's bridge port is not down"
zf inject --lab $LAB power-on 'host db-a' >/dev/null
for i in $(seq 1 50); do [ "$(get user1 $VIP)" = db-a ] && break; sleep 0.1; done
[ "$(get user1 $VIP)" = db-a ] || fail "db-a not back on the VIP after power-on"
ok "power-off of the owner: the VIP is silent (timeout); power-on: answered again"
zf inject --lab $LAB power-off 'host db-c' >/dev/null
[ "$(get user1 $VIP)" = db-a ] || fail "powering off another member broke the VIP"
zf revert --lab $LAB >/dev/null
ok "power-off of another member leaves the VIP alone"

# --- across processes: SIGKILL, a journaled fault never applied, recover --------
"$ZF_BIN" inject --lab $LAB vip-move db 'to db-b keep-name-stale' --for 60s >/dev/null &
pid=$!
for i in $(seq 1 100); do grep -qx "owner db-b" $STATE 2>/dev/null && break; sleep 0.05; done
sleep 0.2
kill -9 $pid
wait $pid 2>/dev/null || true
[ "$(get user1 $VIP2)" = db-b ] || fail "the move should survive its injector"
zf recover $LAB >"$WORK/recover.out" || fail "recover: $(cat "$WORK/recover.out")"
grep -q "1 fault reverted" "$WORK/recover.out" || fail "recover: $(cat "$WORK/recover.out")"
[ "$(get user1 $VIP)" = db-a ] && [ "$(dns user1)" = $VIP ] || fail "recover did not put db back"
expect_on db-a $VIP
expect_on none $VIP2
[ "$(zf recover $LAB)" = "lab $LAB: nothing to recover" ] || fail "second recover did something"
ok "injector SIGKILLed mid-fault: the move stays; recover puts db back; a second recover is a no-op"
# A crash between the journal and the apply: "begin" is all there is.
printf '%s\tf99\tbegin\tvip-move\tdb\tto db-c\t0\n' "$(date +%s%N)" >>/run/zonefall/$LAB/journal
zf recover $LAB >"$WORK/recover.out" || fail "recover of a never-applied move: $(cat "$WORK/recover.out")"
grep -q "1 fault reverted" "$WORK/recover.out" || fail "recover: $(cat "$WORK/recover.out")"
expect_on db-a $VIP
[ "$(get user1 $VIP)" = db-a ] || fail "db moved by the revert of a move never applied"
ok "a move journaled but never applied: recover reverts it harmlessly"

zf down $LAB >/dev/null || fail "down"
clock_runs && fail "a DNS clock survived down"
assert_same_snapshot "$WORK/before.snap" "after the VIP tests and down"
