#!/usr/bin/env bash
# A 3-zone lab comes up; every host reaches a listener on every other host;
# names resolve in every host; status --json matches the lab file; nothing
# outside the lab is reachable; down leaves the machine as it was.
source "$(dirname "$0")/lib.sh"

LAB=t-basic
cat >"$WORK/lab.yaml" <<YAML
lab: $LAB
regions:
  r1: { zones: [a, b, c] }
  r2: { zones: [a] }
clients: [user1]
hosts:
  h-a: { zone: r1/a, services: { listen: { run: "socat -u TCP-LISTEN:7000,fork,reuseaddr OPEN:/dev/null", restart: always, ready: { tcp: 7000 } } } }
  h-b: { zone: r1/b, services: { listen: { run: "socat -u TCP-LISTEN:7000,fork,reuseaddr OPEN:/dev/null", restart: always, ready: { tcp: 7000 } } } }
  h-c: { zone: r1/c, services: { listen: { run: "socat -u TCP-LISTEN:7000,fork,reuseaddr OPEN:/dev/null", restart: always, ready: { tcp: 7000 } } } }
  h-c2: { zone: r1/c, services: { listen: { run: "socat -u TCP-LISTEN:7000,fork,reuseaddr OPEN:/dev/null", restart: always, ready: { tcp: 7000 } } } }
  h-far: { zone: r2/a, services: { listen: { run: "socat -u TCP-LISTEN:7000,fork,reuseaddr OPEN:/dev/null", restart: always, ready: { tcp: 7000 } } } }
YAML
HOSTS=(h-a h-b h-c h-c2 h-far)

snapshot >"$WORK/before.snap"
lab_up $LAB "$WORK/lab.yaml"
ok "lab up"

# status --json matches the file.
zf status $LAB --json >"$WORK/status.json"
python3 - "$WORK/status.json" <<'PY' || fail "status --json does not match the lab file"
import json, sys
j = json.load(open(sys.argv[1]))
lab = j["labs"][0]
assert lab["phase"] == "up", lab["phase"]
hosts = {h["name"]: h for h in lab["hosts"]}
want = {"h-a": "r1/a", "h-b": "r1/b", "h-c": "r1/c", "h-c2": "r1/c", "h-far": "r2/a"}
for name, zone in want.items():
    h = hosts[name]
    assert h["zone"] == zone, (name, h["zone"])
    assert h["power"] == "on", (name, h["power"])
    assert h["services"][0]["name"] == "listen"
    assert h["services"][0]["state"] == "running", h["services"]
    assert h["address"].startswith("198.1"), h["address"]
assert hosts["user1"]["client"] is True
addrs = [h["address"] for h in lab["hosts"]]
assert len(set(addrs)) == len(addrs), addrs
# hosts of one zone share its /24, different zones do not
net = lambda a: a.rsplit(".", 1)[0]
assert net(hosts["h-c"]["address"]) == net(hosts["h-c2"]["address"])
assert net(hosts["h-a"]["address"]) != net(hosts["h-b"]["address"])
PY
ok "status --json matches the lab file"

# From every host and the client: resolve and connect to every other host.
CONNECT_ALL='
import socket, sys
me, others = sys.argv[1], sys.argv[2:]
for o in others:
    if o == me: continue
    for name in (o, o + ".lab"):
        socket.gethostbyname(name)
    s = socket.create_connection((o, 7000), timeout=3)
    s.close()
print("reached", len(others) - (me in others))
'
for h in "${HOSTS[@]}" user1; do
  out=$(zf_py "$h" "$CONNECT_ALL" "$h" "${HOSTS[@]}") || fail "$h could not reach every host"
  [[ $out == "reached"* ]] || fail "$h: $out"
done
ok "every host and the client resolve and reach every host (TCP)"

# The host's own view: hostname, private /tmp, /etc/hosts.
[ "$(zf exec h-b -- hostname)" = "h-b" ] || fail "hostname inside h-b"
zf exec h-a -- touch /tmp/zf-only-in-h-a
zf exec h-b -- test ! -e /tmp/zf-only-in-h-a || fail "/tmp is shared between hosts"
[ ! -e /tmp/zf-only-in-h-a ] || fail "a host's /tmp leaked to the machine"
ok "UTS, mount namespaces: hostname and private /tmp"
pid1=$(zf exec h-a -- cat /proc/1/comm)
[ "$pid1" = "zonefall-init" ] || fail "PID 1 of h-a is '$pid1'"
ok "PID namespace: zonefall-init is PID 1"

# Nothing outside the lab: connect fails at once with "network unreachable"
# (no packet leaves: there is no route). 192.0.2.1 is TEST-NET-1.
out=$(zf_py h-a '
import socket, time
t = time.monotonic()
try:
    socket.create_connection(("192.0.2.1", 80), timeout=5)
    print("connected")
except OSError as e:
    print("errno", e.errno, round(time.monotonic() - t, 3))
')
read -r word eno took <<<"$out"
[ "$word" = errno ] && [ "$eno" = 101 ] || fail "outside address: $out (want ENETUNREACH=101)"
python3 -c "import sys; sys.exit(0 if float('$took') < 0.1 else 1)" || fail "took ${took}s"
ok "no route out of the lab (ENETUNREACH in ${took}s)"
for ns in $(ip netns list | awk '{print $1}' | grep "^zf\.$LAB\."); do
  if ip -n "$ns" route show | grep -q '^default'; then fail "$ns has a default route"; fi
done
ok "no namespace of the lab has a default route"

zf down $LAB >/dev/null
assert_same_snapshot "$WORK/before.snap" "after down"
zf down $LAB >/dev/null || fail "second down is not a no-op"
ok "second down is a no-op"
