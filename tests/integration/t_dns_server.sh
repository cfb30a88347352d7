#!/usr/bin/env bash
# t_dns_server.sh - zonefall-dns, the lab's DNS server, asked by dig over
# real sockets. Two namespaces of its own (srv holds the daemon's two
# resolver addresses 198.18.203.1 (r1) and .2 (r2), cli asks from
# 198.18.203.10, one veth between them), the daemon started detached on a
# directory of its own, configs written whole and reloaded over the
# control socket. Checks:
#   A answers, round-robin rotation, health-aware answers after a reload,
#   CNAME, NXDOMAIN, REFUSED for other zones, TCP, truncation at
#   +bufsize=512 then the full answer over TCP, FORMERR for a malformed
#   query (and nothing for a runt), every fault mode (servfail, nxdomain,
#   empty, timeout, slow 200 ms +- 10 ms, wrong, stale across a reload
#   that changes the record, ttl), a fault scoped to r1 leaving r2 alone,
#   a listener dropped by a reload, a bad reload (syntax, unbindable
#   address) keeping the old config, stats, quit (exit 0, socket gone).
# Tools: zonefall-dns and bench/zf_dns_drv next to $ZF_BIN (ZF_DNS,
# ZF_DNS_DRV override), dig (dnsutils).
source "$(dirname "$0")/lib.sh"

BUILD=$(dirname "$ZF_BIN")
DNSD=${ZF_DNS:-$BUILD/zonefall-dns}
DRV=${ZF_DNS_DRV:-$BUILD/bench/zf_dns_drv}
[ -x "$DNSD" ] || fail "no daemon at $DNSD (set ZF_DNS)"
[ -x "$DRV" ] || fail "no driver at $DRV (set ZF_DNS_DRV)"
command -v dig >/dev/null || fail "dig not found (dnsutils)"
P=zf-t-dns-$$
SRV=$P-srv CLI=$P-cli
R1=198.18.203.1 R2=198.18.203.2
DIR=$WORK/dns
DPID=

dns_cleanup() {
  local rc=$?
  set +e
  if [ -n "$DPID" ]; then
    kill -KILL "$DPID" 2>/dev/null
    wait "$DPID" 2>/dev/null
  fi
  ip netns del "$SRV" 2>/dev/null
  ip netns del "$CLI" 2>/dev/null
  (exit $rc)
  cleanup
}
trap dns_cleanup EXIT

setup_net() {
  ip netns add "$SRV" && ip netns add "$CLI" || fail "netns"
  ip -n "$SRV" link add d0 type veth peer name d1 netns "$CLI" || fail "veth"
  ip -n "$SRV" addr add $R1/24 dev d0
  ip -n "$SRV" addr add $R2/24 dev d0
  ip -n "$CLI" addr add 198.18.203.10/24 dev d1
  for x in "$SRV d0" "$CLI d1" "$SRV lo" "$CLI lo"; do
    set -- $x
    ip -n "$1" link set "$2" up
  done
}

ctl() { "$DRV" ctl "$DIR" "$1"; }

BASE="zone lab
listen r1 /run/netns/$SRV $R1
listen r2 /run/netns/$SRV $R2
a web.lab 30 10.0.0.1
a web.lab 30 10.0.0.2
a web.lab 30 10.0.0.3
rrset web.lab order=roundrobin health=aware
cname www.lab 60 web.lab
a api.lab 30 10.1.0.1
a db.lab 30 10.2.0.1
$(for i in $(seq 1 40); do echo "a big.lab 5 10.9.0.$i"; done)"

config() { # config LINE... : the whole file, written atomically
  printf '%s\n' "$@" >"$DIR/config.tmp"
  mv "$DIR/config.tmp" "$DIR/config"
}

reload_ok() {
  local r
  r=$(ctl reload)
  [[ $r == "ok "* ]] || fail "reload answered '$r'"
}

with() { config "$BASE" "$@"; reload_ok; } # the base records plus LINES

q() { # q [@SERVER] DIG_ARGS...: dig from cli, r1 unless @SERVER
  local srv=@$R1
  if [[ ${1:-} == @* ]]; then srv=$1; shift; fi
  ip netns exec "$CLI" dig "$srv" +norec +time=2 +tries=1 "$@" || true
}

status() { q "$@" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }
short() { q "$@" +short | tr '\n' ' ' | sed 's/ $//'; }
stat_of() { ctl stats >"$WORK/stats.json"; json_get "$WORK/stats.json" "$1"; }

start_daemon() {
  mkdir -m 0700 "$DIR"
  config "$BASE"
  setsid "$DNSD" --dir "$DIR" 2>>"$WORK/dns.log" &
  DPID=$!
  for _ in $(seq 100); do
    [ -S "$DIR/ctl.sock" ] && ctl stats >/dev/null 2>&1 && return 0
    kill -0 "$DPID" 2>/dev/null || fail "daemon exited: $(cat "$WORK/dns.log")"
    sleep 0.05
  done
  fail "daemon not ready after 5 s"
}

check_answers() {
  [ "$(short api.lab)" = 10.1.0.1 ] || fail "A api.lab: '$(short api.lab)'"
  [ "$(q api.lab | grep -c 'flags: qr aa')" = 1 ] || fail "no AA flag"
  ok "A: api.lab -> 10.1.0.1, authoritative"
  local firsts
  firsts=$(for _ in 1 2 3 4 5 6; do q +short web.lab | head -n 1; done |
    sort -u | wc -l)
  [ "$firsts" = 3 ] || fail "round robin: $firsts different first addresses"
  [ "$(short web.lab | wc -w)" = 3 ] || fail "web.lab: not 3 addresses"
  ok "round robin: each of the 3 addresses leads in turn"
  [ "$(short www.lab | cut -d' ' -f1)" = web.lab. ] || fail "CNAME: $(short www.lab)"
  [ "$(short www.lab | wc -w)" = 4 ] || fail "CNAME not chased"
  ok "CNAME: www.lab -> web.lab. + its 3 addresses"
  [ "$(status nope.lab)" = NXDOMAIN ] || fail "nope.lab: $(status nope.lab)"
  [ "$(status web.lab AAAA)" = NOERROR ] || fail "AAAA web.lab"
  [ "$(q web.lab AAAA | grep -c 'ANSWER: 0')" = 1 ] || fail "AAAA answer"
  ok "NXDOMAIN for nope.lab, NOERROR without data for AAAA web.lab"
  [ "$(status example.com)" = REFUSED ] || fail "example.com: $(status example.com)"
  ok "REFUSED for a name outside the zone"
  # (compression may point into the question: "web.LAB." is the same name)
  [ "$(short WWW.LAB | cut -d' ' -f1 | tr A-Z a-z)" = web.lab. ] ||
    fail "case: $(short WWW.LAB)"
  ok "names are case-insensitive"
}

check_health() {
  config "${BASE/a web.lab 30 10.0.0.2/a web.lab 30 10.0.0.2 health=down}"
  reload_ok
  local all
  all=$(for _ in 1 2 3 4 5 6; do q +short web.lab; done | sort -u | tr '\n' ' ')
  [ "$all" = "10.0.0.1 10.0.0.3 " ] || fail "health-aware: saw '$all'"
  ok "health-aware: 10.0.0.2 marked down leaves the answers"
  config "$BASE"
  reload_ok
}

check_tcp_and_tc() {
  [ "$(short +tcp api.lab)" = 10.1.0.1 ] || fail "TCP answer"
  [ "$(stat_of 'j["listeners"][0]["tcp"]')" -ge 1 ] || fail "stats: tcp"
  ok "TCP: api.lab answered over TCP"
  local out
  out=$(q +bufsize=512 +ignore big.lab)
  grep -q 'flags: qr aa tc' <<<"$out" || fail "no TC at 512 bytes: $out"
  grep -q 'ANSWER: 0' <<<"$out" || fail "truncated answer has records"
  out=$(q +bufsize=512 big.lab)       # dig retries over TCP
  grep -q 'ANSWER: 40' <<<"$out" || fail "no full answer after TC: $out"
  grep -q '(TCP)' <<<"$out" || fail "the full answer did not come by TCP"
  [ "$(stat_of 'j["listeners"][0]["truncated"]')" -ge 2 ] || fail "stats: truncated"
  [ "$(q +bufsize=1232 big.lab | grep -c 'ANSWER: 40')" = 1 ] ||
    fail "40 addresses (670 bytes) do not fit 1232"
  ok "truncation: TC at +bufsize=512, all 40 addresses over TCP, none lost at 1232"
}

check_malformed() {
  local before
  before=$(stat_of 'j["listeners"][0]["formerr"]')
  ip netns exec "$CLI" python3 - "$R1" <<'PY' || fail "malformed: $?"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"\x12\x34", (sys.argv[1], 53))           # a runt: no answer
s.sendto(b"\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07web", (sys.argv[1], 53))
r = s.recv(512)
assert r[:2] == b"\xab\xcd" and r[2] & 0x80 and r[3] & 0x0f == 1, r
PY
  [ "$(stat_of 'j["listeners"][0]["formerr"]')" = $((before + 1)) ] ||
    fail "stats: formerr"
  [ "$(short api.lab)" = 10.1.0.1 ] || fail "daemon hurt by malformed queries"
  ok "malformed: FORMERR for a cut question, nothing for a runt"
}

check_simple_faults() {
  with "fault f1 * api.lab servfail"
  [ "$(status api.lab)" = SERVFAIL ] || fail "servfail: $(status api.lab)"
  [ "$(short db.lab)" = 10.2.0.1 ] || fail "servfail hit another name"
  ok "fault servfail: SERVFAIL for api.lab only"
  with "fault f1 * api.lab nxdomain"
  [ "$(status api.lab)" = NXDOMAIN ] || fail "nxdomain: $(status api.lab)"
  ok "fault nxdomain: NXDOMAIN"
  with "fault f1 * *.lab empty"
  [ "$(status api.lab)" = NOERROR ] || fail "empty: status"
  [ "$(q api.lab | grep -c 'ANSWER: 0,')" = 1 ] || fail "empty: has answers"
  ok "fault empty: NOERROR with zero answers"
  with "fault f1 * api.lab wrong 10.6.6.6"
  [ "$(short api.lab)" = 10.6.6.6 ] || fail "wrong: $(short api.lab)"
  ok "fault wrong: api.lab -> 10.6.6.6"
  with "fault f1 * api.lab ttl 7"
  [ "$(q +noall +answer api.lab | awk '{print $2}')" = 7 ] || fail "ttl"
  ok "fault ttl: TTL 7 instead of 30"
  [ "$(stat_of 'j["faults"][0]["hits"]')" -ge 1 ] || fail "stats: hits"
}

check_timeout_and_slow() {
  with "fault f1 * api.lab timeout"
  local out
  out=$(q +time=1 api.lab)
  grep -q 'timed out' <<<"$out" || fail "timeout: got an answer: $out"
  [ "$(short db.lab)" = 10.2.0.1 ] || fail "timeout hit another name"
  ok "fault timeout: no reply within dig's 1 s"
  with "fault f1 * api.lab slow 200000000"
  local t ts=()
  for _ in 1 2 3 4 5; do
    t=$(q api.lab | sed -n 's/.*Query time: \([0-9]*\) msec.*/\1/p')
    ts+=("$t")
    [ "$t" -ge 190 ] && [ "$t" -le 210 ] || fail "slow: ${ts[*]} ms"
  done
  # Held replies do not block others: a fast query while one waits.
  q api.lab >/dev/null &
  local bg=$!
  sleep 0.05
  t=$(q db.lab | sed -n 's/.*Query time: \([0-9]*\) msec.*/\1/p')
  wait $bg
  [ "$t" -lt 50 ] || fail "slow blocked other queries ($t ms)"
  ok "fault slow 200 ms: dig measured ${ts[*]} ms; db.lab meanwhile in $t ms"
  # TCP: two queries on one connection, the slow one first; the fast
  # reply comes first, the held one 200 ms after its query.
  ip netns exec "$CLI" python3 - "$R1" <<'PY' >"$WORK/tcp.out" ||
import socket, struct, sys, time
def query(qid, name):
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0\0\1\0\1"
def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b
s = socket.create_connection((sys.argv[1], 53), timeout=3)
t0 = time.monotonic()
for qid, name in ((1, "api.lab"), (2, "db.lab")):
    m = query(qid, name)
    s.sendall(struct.pack(">H", len(m)) + m)
for _ in range(2):
    n, = struct.unpack(">H", recv_exact(s, 2))
    r = recv_exact(s, n)
    print(struct.unpack(">H", r[:2])[0], round((time.monotonic() - t0) * 1000))
PY
    fail "TCP pipelining: $(cat "$WORK/tcp.out")"
  local id1 ms1 id2 ms2
  read -r id1 ms1 id2 ms2 <<<"$(tr '\n' ' ' <"$WORK/tcp.out")"
  [ "$id1" = 2 ] && [ "$ms1" -lt 50 ] && [ "$id2" = 1 ] &&
    [ "$ms2" -ge 195 ] && [ "$ms2" -le 215 ] ||
    fail "TCP slow: replies $(tr '\n' ' ' <"$WORK/tcp.out")"
  ok "slow over TCP: db.lab answered at $ms1 ms on the same connection, api.lab at $ms2 ms"
}

check_stale() {
  with "fault st * api.lab stale"
  [ "$(short api.lab)" = 10.1.0.1 ] || fail "stale: before"
  config "$(sed -e 's/10\.1\.0\.1$/10.1.0.99/' -e 's/10\.2\.0\.1$/10.2.0.99/' \
    <<<"$BASE")" "fault st * api.lab stale"
  reload_ok
  [ "$(short api.lab)" = 10.1.0.1 ] || fail "stale: answered $(short api.lab)"
  [ "$(short db.lab)" = 10.2.0.99 ] || fail "stale: db.lab not updated"
  ok "fault stale: api.lab still 10.1.0.1 after the record moved to .99 (db.lab moved)"
  config "$(sed -e 's/10\.1\.0\.1$/10.1.0.99/' <<<"$BASE")"
  reload_ok
  [ "$(short api.lab)" = 10.1.0.99 ] || fail "stale removed: $(short api.lab)"
  ok "stale fault removed: the current record again"
}

check_scope() {
  with "fault f1 r1 api.lab servfail"
  [ "$(status api.lab)" = SERVFAIL ] || fail "scope: r1 not failing"
  [ "$(status @$R2 api.lab)" = NOERROR ] || fail "scope: r2 hit"
  [ "$(short @$R2 api.lab)" = 10.1.0.1 ] || fail "scope: r2 answer"
  [ "$(stat_of 'j["listeners"][1]["queries"]')" -ge 2 ] || fail "stats: r2"
  ok "fault scoped to r1: r1 SERVFAIL, r2 answers 10.1.0.1"
}

check_reloads() {
  local gen r
  with "fault f1 * api.lab wrong 10.6.6.6"
  gen=$(stat_of 'j["gen"]')
  config "$BASE" "fault f1 * api.lab wrong" "a x.lab 30 1.2.3.4"
  r=$(ctl reload)
  [[ $r == "error $DIR/config:"*": fault f1: expected 'wrong ADDR'"* ]] ||
    fail "bad reload answered '$r'"
  [ "$(short api.lab)" = 10.6.6.6 ] || fail "bad reload changed answers"
  [ "$(stat_of 'j["gen"]')" = "$gen" ] || fail "bad reload changed gen"
  ok "bad reload: '${r:0:80}...', old config kept"
  config "$BASE" "listen r3 /run/netns/$SRV 198.18.203.77"
  r=$(ctl reload)
  [[ $r == *"listen r3: cannot bind UDP 198.18.203.77:53"* ]] ||
    fail "unbindable listener answered '$r'"
  [ "$(short @$R2 api.lab)" = 10.6.6.6 ] || fail "r2 changed after bad bind"
  ok "reload with an unbindable address: error, old listeners kept"
  config "$(grep -v "^listen r2" <<<"$BASE")"
  reload_ok
  grep -q 'timed out\|refused' <<<"$(q @$R2 +time=1 api.lab)" ||
    fail "r2 still answers after it left the config"
  [ "$(stat_of 'len(j["listeners"])')" = 1 ] || fail "stats still list r2"
  ok "a listener left out of the config is closed"
}

check_quit() {
  [ "$(ctl quit)" = ok ] || fail "quit"
  local rc=0
  wait "$DPID" || rc=$?
  DPID=
  [ "$rc" = 0 ] || fail "daemon exited $rc after quit"
  [ ! -e "$DIR/ctl.sock" ] || fail "ctl.sock left behind"
  grep -q 'timed out\|refused' <<<"$(q +time=1 api.lab)" ||
    fail "port 53 still answers"
  ok "quit: exit 0, socket removed, port closed"
}

setup_net
start_daemon
check_answers
check_health
check_tcp_and_tc
check_malformed
check_simple_faults
check_timeout_and_slow
check_stale
check_scope
check_reloads
check_quit
