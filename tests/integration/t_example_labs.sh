#!/usr/bin/env bash
# t_example_labs.sh - the example labs of real replicated systems, with
# Debian's daemons, each on a copy with a lab name of this test's own:
#   labs/redis-sentinel-3az.yaml   master + 2 replicas + 3 sentinels: in
#                                  sync, sentinels agree; the master's zone
#                                  isolated -> failover, and the write the
#                                  cut-off master acknowledged is lost
#   labs/redis-sentinel-3az-minrep.yaml  min-replicas-to-write 1: the
#                                  cut-off master refuses writes ~10 s later
#   labs/etcd-3az.yaml             3 members, one leader, the v3 JSON
#                                  gateway; zone power loss: writes go on,
#                                  the member catches up after power-on
#   labs/postgres-ha.yaml          primary + async standby streaming; a
#                                  power cycle keeps both clusters (no
#                                  second initdb or basebackup); promotion
#   labs/web-3az.yaml              haproxy + 3 nginx: all backends serve; a
#                                  killed backend is marked down by the
#                                  checks (inter 2s, fall 3) and up again
#                                  after a restart; so is one powered off
# Each lab must come up within 30 s and leave nothing behind after down.
# ZF_EX_LABS runs some of them: ZF_EX_LABS="etcd web" (default: all).
source "$(dirname "$0")/lib.sh"

PFX="t-ex-"                 # every lab of this test is named t-ex-*
for b in redis-server redis-sentinel redis-cli etcd etcdctl haproxy nginx \
  psql curl setpriv /usr/lib/postgresql/15/bin/postgres; do
  command -v "$b" >/dev/null || fail "$b is not installed (scripts/install-deps)"
done

# The machine as snapshot() sees it, less what belongs to labs that are
# not this test's (other tests may have labs up meanwhile): lines naming
# another lab's namespaces, cgroups or state are dropped, and the process
# section is replaced by the processes of this test's labs.
own_snapshot() {
  snapshot | awk -v pfx="$PFX" '
    /^## / { sec = $0; print; next }
    sec == "## processes" { next }
    sec == "## state" { if (index($0, pfx) == 1) print; next }
    /\/zonefall$/ { next }
    {
      s = $0; foreign = 0
      while (match(s, /(zf\.|zonefall\/)[a-z][a-z0-9-]*/)) {
        name = substr(s, RSTART, RLENGTH)
        sub(/^(zf\.|zonefall\/)/, "", name)
        if (index(name, pfx) != 1) foreign = 1
        s = substr(s, RSTART + RLENGTH)
      }
      if (!foreign) print
    }'
  echo "## processes of $PFX* labs"
  for p in /proc/[0-9]*; do
    if grep -qs "zonefall/$PFX" "$p/cgroup" ||
      { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -q "/run/zonefall/$PFX"; then
      grep -qs '^State:.*Z' "$p/status" || cat "$p/comm" 2>/dev/null
    fi
  done | sort
  echo "## data"
  for p in /var/lib/zonefall/"$PFX"*; do
    if [ -e "$p" ]; then echo "$p"; fi
  done
}

own_snapshot >"$WORK/before.snap"

# ---- helpers -------------------------------------------------------------

now_ms() { date +%s%3N; }

# wait_for SECONDS WHAT CMD...: run CMD every 250 ms until it succeeds.
wait_for() {
  local limit=$1 what=$2 end
  shift 2
  end=$(($(now_ms) + limit * 1000))
  until "$@" >/dev/null 2>&1; do
    [ "$(now_ms)" -lt "$end" ] || fail "$what: not within ${limit}s"
    sleep 0.25
  done
}

# ex HOST CMD...: run CMD in a host of the current lab, $L.
ex() {
  local host=$1
  shift
  zf exec "$L/$host" -- "$@"
}

# copy_lab FILE DIR: labs/FILE and its config dir labs/DIR (- for none)
# into the work dir, the copy renamed to the current lab, $L.
copy_lab() {
  if [ "$2" != - ]; then
    rm -rf "${WORK:?}/$2"
    cp -r "$ZF_SRC/labs/$2" "$WORK/"
  fi
  sed "s/^lab: .*/lab: $L/" "$ZF_SRC/labs/$1" >"$WORK/$L.yaml"
  grep -q "^lab: $L\$" "$WORK/$L.yaml" || fail "no lab: line in labs/$1"
}

# up_timed: bring the copy of $L up; it must take less than 30 s.
up_timed() {
  local t0 ms
  t0=$(now_ms)
  lab_up "$L" "$WORK/$L.yaml"
  ms=$(($(now_ms) - t0))
  [ "$ms" -lt 30000 ] || fail "$L: up took $ms ms"
  ok "$L: up in $ms ms"
}

# down_clean: take $L down; nothing of it may be left.
down_clean() {
  local p
  zf down "$L" >/dev/null || fail "$L: down failed"
  ! ip netns list | grep -q "^zf\.$L\." || fail "$L: namespaces left"
  [ ! -e "/run/zonefall/$L" ] || fail "$L: state left"
  [ ! -e "/var/lib/zonefall/$L" ] || fail "$L: data left"
  ! find /sys/fs/cgroup -maxdepth 4 -type d -path "*/zonefall/$L" | grep -q . ||
    fail "$L: cgroups left"
  for p in /proc/[0-9]*; do
    if readlink "$p/cwd" 2>/dev/null | grep -q "^/var/lib/zonefall/$L/" ||
      grep -qs "zonefall/$L/" "$p/cgroup"; then
      grep -qs '^State:.*Z' "$p/status" || fail "$L: process $(cat "$p/comm") left"
    fi
  done
  ok "$L: down, no namespace, cgroup, state, data or process left"
}

# inject FAULT TARGET / revert: faults on $L (other labs may be up).
inject() { zf inject --lab "$L" "$@" >/dev/null || fail "inject $*"; }
revert() { zf revert --lab "$L" >/dev/null || fail "revert on $L"; }

addr() { # addr HOST: its address, as the lab's DNS gives it
  ex user1 getent ahostsv4 "$1.lab" | awk 'NR == 1 { print $1 }'
}

# ---- Redis + Sentinel ----------------------------------------------------

rcli() { ex user1 redis-cli "$@" | tr -d '\r'; }   # from the client

master_synced() { # master_synced HOST: a master with both replicas online
  local out
  out=$(rcli -h "$1" info replication)
  grep -q '^role:master' <<<"$out" && grep -q '^connected_slaves:2' <<<"$out" &&
    [ "$(grep -c 'state=online' <<<"$out")" -eq 2 ]
}

replica_of() { # replica_of HOST MASTER: a replica of MASTER, link up
  local out
  out=$(rcli -h "$1" info replication)
  grep -q '^role:slave' <<<"$out" && grep -q "^master_host:$2\$" <<<"$out" &&
    grep -q '^master_link_status:up' <<<"$out"
}

sentinel_sees() { # sentinel_sees SENTINEL MASTER-IP: 2 replicas, 2 peers
  local out
  out=$(rcli -h "$1" -p 26379 sentinel master mymaster | paste - -)
  grep -q "^ip	$2\$" <<<"$out" && grep -q '^num-slaves	2$' <<<"$out" &&
    grep -q '^num-other-sentinels	2$' <<<"$out" && grep -q '^quorum	2$' <<<"$out" &&
    grep -q '^down-after-milliseconds	5000$' <<<"$out"
}

new_master() { # new_master OLD-IP: the master sentinel-b names, if not OLD-IP
  local m
  m=$(rcli -h sentinel-b.lab -p 26379 sentinel get-master-addr-by-name mymaster | head -1)
  [ -n "$m" ] && [ "$m" != "$1" ] && echo "$m"
}

refuses_writes() { # the master, seen from its own host: NOREPLICAS
  ex redis-a redis-cli set k3 1 | grep -q '^NOREPLICAS'
}

t_redis() {
  local a n t0 ms s h out
  L=${PFX}redis
  copy_lab redis-sentinel-3az.yaml redis-sentinel-3az
  up_timed
  a=$(addr redis-a)
  [ -n "$a" ] || fail "no address for redis-a.lab"
  wait_for 15 "redis-a master with 2 replicas online" master_synced redis-a.lab
  wait_for 5 "redis-b replica of redis-a" replica_of redis-b.lab redis-a.lab
  wait_for 5 "redis-c replica of redis-a" replica_of redis-c.lab redis-a.lab
  ok "redis-a is master, redis-b and redis-c replicate it"
  for s in a b c; do
    wait_for 10 "sentinel-$s agreeing" sentinel_sees "sentinel-$s.lab" "$a"
  done
  ok "3 sentinels: master $a, 2 replicas, 2 other sentinels each, quorum 2, down-after 5000 ms"
  [ "$(rcli -h redis-a.lab set k-before 1)" = OK ] || fail "SET on the master"
  [ "$(rcli -h redis-a.lab wait 2 2000)" = 2 ] || fail "WAIT 2: not replicated to both"
  for h in b c; do
    [ "$(rcli -h "redis-$h.lab" get k-before)" = 1 ] || fail "k-before not on redis-$h"
  done
  ok "a write on the master reached both replicas (WAIT 2)"
  for s in a b c; do
    grep -q '^sentinel myid ' "/var/lib/zonefall/$L/sentinel-$s/sentinel.conf" ||
      fail "sentinel-$s did not rewrite its own config copy"
  done
  for f in sentinel.conf redis-master.conf redis-replica.conf; do
    cmp -s "$ZF_SRC/labs/redis-sentinel-3az/$f" "$WORK/redis-sentinel-3az/$f" ||
      fail "a daemon rewrote the lab's own $f"
  done
  ok "sentinels rewrite their copies in {data}; the lab's files untouched"

  # Jepsen's Redis result: the old master, cut off with its zone, keeps
  # acknowledging writes that the failover on the majority side discards.
  inject isolate "zone r1/a"
  t0=$(now_ms)
  [ "$(ex redis-a redis-cli set k-cut 1 | tr -d '\r')" = OK ] ||
    fail "the isolated master did not acknowledge a write"
  wait_for 25 "failover away from the isolated master" new_master "$a"
  ms=$(($(now_ms) - t0))
  n=$(new_master "$a")
  [ "$ms" -ge 4500 ] || fail "failover after $ms ms, before down-after-milliseconds"
  out=$(rcli -h "$n" info replication)
  grep -q '^role:master' <<<"$out" || fail "the new master $n is not master"
  ok "zone r1/a isolated: sentinels b and c failed over to $n after $ms ms"
  revert
  wait_for 40 "the old master rejoining as a replica of $n" replica_of redis-a.lab "$n"
  [ "$(rcli -h "$n" get k-before)" = 1 ] || fail "k-before lost"
  [ "$(rcli -h "$n" exists k-cut)" = 0 ] || fail "k-cut survived: expected it lost"
  wait_for 5 "redis-a in sync" master_synced "$n"
  [ "$(rcli -h redis-a.lab exists k-cut)" = 0 ] || fail "k-cut still on the old master"
  ok "healed: redis-a replicates $n; the write it acknowledged while cut off is lost, k-before kept"
  down_clean
}

t_redis_minrep() {
  local t0 ms h
  L=${PFX}redis-mr
  copy_lab redis-sentinel-3az-minrep.yaml redis-sentinel-3az
  up_timed
  for h in a b c; do
    [ "$(rcli -h "redis-$h.lab" config get min-replicas-to-write | tail -1)" = 1 ] &&
      [ "$(rcli -h "redis-$h.lab" config get min-replicas-max-lag | tail -1)" = 10 ] ||
      fail "redis-$h: min-replicas settings"
  done
  wait_for 15 "redis-a master with 2 replicas online" master_synced redis-a.lab
  [ "$(rcli -h redis-a.lab set k1 1)" = OK ] || fail "SET with the replicas in sync"
  inject isolate "zone r1/a"
  t0=$(now_ms)
  [ "$(ex redis-a redis-cli set k2 1 | tr -d '\r')" = OK ] ||
    fail "the master refused a write right after the cut"
  wait_for 20 "the cut-off master refusing writes" refuses_writes
  ms=$(($(now_ms) - t0))
  [ "$ms" -ge 8000 ] && [ "$ms" -le 15000 ] ||
    fail "writes refused $ms ms after the cut, expected about 10 s"
  ok "min-replicas-to-write 1: the cut-off master refuses writes (NOREPLICAS) $ms ms after the cut"
  revert
  down_clean
}

# ---- etcd ----------------------------------------------------------------

b64() { printf %s "$1" | base64 -w0; }

gw_put() { # gw_put HOST KEY VALUE: through the v3 JSON gateway
  ex user1 curl -sf --max-time 5 "http://$1.lab:2379/v3/kv/put" \
    -d "{\"key\":\"$(b64 "$2")\",\"value\":\"$(b64 "$3")\"}" | grep -q '"revision"'
}

gw_get() { # gw_get HOST KEY: the value, decoded
  ex user1 curl -sf --max-time 5 "http://$1.lab:2379/v3/kv/range" \
    -d "{\"key\":\"$(b64 "$2")\"}" |
    python3 -c 'import base64, json, sys; print(base64.b64decode(json.load(sys.stdin)["kvs"][0]["value"]).decode())'
}

local_get() { # local_get HOST KEY VALUE: HOST's own copy (serializable read)
  [ "$(ex user1 etcdctl --endpoints "http://$1.lab:2379" get "$2" \
    --consistency=s --print-value-only)" = "$3" ]
}

t_etcd() {
  local eps=http://etcd-a.lab:2379,http://etcd-b.lab:2379,http://etcd-c.lab:2379
  L=${PFX}etcd
  copy_lab etcd-3az.yaml -
  up_timed
  ex user1 etcdctl --endpoints "$eps" endpoint status -w json >"$WORK/etcd.json" ||
    fail "etcdctl endpoint status"
  python3 - "$WORK/etcd.json" <<'EOF' || fail "etcd cluster status"
import json, sys
st = json.load(open(sys.argv[1]))
assert len(st) == 3, st
ids = {s["Status"]["header"]["member_id"] for s in st}
leaders = {s["Status"]["leader"] for s in st}
terms = {s["Status"]["raftTerm"] for s in st}
assert len(ids) == 3 and len(leaders) == 1 and leaders <= ids, st
assert len(terms) == 1, terms
EOF
  ex user1 etcdctl --endpoints "$eps" endpoint health >"$WORK/health.out" 2>&1 ||
    { cat "$WORK/health.out" >&2; fail "etcd endpoint health"; }
  [ "$(grep -c 'is healthy' "$WORK/health.out")" = 3 ] || fail "not 3 healthy members"
  ok "etcd: 3 members, one leader, one term, all healthy"
  gw_put etcd-b k1 hello || fail "v3 gateway put"
  [ "$(gw_get etcd-c k1)" = hello ] || fail "v3 gateway range on another member"
  [ "$(ex user1 etcdctl --endpoints http://etcd-a.lab:2379 get k1 --print-value-only)" = hello ] ||
    fail "etcdctl get"
  ok "etcd v3 JSON gateway: put on etcd-b, read on etcd-c and with etcdctl on etcd-a"
  inject power-off "zone r1/a"
  # If etcd-a led, the others elect a new leader first (1-2 s).
  wait_for 10 "a put with zone r1/a dark" gw_put etcd-c k2 during
  revert
  wait_for 20 "etcd-a catching up after power-on" local_get etcd-a k2 during
  ok "etcd: writes go on with zone r1/a dark; etcd-a rejoins from its data and catches up"
  down_clean
}

# ---- PostgreSQL primary + streaming standby ------------------------------

sql() { # sql HOST QUERY: from the client
  ex user1 psql -h "$1.lab" -U postgres -X -At -v ON_ERROR_STOP=1 -c "$2"
}

streaming() { # streaming STANDBY-IP: db-a sends to it, asynchronously
  [ "$(sql db-a "SELECT host(client_addr) || ' ' || state || ' ' || sync_state
                  FROM pg_stat_replication")" = "$1 streaming async" ]
}

has_rows() { [ "$(sql "$1" 'SELECT count(*) FROM w')" = "$2" ]; }
sysid() { sql "$1" 'SELECT system_identifier FROM pg_control_system()'; }

t_pg() {
  local b ida idb n
  L=${PFX}pg
  copy_lab postgres-ha.yaml postgres-ha
  up_timed
  b=$(addr db-b)
  wait_for 20 "db-b streaming from db-a" streaming "$b"
  [ "$(sql db-b 'SELECT pg_is_in_recovery()')" = t ] || fail "db-b is not a standby"
  [ "$(sql db-a 'SELECT pg_is_in_recovery()')" = f ] || fail "db-a is not a primary"
  ok "postgres: db-b ($b) streams from db-a, async; db-b in recovery"
  sql db-a "CREATE TABLE w (v int); INSERT INTO w VALUES (1)" >/dev/null || fail "write on db-a"
  wait_for 10 "the row on db-b" has_rows db-b 1
  ok "a row written on db-a is read on db-b"
  ida=$(sysid db-a)
  idb=$(sysid db-b)
  [ -n "$ida" ] && [ "$ida" = "$idb" ] || fail "system identifiers $ida / $idb"
  inject power-off "host db-*"
  revert
  wait_for 30 "db-b streaming again after the power cycle" streaming "$b"
  [ "$(sysid db-a)" = "$ida" ] && [ "$(sysid db-b)" = "$ida" ] ||
    fail "a cluster was rebuilt by the power cycle"
  has_rows db-a 1 && has_rows db-b 1 || fail "rows lost in the power cycle"
  n=$(grep -c '^Success' "/var/lib/zonefall/$L/db-a/log/bootstrap.log" || true)
  [ "$n" = 1 ] || fail "initdb ran $n times"
  ok "power cycle of both hosts: same clusters (no second initdb or basebackup), data kept, streaming again"
  [ "$(sql db-b 'SELECT pg_promote()')" = t ] || fail "pg_promote on db-b"
  [ "$(sql db-b 'SELECT pg_is_in_recovery()')" = f ] || fail "db-b still in recovery"
  sql db-b "INSERT INTO w VALUES (2)" >/dev/null || fail "write on the promoted db-b"
  has_rows db-b 2 || fail "rows on db-b"
  ok "promotion: db-b is a primary and takes writes"
  down_clean
}

# ---- haproxy + nginx -----------------------------------------------------

is_state() { # is_state BACKEND STATE: haproxy's view (UP, DOWN)
  [ "$(ex user1 curl -sf --max-time 2 "http://lb-a.lab:8404/stats;csv" |
    awk -F, -v s="$1" '$1 == "web" && $2 == s { print $18 }')" = "$2" ]
}

served() { # served N: N requests through www.lab; "NAME=COUNT " per backend
  local _
  for _ in $(seq "$1"); do
    ex user1 curl -sf --max-time 3 http://www.lab/ || echo FAILED
  done | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }'
}

t_web() {
  local s t0 ms got
  L=${PFX}web
  copy_lab web-3az.yaml web-3az
  up_timed
  for s in web-a web-b web-c; do
    wait_for 10 "$s UP in haproxy" is_state "$s" UP
  done
  got=$(served 9)
  [ "$got" = "web-a=3 web-b=3 web-c=3 " ] || fail "9 requests through haproxy: $got"
  ok "haproxy: backends web-a, web-b, web-c UP; round robin over all three"
  # A killed backend (connections refused) stays dead (restart: no) ...
  inject kill "service nginx in host web-b"
  t0=$(now_ms)
  wait_for 12 "killed web-b marked DOWN" is_state web-b DOWN
  ms=$(($(now_ms) - t0))
  [ "$ms" -ge 2000 ] || fail "web-b DOWN after $ms ms: sooner than fall 3, inter 2s allow"
  got=$(served 6)
  [[ "$got" =~ ^web-a=[0-9]+\ web-c=[0-9]+\ $ ]] || fail "with web-b down: $got"
  ok "nginx on web-b killed: marked DOWN after $ms ms (fall 3, inter 2s); requests go to web-a and web-c"
  # ... until the restart fault starts it again.
  inject restart "service nginx in host web-b"
  t0=$(now_ms)
  wait_for 15 "web-b UP again" is_state web-b UP
  ms=$(($(now_ms) - t0))
  got=$(served 9)
  [[ "$got" =~ ^web-a=[0-9]+\ web-b=[0-9]+\ web-c=[0-9]+\ $ ]] || fail "after restart: $got"
  ok "nginx on web-b restarted: UP again after $ms ms (rise 2), serving"
  # A backend powered off (silence: the checks time out) boots with its
  # services.
  inject power-off "host web-b"
  t0=$(now_ms)
  wait_for 12 "web-b powered off marked DOWN" is_state web-b DOWN
  ms=$(($(now_ms) - t0))
  revert
  wait_for 15 "web-b UP after power-on" is_state web-b UP
  ok "web-b powered off: marked DOWN after $ms ms; UP again after power-on"
  down_clean
}

# ---- run -----------------------------------------------------------------

for t in ${ZF_EX_LABS:-redis redis_minrep etcd pg web}; do
  "t_$t"
done
own_snapshot >"$WORK/after.snap"
if ! diff -u "$WORK/before.snap" "$WORK/after.snap" >"$WORK/snap.diff"; then
  cat "$WORK/snap.diff" >&2
  fail "the machine is not as it was"
fi
ok "after the labs: machine identical to the snapshot (other labs' entries aside)"
