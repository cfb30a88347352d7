#!/usr/bin/env bash
# The network faults act only inside the lab's gear: with a sentinel
# nftables table and an iptables rule of our own in the ROOT namespace,
# every network fault kind is applied and reverted, killed with SIGKILL
# while applied and recovered, and "crashed" between its journal's begin
# and its apply and recovered; afterwards the sentinel table, the root
# filter table of iptables and the root routes are byte-identical to
# before, a second recover finds nothing, and the gear is as the lab made
# it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netfault_lib.sh"

LAB=t-rootut
SENT=zf_sentinel_$$
# iptables-nft makes "table ip filter" for the sentinel rule; it goes
# again afterwards unless the machine had it already.
had_filter=0
nft list table ip filter >/dev/null 2>&1 && had_filter=1
rm_sentinels() {
  nft delete table inet $SENT 2>/dev/null || true
  iptables -D INPUT -s 192.0.2.55 -m comment --comment zf-sentinel-$$ -j DROP 2>/dev/null || true
  [ $had_filter = 1 ] || nft delete table ip filter 2>/dev/null || true
}
on_exit() { local rc=$?; rm_sentinels; set +e; (exit $rc); cleanup; }
trap on_exit EXIT
nft add table inet $SENT
nft add chain inet $SENT c '{ type filter hook input priority 0; policy accept; }'
nft add rule inet $SENT c ip saddr 192.0.2.55 tcp dport 7000 drop
iptables -A INPUT -s 192.0.2.55 -m comment --comment zf-sentinel-$$ -j DROP

root_state() {
  echo "## sentinel"; nft list table inet $SENT
  echo "## iptables"; iptables-save -t filter | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
  echo "## routes"; ip -4 route show table all | grep -v ' linkdown' || true
}
root_state >"$WORK/root.before"

write_net_lab $LAB "$WORK/lab.yaml"
lab_up $LAB "$WORK/lab.yaml" >/dev/null
gear_state >"$WORK/gear.before"

FAULTS=(
  "partition;zone r1/a | zone r1/b;"
  "partition;region r1 | client user1;oneway"
  "isolate;host a1;"
  "isolate;region r2;"
  "block;client user1 -> service web;tcp port 8080 reject"
  "block;zone r1/b -> host d1;any drop"
  "route-withdraw;region r2;"
  "route-withdraw;zone r1/c;blackhole"
  "link-down;host a2;"
  "link-down;zone r1/b;"
  "link-down;region r2;"
  "link-down;region r1;internet"
  "delay;region r1;20ms jitter 2ms both"
  "loss;host a1;10% burst 3"
  "reorder;zone r1/b;25%"
  "corrupt;client user1;1%"
  "duplicate;host d1;5% in"
  "bandwidth;zone r1/a;10mbit both"
)
for f in "${FAULTS[@]}"; do
  IFS=';' read -r kind target args <<<"$f"
  zf inject --lab $LAB "$kind" "$target" ${args:+"$args"} >/dev/null || fail "inject $f"
  zf revert --lab $LAB >/dev/null || fail "revert $f"
done
ok "${#FAULTS[@]} faults applied and reverted"
zf inject --lab $LAB route-withdraw "zone r1/a" >/dev/null && zf inject --lab $LAB route-restore "zone r1/a" >/dev/null ||
  fail "route-withdraw / route-restore"
zf inject --lab $LAB link-down "zone r1/c" >/dev/null && zf inject --lab $LAB link-up "zone r1/c" >/dev/null ||
  fail "link-down / link-up"
ok "route-restore and link-up end their faults"

# SIGKILL while applied, then recover.
for f in "${FAULTS[@]}"; do
  IFS=';' read -r kind target args <<<"$f"
  "$ZF_BIN" inject --lab $LAB "$kind" "$target" ${args:+"$args"} --for 60s >"$WORK/held.out" 2>&1 &
  pid=$!
  for i in $(seq 1 100); do grep -q applied "$WORK/held.out" && break; sleep 0.02; done
  grep -q applied "$WORK/held.out" || fail "inject $f: $(cat "$WORK/held.out")"
  kill -9 $pid; wait $pid 2>/dev/null || true
done
[ "$(fault_count)" = "${#FAULTS[@]}" ] || fail "expected ${#FAULTS[@]} faults left by the killed injects, got $(fault_count)"
zf recover $LAB >"$WORK/recover.out" || fail "recover: $(cat "$WORK/recover.out")"
grep -q "${#FAULTS[@]} faults reverted" "$WORK/recover.out" || fail "recover said: $(cat "$WORK/recover.out")"
ok "SIGKILLed injects: recover reverted all ${#FAULTS[@]}"

# A crash between the journal's "begin" and the apply: recover must revert
# what was never applied (nothing to undo, nothing left behind).
journal=/run/zonefall/$LAB/journal
for f in "${FAULTS[@]}"; do
  IFS=';' read -r kind target args <<<"$f"
  n=$(( $(grep -c $'\tbegin\t' "$journal") + 1 ))
  printf '%s\tf%s\tbegin\t%s\t%s\t%s\t0\n' "$(date +%s%N)" "$n" "$kind" "$target" "$args" >>"$journal"
done
zf recover $LAB >"$WORK/recover.out" || fail "recover after begin-only: $(cat "$WORK/recover.out")"
grep -q "${#FAULTS[@]} faults reverted" "$WORK/recover.out" || fail "recover said: $(cat "$WORK/recover.out")"
zf recover $LAB | grep -q "nothing to recover" || fail "a second recover found work"
ok "crash between begin and apply: recover cleans up; a second recover is a no-op"

gear_state >"$WORK/gear.after"
diff -u "$WORK/gear.before" "$WORK/gear.after" >&2 || fail "the gear differs from the lab's"
want_reach ok a1 b1
want_reach ok user1 d1
ok "gear tables, routes and links exactly as the lab made them"
root_state >"$WORK/root.after"
diff -u "$WORK/root.before" "$WORK/root.after" >&2 || fail "the root namespace changed"
ok "root namespace: sentinel nft table, iptables filter table and routes byte-identical"
