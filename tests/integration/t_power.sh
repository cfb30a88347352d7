#!/usr/bin/env bash
# power-off of a zone: every process of its hosts is gone within 50 ms, the
# hosts go silent (peers time out, no RST), services come back by policy on
# power-on and reachability returns. Data directories survive.
source "$(dirname "$0")/lib.sh"

LAB=t-power
LISTEN='{ run: "socat -u TCP-LISTEN:7000,fork,reuseaddr OPEN:/dev/null", restart: always, ready: { tcp: 7000 } }'
cat >"$WORK/lab.yaml" <<YAML
lab: $LAB
regions:
  r1: { zones: [a, b, c] }
hosts:
  a1: { zone: r1/a, services: { listen: $LISTEN, sleeper: { run: "sleep 3600", restart: "no" } } }
  a2: { zone: r1/a, services: { listen: $LISTEN } }
  b1: { zone: r1/b, services: { listen: $LISTEN } }
  c1: { zone: r1/c, services: { listen: $LISTEN } }
YAML
lab_up $LAB "$WORK/lab.yaml"
echo survivor >/var/lib/zonefall/$LAB/a1/mark

cg_count() { # processes in a host's cgroup (freezer hierarchy, or v2)
  local d
  for d in /sys/fs/cgroup/freezer/zonefall/$LAB/$1 /sys/fs/cgroup/zonefall/$LAB/$1; do
    [ -d "$d" ] && { find "$d" -name cgroup.procs -exec cat {} + | wc -l; return; }
  done
  echo 0
}
[ "$(cg_count a1)" -ge 3 ] || fail "a1 should run init + 2 services, has $(cg_count a1)"

# An established connection from b1 to a1, opened before the power cut.
zf_py b1 '
import socket, sys, time
s = socket.create_connection(("a1", 7000), timeout=3)
print("connected", flush=True)
time.sleep(2.0)            # the zone loses power meanwhile
s.settimeout(2.0)
try:
    s.sendall(b"x" * 100)
    data = s.recv(1)
    print("got", data)
except socket.timeout:
    print("timeout")
except ConnectionResetError:
    print("reset")
except OSError as e:
    print("error", e.errno)
' >"$WORK/established.out" 2>&1 &
est_pid=$!
sleep 0.7

zf inject power-off "zone r1/a" --json >"$WORK/off.json"
apply_ms=$(json_get "$WORK/off.json" 'j["apply_ms"]')
# Within 50 ms of the command: darkened, every process killed, verified.
python3 -c "import sys; sys.exit(0 if $apply_ms <= 50 else 1)" ||
  fail "power-off took ${apply_ms} ms (want <= 50)"
[ "$(cg_count a1)" -eq 0 ] && [ "$(cg_count a2)" -eq 0 ] || fail "processes survive"
ok "power-off zone r1/a: every process gone, applied and verified in ${apply_ms} ms"
[ "$(cg_count b1)" -ge 2 ] || fail "b1 lost processes"
ok "other zones untouched"

wait $est_pid || true
grep -q '^timeout' "$WORK/established.out" || fail "established connection: $(cat "$WORK/established.out")"
ok "established connection to the dead zone stalls (no RST)"

out=$(zf_py b1 '
import socket, time
t = time.monotonic()
try:
    socket.create_connection(("a2", 7000), timeout=1.5)
    print("connected")
except socket.timeout:
    print("timeout")
except OSError as e:
    print("error", e.errno)
')
[ "$out" = timeout ] || fail "new connection to a2 should time out, got: $out"
ok "new connections to the dead zone time out"
zf_py c1 'import socket; socket.create_connection(("b1", 7000), timeout=2)' || fail "c1 -> b1"
ok "the rest of the lab still works"

zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" '[h["power"] for h in j["labs"][0]["hosts"] if h["name"]=="a1"][0]')" = off ] ||
  fail "status does not show a1 off"
ok "status shows the zone off"

zf inject power-on "zone r1/a" >/dev/null
# Services come back by policy: listen (always), sleeper too (boot starts all).
for i in $(seq 1 100); do
  zf_py b1 'import socket; socket.create_connection(("a1", 7000), timeout=0.5)' 2>/dev/null && break
  sleep 0.1
done
zf_py b1 'import socket; socket.create_connection(("a1", 7000), timeout=2); socket.create_connection(("a2", 7000), timeout=2)' ||
  fail "a1/a2 unreachable after power-on"
ok "power-on: services restarted, reachability back"
[ "$(cat /var/lib/zonefall/$LAB/a1/mark)" = survivor ] || fail "data directory lost"
ok "data directory survived the power cycle"
zf status $LAB --json >"$WORK/st2.json"
[ "$(json_get "$WORK/st2.json" 'len(j["labs"][0]["faults"])')" = 0 ] || fail "power-on did not close the power-off fault"
ok "journal: power-on ended the power-off fault"

# A single host, with revert instead of power-on.
zf inject power-off "host b1" >/dev/null
zf_py c1 '
import socket
try:
    socket.create_connection(("b1", 7000), timeout=1); print("connected")
except socket.timeout: print("timeout")
' | grep -q timeout || fail "b1 should be silent"
zf revert >/dev/null
zf_py c1 'import socket; socket.create_connection(("b1", 7000), timeout=3)' 2>/dev/null ||
  { sleep 1; zf_py c1 'import socket; socket.create_connection(("b1", 7000), timeout=3)'; } ||
  fail "b1 not back after revert"
ok "power-off host + revert"
