#!/usr/bin/env bash
# cgroup v2: the same lab life cycle on a v2 hierarchy. On this (hybrid)
# machine the unified hierarchy is mounted at /sys/fs/cgroup/unified and is
# chosen with ZF_CGROUP2_ROOT at `up`; every later command must keep using
# it without being told (the choice is kept in the lab's state). `down`
# with a host still paused kills it too (v2 lets SIGKILL end frozen tasks;
# on v1 down thaws them first, tested by t_down_during_run).
source "$(dirname "$0")/lib.sh"

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  V2=/sys/fs/cgroup
elif [ -f /sys/fs/cgroup/unified/cgroup.procs ]; then
  V2=/sys/fs/cgroup/unified
else
  echo "SKIP: no cgroup v2 hierarchy mounted"; exit 0
fi
LAB=t-cgv2
cat >"$WORK/lab.yaml" <<YAML
lab: $LAB
regions:
  r1: { zones: [a, b] }
hosts:
  a1: { zone: r1/a, services: { echo: { run: "socat TCP-LISTEN:7001,fork,reuseaddr EXEC:cat", restart: always, ready: { tcp: 7001 } } } }
  b1: { zone: r1/b }
YAML
snapshot >"$WORK/before.snap"
ZF_LABS_TO_REMOVE+=("$LAB")
ZF_CGROUP2_ROOT=$V2 zf up "$WORK/lab.yaml" >/dev/null
[ -d "$V2/zonefall/$LAB/a1/svc-echo" ] || fail "no v2 cgroup for a1's service"
[ -n "$(cat "$V2/zonefall/$LAB/a1/svc-echo/cgroup.procs")" ] || fail "service not in its v2 cgroup"
[ ! -d /sys/fs/cgroup/freezer/zonefall/$LAB ] || fail "v1 cgroups made although v2 was chosen"
ok "hosts and services live in v2 cgroups under $V2/zonefall"

zf inject pause "service echo" >/dev/null   # no ZF_CGROUP2_ROOT from here on
grep -q 'frozen 1' "$V2/zonefall/$LAB/a1/svc-echo/cgroup.events" || fail "not frozen (v2 cgroup.freeze)"
out=$(zf_py b1 '
import socket
s = socket.create_connection(("a1", 7001), timeout=2); s.settimeout(1); s.sendall(b"x")
try: s.recv(1); print("answered")
except socket.timeout: print("stalled")')
[ "$out" = stalled ] || fail "paused service answered: $out"
zf revert >/dev/null
grep -q 'frozen 0' "$V2/zonefall/$LAB/a1/svc-echo/cgroup.events" || fail "not thawed"
ok "pause/resume through cgroup.freeze"

zf inject power-off "host a1" --json >"$WORK/off.json"
[ -z "$(find "$V2/zonefall/$LAB/a1" -name cgroup.procs -exec cat {} +)" ] || fail "a1 processes survive"
ok "power-off empties the host's v2 cgroup ($(json_get "$WORK/off.json" 'j["apply_ms"]') ms)"
# A pause left applied (a drill killed mid-fault): down still kills it all.
zf inject pause "host b1" >/dev/null
grep -q 'frozen 1' "$V2/zonefall/$LAB/b1/cgroup.events" || fail "b1 not frozen"
zf down $LAB >/dev/null || fail "down with a paused host failed"
[ ! -d "$V2/zonefall/$LAB" ] || fail "v2 cgroups left after down"
assert_same_snapshot "$WORK/before.snap" "after down (v2)"
