#!/usr/bin/env bash
# The probe layer against real servers on loopback and in a network
# namespace of its own, through bench/probe_drv (zf_probe_drv):
#  a) nginx at 200 req/s for 3 s: ~600 requests, all ok;
#  b) no coordinated omission: nginx stopped (SIGSTOP) for 2 s in a 6 s run
#     over one kept-alive connection: the requests planned meanwhile count
#     their wait, p99 >= 1.5 s and each latency ~ (resume - planned);
#  c) every outcome category: refused, timeout, bad_status, reset,
#     unreachable (in an empty namespace), dns;
#  d) the probe's sockets live in the namespace it is given.
# Everything it starts (nginx, python servers, the zfprobe-* namespace) is
# removed in its EXIT trap.
source "$(dirname "$0")/lib.sh"

DRV=${ZF_PROBE_DRV:-$(dirname "$ZF_BIN")/bench/zf_probe_drv}
[ -x "$DRV" ] || fail "no probe driver at $DRV (set ZF_PROBE_DRV)"
command -v nginx >/dev/null || fail "nginx is not installed (scripts/install-deps)"
NS=zfprobe-x$$
PIDS=()

probe_cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  (exit $rc)
  cleanup
}
trap probe_cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() { # wait_port PORT [NETNS]
  local pre=()
  [ $# -gt 1 ] && pre=(ip netns exec "$2")
  "${pre[@]}" python3 - "$1" <<'PY' || fail "nothing listens on port $1"
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

# A python server: silent (accepts, never answers), rst (reads the request,
# resets), http (answers 200 and closes).
cat >"$WORK/srv.py" <<'PY'
import socket, struct, sys
mode, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(128)
held = []
while True:
    c, _ = s.accept()
    if mode == "silent":
        held.append(c)
        continue
    c.settimeout(2)
    try:
        c.recv(4096)
        if mode == "http":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    except OSError:
        pass
    if mode == "rst":
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
PY

start_srv() { # start_srv MODE PORT [NETNS]
  local pre=()
  [ $# -gt 2 ] && pre=(ip netns exec "$3")
  "${pre[@]}" python3 "$WORK/srv.py" "$1" "$2" &
  PIDS+=($!)
  wait_port "$2" "${@:3}"
}

NGPORT=$(free_port)
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$NGPORT;
    location / { return 200 "ok"; }
    location /busy { return 503 "busy"; }
  }
}
EOF
nginx -e "$WORK/nginx/logs/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX=$!
PIDS+=($NGINX)
wait_port "$NGPORT"
URL=http://127.0.0.1:$NGPORT

j() { json_get "$1" "$2"; }   # j FILE EXPR

# --- a) steady load: 200 req/s for 3 s --------------------------------------
"$DRV" --json --rate 200 --duration 3 "$URL/" >"$WORK/a.json" || fail "driver failed"
n=$(j "$WORK/a.json" 'j["requests"]')
[ "$n" -ge 590 ] && [ "$n" -le 610 ] || fail "a: $n requests, expected ~600"
[ "$(j "$WORK/a.json" 'j["outcomes"]["ok"]')" = "$n" ] || fail "a: not all ok: $(cat "$WORK/a.json")"
[ "$(j "$WORK/a.json" 'j["availability"] == 100.0')" = True ] || fail "a: availability below 100%"
ok "a) 200 req/s for 3 s: $n requests, all ok, p99 $(j "$WORK/a.json" 'j["ok_latency_us"]["p99"]') us"

# --- b) coordinated omission: nginx stopped for 2 s --------------------------
WORKER=$(pgrep -P "$NGINX" | head -1)
[ -n "$WORKER" ] || fail "b: no nginx worker"
"$DRV" --json --rate 200 --duration 6 --timeout 5 --connections 1 \
  --records "$WORK/b.rec" "$URL/" >"$WORK/b.json" &
drv=$!
sleep 2
stop_ns=$(date +%s%N)
kill -STOP "$NGINX" "$WORKER"
sleep 2
kill -CONT "$WORKER" "$NGINX"
resume_ns=$(date +%s%N)
wait $drv || fail "b: driver failed"
python3 - "$WORK/b.json" "$WORK/b.rec" "$stop_ns" "$resume_ns" <<'PY' >"$WORK/b.out" || { cat "$WORK/b.out"; fail "b: coordinated omission check"; }
import json, sys
j = json.load(open(sys.argv[1]))
t0 = j["t0_wall_ns"]
stop, resume = (int(sys.argv[3]) - t0) / 1e9, (int(sys.argv[4]) - t0) / 1e9
recs = [(int(p) / 1e9, int(l) / 1e9, o) for p, l, o in (x.split() for x in open(sys.argv[2]))]
print(f"stopped {stop:.3f}s..{resume:.3f}s after t0; {len(recs)} requests; "
      f"outcomes {j['outcomes']}; p99 {j['ok_latency_us']['p99'] / 1e6:.3f}s")
assert all(o == "ok" for _, _, o in recs), "not every request ok"
assert j["ok_latency_us"]["p99"] >= 1.5e6, "p99 below 1.5 s"
during = [r for r in recs if stop + 0.05 < r[0] < resume - 0.05]
assert len(during) >= 300, f"only {len(during)} requests planned during the stop"
for p, l, _ in during[:: max(1, len(during) // 6)]:
    want = resume - p
    print(f"  planned {p:.3f}s latency {l:.3f}s expected ~{want:.3f}s")
    assert abs(l - want) < 0.25, "latency does not run from the planned time"
PY
cat "$WORK/b.out"
ok "b) nginx stopped 2 s: queued requests count their wait (p99 >= 1.5 s)"

# --- c) outcome categories ---------------------------------------------------
outcome_is() { # outcome_is NAME JSON: every request ended as NAME
  local file=$2 total
  total=$(j "$file" 'j["requests"]')
  [ "$total" -gt 0 ] && [ "$(j "$file" "j['outcomes']['$1']")" = "$total" ] ||
    fail "c: expected every request '$1': $(cat "$file")"
  ok "c) $1: $total of $total"
}
short=(--json --rate 20 --duration 1 --timeout 0.3)

"$DRV" "${short[@]}" "http://127.0.0.1:$(free_port)/" >"$WORK/c1.json"
outcome_is refused "$WORK/c1.json"

p=$(free_port); start_srv silent "$p"
"$DRV" "${short[@]}" "http://127.0.0.1:$p/" >"$WORK/c2.json"
outcome_is timeout "$WORK/c2.json"

"$DRV" "${short[@]}" "$URL/busy" >"$WORK/c3.json"
outcome_is bad_status "$WORK/c3.json"

p=$(free_port); start_srv rst "$p"
"$DRV" "${short[@]}" "http://127.0.0.1:$p/" >"$WORK/c4.json"
outcome_is reset "$WORK/c4.json"

"$DRV" "${short[@]}" --resolve-failed "$URL/" >"$WORK/c5.json"
outcome_is dns "$WORK/c5.json"

ip netns add "$NS"
ip -n "$NS" link set lo up
# TEST-NET-1: the empty namespace has no route to it; nothing is sent.
"$DRV" "${short[@]}" --netns "/run/netns/$NS" "http://192.0.2.1:80/" >"$WORK/c6.json"
outcome_is unreachable "$WORK/c6.json"

# --- d) sockets live in the given namespace ----------------------------------
p=$(free_port)
start_srv http "$p" "$NS"
"$DRV" "${short[@]}" --netns "/run/netns/$NS" "http://127.0.0.1:$p/" >"$WORK/d1.json"
[ "$(j "$WORK/d1.json" 'j["availability"] == 100.0')" = True ] ||
  fail "d: the listener in $NS was not reached: $(cat "$WORK/d1.json")"
"$DRV" "${short[@]}" "http://127.0.0.1:$p/" >"$WORK/d2.json"
[ "$(j "$WORK/d2.json" 'j["outcomes"]["ok"]')" = 0 ] ||
  fail "d: a listener inside $NS answered from outside"
ok "d) with the namespace: all ok; without: $(j "$WORK/d2.json" 'j["outcomes"]["refused"]') refused"
