#!/usr/bin/env bash
# pause freezes a service: its TCP connections stall rather than fail, new
# connections are accepted by the kernel but get no answer; resume continues
# them. kill and restart go through the host's init and its restart policy.
source "$(dirname "$0")/lib.sh"

LAB=t-pause
cat >"$WORK/lab.yaml" <<YAML
lab: $LAB
regions:
  r1: { zones: [a, b] }
hosts:
  srv: { zone: r1/a, services: { echo: { run: "socat TCP-LISTEN:7001,fork,reuseaddr EXEC:cat", restart: always, ready: { tcp: 7001 } },
                                 once: { run: "sleep 3600", restart: "no" } } }
  cli: { zone: r1/b }
YAML
lab_up $LAB "$WORK/lab.yaml"

zf_py cli '
import socket, subprocess, sys, time
s = socket.create_connection(("srv", 7001), timeout=3)
s.sendall(b"a"); assert s.recv(1) == b"a"
print("echo ok", flush=True)
time.sleep(1.5)                      # paused meanwhile
s.settimeout(1.0)
s.sendall(b"b")
try:
    s.recv(1); print("answered while paused")
except socket.timeout:
    print("stalled", flush=True)
try:
    n = socket.create_connection(("srv", 7001), timeout=1.0)
    n.settimeout(0.5); n.sendall(b"c")
    try: n.recv(1); print("new answered")
    except socket.timeout: print("new stalled", flush=True)
except ConnectionRefusedError:
    print("new refused")
time.sleep(0.5)                      # resumed meanwhile
s.settimeout(6.0)
print("after resume", s.recv(1))
' >"$WORK/pause.out" 2>&1 &
py=$!
sleep 0.8
zf inject pause "service echo" >/dev/null || fail "pause"
zf status $LAB --json >"$WORK/st.json"
sleep 3.5
zf revert >/dev/null || fail "revert (resume)"
wait $py || fail "client script failed: $(cat "$WORK/pause.out")"
cat "$WORK/pause.out"
grep -q '^stalled' "$WORK/pause.out" || fail "the connection did not stall while paused"
grep -q '^new stalled' "$WORK/pause.out" || fail "a new connection was not left hanging"
grep -q "^after resume b'b'" "$WORK/pause.out" || fail "the connection did not continue after resume"
ok "pause stalls connections (not refused); resume continues them"

# Whole-host pause shows in status; resume ends it.
zf inject pause "host srv" >/dev/null
zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" '[h["power"] for h in j["labs"][0]["hosts"] if h["name"]=="srv"][0]')" = paused ] ||
  fail "status does not show srv paused"
zf inject resume "host srv" >/dev/null
zf status $LAB --json >"$WORK/st.json"
[ "$(json_get "$WORK/st.json" 'len(j["labs"][0]["faults"])')" = 0 ] || fail "resume did not end pause"
ok "host pause/resume, visible in status"

svc_field() { # svc_field SERVICE FIELD
  zf status $LAB --json >"$WORK/st.json"
  json_get "$WORK/st.json" "[s['$2'] for h in j['labs'][0]['hosts'] if h['name']=='srv' for s in h['services'] if s['name']=='$1'][0]"
}
pid_before=$(svc_field echo pid)
zf inject kill "service echo" >/dev/null
for i in $(seq 1 50); do [ "$(svc_field echo state)" = running ] && [ "$(svc_field echo pid)" != "$pid_before" ] && break; sleep 0.1; done
[ "$(svc_field echo restarts)" -ge 1 ] || fail "restart=always did not restart echo after kill"
ok "kill: restart policy 'always' restarted the service"
zf inject kill "service once" TERM >/dev/null
sleep 0.5
[ "$(svc_field once state)" = exited ] || fail "restart=no: once should stay exited, is $(svc_field once state)"
ok "kill: restart policy 'no' leaves the service down"
zf inject restart "service once" >/dev/null
for i in $(seq 1 30); do [ "$(svc_field once state)" = running ] && break; sleep 0.1; done
[ "$(svc_field once state)" = running ] || fail "restart did not start once again"
ok "restart starts a service again"
zf inject kill "service nope" 2>"$WORK/err" && fail "kill of an unknown service succeeded"
grep -q "nope" "$WORK/err" || fail "unclear error: $(cat "$WORK/err")"
ok "unknown service: clear error"
