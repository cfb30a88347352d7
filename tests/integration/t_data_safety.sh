#!/usr/bin/env bash
# t_data_safety.sh - the published results, reproduced by drills with write
# probes on the example labs (copies with lab names of this test):
#   Redis + Sentinel, min-replicas-to-write 0: the master's zone cut off
#     from the others for 30 s -> lost > 0, every lost write acknowledged
#     by the old master after the cut and before the sentinels demoted it
#     (at most 15 s after the heal), nothing lost from before the cut.
#   ... min-replicas-to-write 1, max-lag 10: the old master refuses writes
#     (fail) 8-14 s after the cut; the loss is confined to those seconds.
#   etcd under zone power loss and a partition: lost 0, unexpected 0.
#   PostgreSQL async standby promoted while the old primary keeps taking
#     writes: lost > 0, all after the cut.
#   Control runs with no fault, five in a row on each lab: lost 0,
#     unexpected 0, valid every time.
# ZF_DATA_LABS="redis etcd postgres" picks labs (default all).
source "$(dirname "$0")/lib.sh"

LABS=${ZF_DATA_LABS:-redis etcd postgres}
snapshot >"$WORK/before.snap"

# copy_lab FILE NAME: a copy of labs/FILE.yaml (and its config dir) as lab NAME
copy_lab() {
  [ -d "$ZF_SRC/labs/$1" ] && cp -r "$ZF_SRC/labs/$1" "$WORK/"
  sed "s/^lab: .*/lab: $2/" "$ZF_SRC/labs/$1.yaml" >"$WORK/$2.yaml"
}
# drill SCENARIO LAB -> run.json path in $RUNJ (exit status 0 or 1 accepted)
drill() {
  local out="$WORK/runs-$1-$2" rc=0
  zf run "$ZF_SRC/scenarios/data/$1.yaml" --lab "$2" --runs "$out" "${@:3}" \
    >"$out.log" 2>&1 || rc=$?
  [ $rc -le 1 ] || { cat "$out.log" >&2; fail "$1 on $2 exited $rc"; }
  RUNJ=$(ls -t "$out"/*/run.json | head -1)
}
# check PYTHON-EXPR-LIST: each must hold for run.json $RUNJ (c = the check,
# w = the write block, f = the first fault event); prints the figures
check() {
  python3 - "$RUNJ" "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
p = j["probes"][0]
c, w = p["check"], p["write"]
f = j["events"][0] if j["events"] else None
lw = c.get("lost_window") or {}
env = dict(c=c, w=w, f=f, lw=lw, j=j)
for e in sys.argv[2:]:
    if not eval(e, env):
        print("FAILED: %s\ncheck: %s\nwrite: %s" % (e, {k: v for k, v in c.items() if not k.endswith("ids") and k != "per_second"}, w))
        sys.exit(1)
PY
}
fig() { json_get "$RUNJ" "$1"; }

control5() { # control5 KIND LAB
  for i in 1 2 3 4 5; do
    drill "control-$1" "$2"
    check "c['verdict'] == 'valid'" "c['lost'] == 0" "c['unexpected'] == 0" \
          "c['acknowledged'] > 0" || fail "control run $i on $2"
  done
  ok "$1: five control runs in a row, lost 0, unexpected 0, valid each time"
}

if [[ " $LABS " == *" redis "* ]]; then
  copy_lab redis-sentinel-3az t-ds-redis
  lab_up t-ds-redis "$WORK/t-ds-redis.yaml"
  control5 redis t-ds-redis
  drill redis-partition t-ds-redis
  check "c['lost'] > 0" "c['unexpected'] == 0" \
        "lw['first']['invoke_s'] >= f['t_actual_s'] - 0.05" \
        "lw['last']['complete_s'] <= f['revert_actual_s'] + 15" ||
    fail "redis: the loss is not the Jepsen shape"
  ok "redis (min-replicas 0): master's zone cut 30 s: lost $(fig "j['probes'][0]['check']['lost']") of $(fig "j['probes'][0]['check']['acknowledged']") acknowledged, from $(fig "round(j['probes'][0]['check']['lost_window']['first']['invoke_s'] - j['events'][0]['t_actual_s'], 2)") s after the cut to $(fig "round(j['probes'][0]['check']['lost_window']['last']['complete_s'] - j['events'][0]['revert_actual_s'], 2)") s after the heal"
  zf down t-ds-redis >/dev/null
  copy_lab redis-sentinel-3az-minrep t-ds-minrep
  lab_up t-ds-minrep "$WORK/t-ds-minrep.yaml"
  drill redis-partition t-ds-minrep
  first_fail=$(fig "round(min(i for i, s in enumerate(j['probes'][0]['check']['per_second']) if s[1] > 0) - j['events'][0]['t_actual_s'], 1)")
  check "c['lost'] > 0" "c['failed'] > 0" "c['unexpected'] == 0" \
        "8 <= $first_fail <= 14" \
        "lw['last']['complete_s'] <= f['t_actual_s'] + 14" ||
    fail "redis min-replicas: refusals or loss not as published"
  ok "redis (min-replicas 1, lag 10): refuses writes from ${first_fail} s after the cut; lost $(fig "j['probes'][0]['check']['lost']") all within the first $(fig "round(j['probes'][0]['check']['lost_window']['last']['complete_s'] - j['events'][0]['t_actual_s'], 1)") s"
  zf down t-ds-minrep >/dev/null
fi

if [[ " $LABS " == *" etcd "* ]]; then
  copy_lab etcd-3az t-ds-etcd
  lab_up t-ds-etcd "$WORK/t-ds-etcd.yaml"
  control5 etcd t-ds-etcd
  drill etcd-faults t-ds-etcd
  check "c['verdict'] == 'valid'" "c['lost'] == 0" "c['unexpected'] == 0" \
        "c['acknowledged'] > 1000" "len(j['events']) == 3" || fail "etcd lost writes"
  ok "etcd: zone power loss then partition: $(fig "j['probes'][0]['check']['acknowledged']") acknowledged, lost 0, unexpected 0"
  zf down t-ds-etcd >/dev/null
fi

if [[ " $LABS " == *" postgres "* ]]; then
  copy_lab postgres-ha t-ds-pg
  lab_up t-ds-pg "$WORK/t-ds-pg.yaml"
  control5 postgres t-ds-pg
  zf down t-ds-pg >/dev/null
  # the split brain leaves two primaries: a fresh lab for it
  lab_up t-ds-pg "$WORK/t-ds-pg.yaml"
  drill postgres-split-brain t-ds-pg
  check "c['lost'] > 0" "c['unexpected'] == 0" \
        "lw['first']['invoke_s'] >= f['t_actual_s'] - 0.05" || fail "postgres: no loss after promotion"
  ok "postgres: standby promoted while the primary kept writing: lost $(fig "j['probes'][0]['check']['lost']") acknowledged writes, all after the cut"
  zf down t-ds-pg >/dev/null
fi

ZF_LABS_TO_REMOVE=()
assert_same_snapshot "$WORK/before.snap" "after every lab went down"
