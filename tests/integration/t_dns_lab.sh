#!/usr/bin/env bash
# t_dns_lab.sh - the lab's DNS, as hosts and clients see it (dig from inside
# them, through the resolv.conf zonefall gives each). Two regions, a client:
#   every host and client resolves every host name (short, region- and
#   zone-qualified), zone and region names, service records and cnames to
#   the right addresses; each host asks its own region's resolver, clients
#   the public one; /etc/hosts keeps only the host's own name; round-robin
#   rotates; a powered-off host leaves the health-aware name and comes back
#   with power-on; every DNS fault mode is seen exactly by dig from a host
#   of the scoped region (SERVFAIL, NXDOMAIN, NOERROR with no answer, no
#   reply within the timeout, the delay +- 10 ms, the wrong address, the
#   stale answer, the TTL) while the other region is unaffected; revert
#   restores the right answers at once; `down` leaves nothing.
source "$(dirname "$0")/lib.sh"
command -v dig >/dev/null || fail "dig not found (dnsutils)"

LAB=t-dnslab
snapshot >"$WORK/before.snap"
cat >"$WORK/lab.yaml" <<EOF
lab: $LAB
regions:
  r1: { zones: [a, b] }
  r2: { zones: [a] }
clients: [user1]
hosts:
  web-a: { zone: r1/a }
  web-b: { zone: r1/b }
  web-c: { zone: r2/a }
  db-c:  { zone: r2/a }
dns:
  ttl: 7s
  records:
    www: [web-a, web-b]
    app: { hosts: [web-a, web-b, web-c], health: aware, ttl: 30s }
    db: { hosts: [db-c, web-c], order: fixed }
  cnames: { api: app, out: mirror.example }
EOF
lab_up $LAB "$WORK/lab.yaml"
zf status $LAB --json >"$WORK/status.json"
ip_of() { json_get "$WORK/status.json" "[h['address'] for h in j['labs'][0]['hosts'] if h['name']=='$1'][0]"; }
declare -A IP
for h in web-a web-b web-c db-c user1; do IP[$h]=$(ip_of $h); done

# dig from HOST: short answers, sorted, on one line
q() { zf exec --lab $LAB "$1" -- dig +short +tries=1 +time=2 "$2" | sort | tr '\n' ' ' | sed 's/ $//'; }
qraw() { zf exec --lab $LAB "$1" -- dig +tries=1 +time=2 "$2"; }
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }
want() { # want HOST NAME EXPECTED...
  local host=$1 name=$2 got exp
  shift 2
  exp=$(sorted "$@")
  got=$(q "$host" "$name")
  [ "$got" = "$exp" ] || fail "$host: $name -> '$got', expected '$exp'"
}

# --- every name from every host and client ---------------------------------
for from in web-a web-b web-c db-c user1; do
  for h in web-a web-b web-c db-c; do
    want $from $h.lab "${IP[$h]}"
  done
  want $from user1.lab "${IP[user1]}"
  want $from web-a.r1.lab "${IP[web-a]}"
  want $from web-b.b.r1.lab "${IP[web-b]}"
  want $from db-c.a.r2.lab "${IP[db-c]}"
  want $from a.r1.lab "${IP[web-a]}"
  want $from a.r2.lab "${IP[web-c]}" "${IP[db-c]}"
  want $from r1.lab "${IP[web-a]}" "${IP[web-b]}"
  want $from www.lab "${IP[web-a]}" "${IP[web-b]}"
  got=$(zf exec --lab $LAB $from -- getent ahostsv4 www | awk '{print $1}' | sort -u | tr '\n' ' ')
  [ "$got" = "$(sorted "${IP[web-a]}" "${IP[web-b]}") " ] || fail "$from: getent www (search lab) -> '$got'"
  want $from app.lab "${IP[web-a]}" "${IP[web-b]}" "${IP[web-c]}"
  got=$(zf exec --lab $LAB $from -- dig +short api.lab | head -1)
  [ "$got" = "app.lab." ] || fail "$from: api.lab is not a cname of app.lab: $got"
done
ok "every host, zone, region, service and cname name resolves right from 5 hosts and clients"

[ "$(zf exec --lab $LAB web-a -- dig +short db.lab | tr '\n' ' ')" = "${IP[db-c]} ${IP[web-c]} " ] ||
  fail "order: fixed is not kept for db.lab"
ttl=$(qraw web-a www.lab | awk '$1=="www.lab." {print $2; exit}')
[ "$ttl" = 7 ] || fail "www.lab TTL $ttl, expected the lab's 7"
ttl=$(qraw web-a app.lab | awk '$1=="app.lab." {print $2; exit}')
[ "$ttl" = 30 ] || fail "app.lab TTL $ttl, expected its own 30"
ok "order: fixed and TTLs (lab default and per record) as the lab file says"

# --- which resolver each host asks; /etc/hosts --------------------------------
r1=$(zf exec --lab $LAB web-b -- awk '/^nameserver/ {print $2}' /etc/resolv.conf)
r2=$(zf exec --lab $LAB db-c -- awk '/^nameserver/ {print $2}' /etc/resolv.conf)
pub=$(zf exec --lab $LAB user1 -- awk '/^nameserver/ {print $2}' /etc/resolv.conf)
[ -n "$r1" ] && [ -n "$r2" ] && [ -n "$pub" ] && [ "$r1" != "$r2" ] && [ "$r1" != "$pub" ] ||
  fail "resolvers not one per region plus a public one: r1=$r1 r2=$r2 public=$pub"
[ "$(zf exec --lab $LAB web-a -- awk '/^nameserver/ {print $2}' /etc/resolv.conf)" = "$r1" ] ||
  fail "web-a does not use its region's resolver"
hosts=$(zf exec --lab $LAB web-a -- grep -v '^#' /etc/hosts | awk '{print $2}' | tr '\n' ' ')
[ "$hosts" = "localhost web-a.lab " ] || fail "web-a's /etc/hosts holds more than its own name: $hosts"
ok "resolv.conf: r1 hosts ask $r1, r2 hosts $r2, clients $pub; /etc/hosts has only the host's name"

# --- round robin ---------------------------------------------------------------
firsts=$(for i in 1 2 3 4; do zf exec --lab $LAB web-c -- dig +short www.lab | head -1; done | sort -u | wc -l)
[ "$firsts" = 2 ] || fail "www.lab does not rotate: $firsts distinct first answers in 4 queries"
ok "round robin: each address of www.lab leads in turn"

# --- health-aware answers follow power ----------------------------------------
zf inject --lab $LAB power-off "host web-b" >/dev/null || fail "power-off"
want user1 app.lab "${IP[web-a]}" "${IP[web-c]}"
want web-c www.lab "${IP[web-a]}" "${IP[web-b]}"
zf inject --lab $LAB power-on "host web-b" >/dev/null || fail "power-on"
want user1 app.lab "${IP[web-a]}" "${IP[web-b]}" "${IP[web-c]}"
ok "a powered-off host leaves the health-aware app.lab (not www.lab) and comes back"

# --- fault modes, scoped to region r1 -------------------------------------------
status() { qraw "$1" "$2" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }
answers() { qraw "$1" "$2" | sed -n 's/.*ANSWER: \([0-9]*\),.*/\1/p'; }
inject() { zf inject --lab $LAB "$@" >/dev/null || fail "inject $*"; }
unaffected() { want web-c "$1" "${@:2}"; }
restored() { zf revert --lab $LAB >/dev/null || fail "revert"; want web-a "$1" "${@:2}"; }

inject dns-servfail "region r1" www
[ "$(status web-a www.lab)" = SERVFAIL ] || fail "servfail: web-a got $(status web-a www.lab)"
[ "$(status web-a app.lab)" = NOERROR ] || fail "servfail hit a name outside its pattern"
unaffected www.lab "${IP[web-a]}" "${IP[web-b]}"
restored www.lab "${IP[web-a]}" "${IP[web-b]}"
ok "dns-servfail: SERVFAIL in r1 for www only, r2 unaffected, revert restores"

inject dns-nxdomain "region r1" "web-*"
[ "$(status web-b web-c.lab)" = NXDOMAIN ] || fail "nxdomain: got $(status web-b web-c.lab)"
unaffected web-a.lab "${IP[web-a]}"
restored web-c.lab "${IP[web-c]}"
ok "dns-nxdomain: NXDOMAIN in r1, r2 unaffected, revert restores"

inject dns-empty "zone r1/a" www
[ "$(status web-a www.lab)/$(answers web-a www.lab)" = NOERROR/0 ] ||
  fail "empty: got $(status web-a www.lab) with $(answers web-a www.lab) answers"
unaffected www.lab "${IP[web-a]}" "${IP[web-b]}"
restored www.lab "${IP[web-a]}" "${IP[web-b]}"
ok "dns-empty: NOERROR with 0 answers (a zone selects its region's resolver), revert restores"

inject dns-timeout "region r1" www
out=$(qraw web-a www.lab || true)
echo "$out" | grep -q "timed out\|no servers could be reached" || fail "timeout: $out"
unaffected www.lab "${IP[web-a]}" "${IP[web-b]}"
restored www.lab "${IP[web-a]}" "${IP[web-b]}"
ok "dns-timeout: no reply within dig's 2 s, r2 unaffected, revert restores"

inject dns-slow "region r1" "www 300ms"
ms=$(qraw web-a www.lab | sed -n 's/.*Query time: \([0-9]*\) msec.*/\1/p')
[ "$ms" -ge 300 ] && [ "$ms" -le 310 ] || fail "slow 300ms: query took $ms ms"
ms2=$(qraw web-c www.lab | sed -n 's/.*Query time: \([0-9]*\) msec.*/\1/p')
[ "$ms2" -lt 50 ] || fail "slow leaked into r2: $ms2 ms"
restored www.lab "${IP[web-a]}" "${IP[web-b]}"
ok "dns-slow 300ms: answered after $ms ms in r1 (+-10 ms), $ms2 ms in r2, revert restores"

inject dns-wrong "region r1" "www db-c"
want web-a www.lab "${IP[db-c]}"
unaffected www.lab "${IP[web-a]}" "${IP[web-b]}"
restored www.lab "${IP[web-a]}" "${IP[web-b]}"
ok "dns-wrong: www.lab answered with db-c's address in r1 only, revert restores"

inject dns-stale "region r1" app
zf inject --lab $LAB power-off "host web-c" >/dev/null || fail "power-off web-c"
want web-a app.lab "${IP[web-a]}" "${IP[web-b]}" "${IP[web-c]}"
want user1 app.lab "${IP[web-a]}" "${IP[web-b]}"
zf inject --lab $LAB power-on "host web-c" >/dev/null || fail "power-on web-c"
restored app.lab "${IP[web-a]}" "${IP[web-b]}" "${IP[web-c]}"
ok "dns-stale: r1 keeps answering web-c while it is off, the public resolver does not"

inject dns-ttl lab "www 3600"
ttl=$(qraw user1 www.lab | awk '$1=="www.lab." {print $2; exit}')
[ "$ttl" = 3600 ] || fail "ttl: got $ttl"
zf revert --lab $LAB >/dev/null
ttl=$(qraw user1 www.lab | awk '$1=="www.lab." {print $2; exit}')
[ "$ttl" = 7 ] || fail "ttl after revert: $ttl"
ok "dns-ttl: 'lab' reaches every resolver (public too), revert restores 7 s"

# --- bad arguments change nothing ------------------------------------------------
zf inject --lab $LAB dns-slow "region r1" www 2>"$WORK/err" && fail "dns-slow without a delay accepted"
grep -q "NAMES DELAY" "$WORK/err" || fail "unclear error: $(cat "$WORK/err")"
zf inject --lab $LAB dns-wrong "region r1" "www nohost" 2>"$WORK/err" && fail "dns-wrong with a bad address accepted"
[ -z "$(zf status $LAB --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["labs"][0]["faults"] or "")')" ] ||
  fail "a refused fault left something active"
ok "bad DNS fault arguments are refused with a clear error"

# --- a dead DNS server: status says so, recover starts it ---------------------------
inject dns-empty "region r1" www
kill -KILL "$(cat /run/zonefall/$LAB/dns/pid)"
zf status $LAB | grep -q "DNS server is not running" || fail "status does not see the dead DNS server"
zf recover $LAB --json >"$WORK/rec.json" || fail "recover"
[ "$(json_get "$WORK/rec.json" "(j['dns_restarted'], j['faults'])")" = "(True, 1)" ] ||
  fail "recover: $(cat "$WORK/rec.json")"
want web-a www.lab "${IP[web-a]}" "${IP[web-b]}"
zf recover $LAB | grep -q "nothing to recover" || fail "a second recover did something"
ok "a killed DNS server: status reports it, recover restarts it with the fault reverted, a second recover is a no-op"

zf down $LAB >/dev/null || fail "down"
ZF_LABS_TO_REMOVE=()
assert_same_snapshot "$WORK/before.snap" "down"
