#!/usr/bin/env bash
# t_write_labs.sh - the etcd and sql write probes against the example labs
# (copies, under names of their own):
#  - etcd (labs/etcd-3az.yaml, 3 members): zone r1/a powered off for 6 s
#    while the probe writes through the JSON gateway, moving off the dead
#    endpoint: lost 0, unexpected 0 (consensus), the final read
#    linearizable from a healthy member;
#  - PostgreSQL (labs/postgres-ha.yaml, async standby): the zones are
#    partitioned and the standby promoted (an exec step) while the old
#    primary keeps taking writes on its open connections: the final read
#    from the first host not in recovery (the promoted db-b) lacks the
#    writes db-a acknowledged after the cut: lost > 0.
source "$(dirname "$0")/lib.sh"

snapshot >"$WORK/before.snap"
cp -r "$ZF_SRC/labs/postgres-ha" "$WORK/"
sed "s/^lab: etcd-3az/lab: t-wetcd/" "$ZF_SRC/labs/etcd-3az.yaml" >"$WORK/etcd.yaml"
sed "s/^lab: postgres-ha/lab: t-wpg/" "$ZF_SRC/labs/postgres-ha.yaml" >"$WORK/pg.yaml"
cat >"$WORK/etcd-power.yaml" <<'EOF'
scenario: t-write-etcd
class: power
probes:
  kv:
    etcd: { endpoints: [etcd-a, etcd-b, etcd-c], prefix: /zf/ }
    from: user1
    rate: 100
    timeout: 1s
    settle: 2s
    expect: { lost: "== 0", unexpected: "== 0", valid: "== true", acknowledged: ">= 1000" }
warmup: 3s
steps:
  - { at: 0s, do: power-off, target: "zone r1/a", for: 6s }
cooldown: 5s
EOF
cat >"$WORK/pg-split.yaml" <<'EOF'
scenario: t-write-pg-split
class: network
probes:
  db:
    sql: { host: [db-b, db-a], conninfo: "user=postgres dbname=postgres", table: zf_split }
    from: user1
    rate: 100
    timeout: 1s
    settle: 2s
    workers: 4
    expect: { lost: "> 0", unexpected: "== 0" }
warmup: 3s
steps:
  - { at: 0s, do: partition, target: "zone r1/a | zone r1/b", for: 8s }
  - { at: 2s, do: exec, target: "host db-b", args: "psql -h 127.0.0.1 -U postgres -c 'SELECT pg_promote()'" }
cooldown: 3s
EOF

# drill LAB SCENARIO: run it (exit 0), set J to its run.json
drill() {
  local rc=0
  rm -rf "$WORK/runs"
  zf run "$WORK/$2" --lab "$1" --runs "$WORK/runs" >"$WORK/run.out" 2>&1 || rc=$?
  [ $rc -eq 0 ] || { cat "$WORK/run.out" >&2; fail "$2: exit $rc, expected 0"; }
  J=$(ls -d "$WORK"/runs/*/ | head -1)/run.json
}

lab_up t-wetcd "$WORK/etcd.yaml"
drill t-wetcd etcd-power.yaml
python3 - "$J" <<'PY' || fail "etcd drill: see above"
import json, sys
j = json.load(open(sys.argv[1]))
p = j['probes'][0]
c = p['check']
nodes = {p['ledger']['names'][w[2]] for w in p['ledger']['writes'] if w[6] == 'ok'}
print(f"  etcd: attempted {c['attempted']}, ok {c['acknowledged']}, failed {c['failed']}, "
      f"unknown {c['unknown']}, recovered {c['recovered']}, lost {c['lost']}; "
      f"acknowledged by {sorted(nodes)}; read from {p['ledger']['final_read']['node']}")
assert c['verdict'] == 'valid' and c['lost'] == 0 and c['unexpected'] == 0
assert len(nodes) >= 2, 'the probe never left the dead endpoint'
PY
ok "etcd: zone power loss, lost 0 and unexpected 0, writes moved to live members"
ZF_LABS_TO_REMOVE=()
zf down t-wetcd >/dev/null

lab_up t-wpg "$WORK/pg.yaml"
drill t-wpg pg-split.yaml
python3 - "$J" <<'PY' || fail "postgres drill: see above"
import json, sys
j = json.load(open(sys.argv[1]))
p = j['probes'][0]
c, led = p['check'], p['ledger']
cut = j['events'][0]['t_actual_s'] * 1e9
after = [w for w in led['writes'] if w[6] == 'ok' and w[4] > cut + 1e9]
lost = set(c['lost_ids'])
print(f"  postgres: acknowledged {c['acknowledged']}, {len(after)} of them by db-a a second "
      f"or more after the cut; lost {c['lost']}; read from {led['final_read']['node']}")
assert led['final_read']['node'] == 'db-b'
assert c['lost'] >= len(after) > 500, 'the old primary did not lose its writes'
assert c['unexpected'] == 0
PY
ok "postgres: standby promoted while the old primary took writes: those writes lost"
ZF_LABS_TO_REMOVE=()
zf down t-wpg >/dev/null
assert_same_snapshot "$WORK/before.snap" "after the drills"
