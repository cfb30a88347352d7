#!/usr/bin/env bash
# t_write_sentinel.sh - a redis write probe finds the master through
# Sentinel and follows a failover, on a copy of labs/redis-sentinel-3az.yaml
# (master redis-a, replicas redis-b and redis-c, three sentinels, quorum 2,
# down-after-milliseconds 5000). The master's host is frozen (pause) for
# 15 s: the sentinels elect a replica; the probe's workers time out on the
# frozen master, ask the sentinels again, find the new master (checked
# with ROLE) and write there; after the thaw the old master becomes a
# replica. The final read is from the new master.
source "$(dirname "$0")/lib.sh"

LAB=t-wsent
snapshot >"$WORK/before.snap"
cp -r "$ZF_SRC/labs/redis-sentinel-3az" "$WORK/"
sed "s/^lab: redis-3az/lab: $LAB/" "$ZF_SRC/labs/redis-sentinel-3az.yaml" >"$WORK/lab.yaml"
cat >"$WORK/failover.yaml" <<'EOF'
scenario: t-write-sentinel
class: hardware
probes:
  kv:
    redis: { sentinels: [sentinel-a, sentinel-b, sentinel-c], master: mymaster, key: zf-sent }
    from: user1
    rate: 100
    timeout: 500ms
    settle: 3s
    expect: { acknowledged: ">= 1000", unexpected: "== 0" }
warmup: 4s
steps:
  - { at: 0s, do: pause, target: "host redis-a", for: 15s }
cooldown: 8s
EOF
lab_up "$LAB" "$WORK/lab.yaml"
rc=0
zf run "$WORK/failover.yaml" --lab "$LAB" --runs "$WORK/runs" >"$WORK/run.out" 2>&1 || rc=$?
[ $rc -eq 0 ] || { cat "$WORK/run.out" >&2; fail "drill exited $rc, expected 0"; }
J=$(ls -d "$WORK"/runs/*/ | head -1)/run.json
python3 - "$J" <<'PY' || fail "sentinel drill: see above"
import json, sys
j = json.load(open(sys.argv[1]))
p = j['probes'][0]
c, led = p['check'], p['ledger']
names = led['names']
on = j['events'][0]['t_actual_s']
by_node = {}
for w in led['writes']:
    if w[6] == 'ok':
        by_node.setdefault(names[w[2]], []).append(w[4] / 1e9)
new = led['final_read']['node']
print(f"  acknowledged by node: { {n: len(t) for n, t in by_node.items()} }; final read from {new}")
print(f"  attempted {c['attempted']}, ok {c['acknowledged']}, failed {c['failed']}, "
      f"unknown {c['unknown']}, not sent {p['write']['not_sent']}, lost {c['lost']}, "
      f"recovered {c['recovered']}")
assert led['final_read']['state'] == 'done' and new in ('redis-b', 'redis-c'), new
assert max(by_node['redis-a']) < on + 0.1, 'acknowledged by the frozen master'
back = min(by_node[new])
print(f"  writes acknowledged by {new} from {back - on:.2f} s after the freeze")
assert 5.0 <= back - on <= 15.0, 'failover not followed in time'
secs = c['per_second']
tail = secs[int(on) + 16:]
assert tail and all(s[0] >= 90 for s in tail[:-1]), f'not writing after the thaw: {tail}'
assert c['unexpected'] == 0 and c['lost'] <= 10, 'data lost beyond the replication lag'
PY
ok "the probe followed the failover: acknowledged by the new master, read back from it"
ZF_LABS_TO_REMOVE=()
zf down "$LAB" >/dev/null
assert_same_snapshot "$WORK/before.snap" "after the drill"
