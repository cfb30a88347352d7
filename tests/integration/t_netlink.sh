#!/usr/bin/env bash
# t_netlink.sh - src/lab/netns.c and src/lab/nl.c against the real kernel.
#
# Builds A <-> R <-> B from three named namespaces (veths created from the
# root namespace directly in their targets), checks forwarding, an
# unreachable route, -EEXIST on a taken name, that the root namespace never
# sees a new link, and that deleting the namespaces removes everything; then
# times a 300-host lab (hub + 300 hosts) up and down. Needs root; addresses
# are from 198.18.0.0/15 only. Driver: tests/integration/nltest.c, taken
# from $ZF_NLTEST, else next to $ZF_BIN, else compiled here.
set -u

HOSTS=${ZF_NL_HOSTS:-300}
MAX_MS_PER_HOST=5
P="zfnl$$"        # topology A-R-B: $P-a $P-r $P-b
PB="zfnb$$"       # bench: $PB-hub $PB-h0 ..
SRC=${ZF_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
TMP=$(mktemp -d)
MON_PID=
NLTEST=
FAILED=0

fail() { echo "FAIL: $*" >&2; FAILED=1; }
ok() { echo "ok: $*"; }

cleanup() {
	if [ -n "$NLTEST" ]; then
		"$NLTEST" down "$P" 2>/dev/null
		"$NLTEST" bench-down "$PB" "$HOSTS" >/dev/null 2>&1
	fi
	if [ -n "$MON_PID" ]; then
		kill "$MON_PID" 2>/dev/null
		wait "$MON_PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: t_netlink needs root"
	exit 0
fi

find_driver() {
	if [ -n "${ZF_NLTEST:-}" ] && [ -x "$ZF_NLTEST" ]; then
		NLTEST=$ZF_NLTEST
	elif [ -n "${ZF_BIN:-}" ] && [ -x "$(dirname "$ZF_BIN")/zf_nltest" ]; then
		NLTEST=$(dirname "$ZF_BIN")/zf_nltest
	else
		cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$SRC/src" \
			-o "$TMP/nltest" "$SRC/tests/integration/nltest.c" \
			"$SRC/src/lab/netns.c" "$SRC/src/lab/nl.c" \
			"$SRC/src/util/log.c" "$SRC/src/util/mem.c" \
			"$SRC/src/util/timeutil.c" -lmnl -lpthread || return 1
		NLTEST=$TMP/nltest
	fi
}

root_links() { ip -o link show | awk -F': ' '{print $2}' | sort; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ping from namespace $1 to $2, a few tries (first packet may wait for ARP).
ping_ok() {
	local i
	for i in 1 2 3; do
		ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}

check_topology() {
	ping_ok "$P-a" 198.18.2.10 && ok "A -> B through R" ||
		fail "A cannot reach B"
	ping_ok "$P-b" 198.18.1.10 && ok "B -> A through R" ||
		fail "B cannot reach A"
	local t0 out t
	t0=$(now_ms)
	out=$(ip netns exec "$P-a" ping -c1 -W2 198.19.0.5 2>&1)
	local rc=$?
	t=$(( $(now_ms) - t0 ))
	if [ $rc -ne 0 ] && [ $t -lt 500 ] &&
		printf '%s' "$out" | grep -qi 'unreachable\|no route'; then
		ok "unreachable route fails at once (${t} ms)"
	else
		fail "unreachable route: rc=$rc after ${t} ms: $out"
	fi
	[ "$(ip netns exec "$P-r" cat /proc/sys/net/ipv4/ip_forward)" = 1 ] &&
		[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$ROOT_FWD" ] &&
		ok "sysctl applied in R only" || fail "ip_forward not as expected"
}

check_exists() {
	if "$NLTEST" exists "$P"; then ok "existing name gives -EEXIST"
	else fail "existing name"; fi
	ip -n "$P-a" -o addr show dev eth0 | grep -q '198\.18\.1\.10/32' &&
		ping_ok "$P-a" 198.18.2.10 && ok "namespace intact after -EEXIST" ||
		fail "namespace damaged by the failed create"
}

bench() {
	local up down per
	up=$("$NLTEST" bench-up "$PB" "$HOSTS") || { fail "bench-up"; return; }
	echo "$up"
	per=$(printf '%s' "$up" | sed -n 's/.*= \([0-9.]*\) ms\/host.*/\1/p')
	awk -v p="$per" -v m="$MAX_MS_PER_HOST" 'BEGIN { exit !(p < m) }' &&
		ok "bench-up under $MAX_MS_PER_HOST ms/host" ||
		fail "bench-up too slow: $per ms/host"
	local last
	last=$(printf '198.18.%d.%d' $(( (100 * 256 + 10 + HOSTS - 1) / 256 )) \
		$(( (10 + HOSTS - 1) % 256 )))
	ping_ok "$PB-h0" "$last" && ok "bench host 0 -> $last via hub" ||
		fail "bench host 0 cannot reach $last"
	[ "$(ip -n "$PB-hub" -o link show | wc -l)" -eq $(( HOSTS + 1 )) ] &&
		ok "hub has $HOSTS links" || fail "hub link count"
	[ "$(root_links)" = "$LINKS0" ] || fail "root links changed during bench"
	down=$("$NLTEST" bench-down "$PB" "$HOSTS") || fail "bench-down"
	echo "$down"
}

main() {
	find_driver || { fail "cannot build nltest"; return; }
	NS0=$(ip netns list | sort)
	LINKS0=$(root_links)
	ROOT_FWD=$(cat /proc/sys/net/ipv4/ip_forward)
	ip monitor link >"$TMP/monitor" 2>&1 &
	MON_PID=$!
	sleep 0.2

	"$NLTEST" topo "$P" && ok "topology built" ||
		{ fail "topology"; return; }
	[ "$(root_links)" = "$LINKS0" ] && ok "no new link in the root namespace" ||
		fail "root namespace links changed"
	check_topology
	check_exists
	"$NLTEST" down "$P" || fail "down"
	bench
	# Ours must be gone; anything else that differs belongs to someone
	# else running at the same time, so it only gets a warning.
	if ip netns list | grep -q "^\($P\|$PB\)-"; then
		fail "namespaces left: $(ip netns list | grep "^\($P\|$PB\)-")"
	elif [ "$(ip netns list | sort)" = "$NS0" ]; then
		ok "ip netns list as before"
	else
		echo "warning: ip netns list changed by someone else" >&2
	fi
	[ -z "$(ls /run/netns | grep "^\($P\|$PB\)-")" ] ||
		fail "files left in /run/netns"
	[ "$(root_links)" = "$LINKS0" ] || fail "root links changed"
	sleep 0.2
	if [ -s "$TMP/monitor" ]; then
		fail "link events in the root namespace:"; cat "$TMP/monitor" >&2
	else
		ok "ip monitor saw no link event in the root namespace"
	fi
}

main
[ $FAILED -eq 0 ] && echo "PASS t_netlink" || echo "FAIL t_netlink"
exit $FAILED
