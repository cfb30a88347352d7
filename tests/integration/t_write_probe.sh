#!/usr/bin/env bash
# t_write_probe.sh - write probes against real daemons in a lab of their
# own: a redis-server without persistence (--save '' --appendonly no) in
# zone r1/a, an nginx in r1/b storing PUT values as files (WebDAV) and
# listing them (autoindex_format json) for an http-write probe, users in
# client user1.
#  1. control drills, no fault, twice (the second one finds the first one's
#     values and skips them): every write acknowledged and read back:
#     lost 0, unexpected 0, valid, nothing unsent; the reports have their
#     data-safety section.
#  2. redis killed (SIGKILL) at the end of the warm-up and restarted by its
#     init, empty: lost > 0 — exactly the writes acknowledged before the
#     kill; the lost window ends at the kill; every write acknowledged
#     after the restart survives.
source "$(dirname "$0")/lib.sh"

LAB=t-wprobe
snapshot >"$WORK/before.snap"

cat >"$WORK/dav.conf" <<'EOF'
worker_processes 1;
user root root;
pid nginx.pid;
error_log stderr warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path tmp_body;
    proxy_temp_path tmp_proxy;
    fastcgi_temp_path tmp_fastcgi;
    uwsgi_temp_path tmp_uwsgi;
    scgi_temp_path tmp_scgi;
    server {
        listen 80 reuseport;
        keepalive_requests 100000;
        location /items/ {
            root .;
            dav_methods PUT;
            create_full_put_path on;
            autoindex on;
            autoindex_format json;
        }
    }
}
EOF
cat >"$WORK/lab.yaml" <<EOF
lab: $LAB
regions:
  r1: { zones: [a, b] }
clients: [user1]
hosts:
  kv:
    zone: r1/a
    services:
      redis: { run: "redis-server --port 6379 --save '' --appendonly no --protected-mode no --dir {data}", restart: always, ready: { tcp: 6379 } }
  web:
    zone: r1/b
    services:
      nginx: { run: "nginx -p {data} -c {lab}/dav.conf -g 'daemon off;'", restart: always, ready: { tcp: 80 } }
EOF
cat >"$WORK/control.yaml" <<'EOF'
scenario: t-write-control
class: software
probes:
  kv:
    redis: { addr: kv, key: zf-test }
    from: user1
    rate: 100
    timeout: 1s
    settle: 1s
    expect: { lost: "== 0", unexpected: "== 0", valid: "== true", acknowledged: ">= 550" }
  items:
    http-write: { url: "http://web/items/", method: PUT }
    from: user1
    rate: 50
    timeout: 1s
    settle: 1s
    expect: { lost: "== 0", unexpected: "== 0", valid: "== true", acknowledged: ">= 275" }
warmup: 3s
cooldown: 3s
EOF
cat >"$WORK/kill.yaml" <<'EOF'
scenario: t-write-kill
class: software
probes:
  kv:
    redis: { addr: kv, key: zf-test }
    from: user1
    rate: 100
    timeout: 1s
    settle: 1s
    expect: { lost: "> 0", unexpected: "== 0" }
warmup: 4s
steps:
  - { at: 0s, do: kill, target: "service redis" }
cooldown: 4s
EOF

lab_up "$LAB" "$WORK/lab.yaml"

# drill SCENARIO: run it, expect exit 0, set J to its run.json
drill() {
  local rc=0
  rm -rf "$WORK/runs"
  zf run "$WORK/$1" --lab "$LAB" --runs "$WORK/runs" >"$WORK/run.out" 2>&1 || rc=$?
  [ $rc -eq 0 ] || { cat "$WORK/run.out" >&2; fail "$1: exit $rc, expected 0"; }
  RUN=$(ls -d "$WORK"/runs/*/ | head -1)
  J="$RUN/run.json"
}
p() { json_get "$J" "$1"; }

for round in 1 2; do
  drill control.yaml
  for i in 0 1; do
    name=$(p "j['probes'][$i]['name']")
    [ "$(p "j['probes'][$i]['check']['verdict']")" = valid ] || fail "control $round: $name not valid"
    [ "$(p "j['probes'][$i]['ledger']['final_read']['state']")" = done ] || fail "control $round: $name: no final read"
    res=$(p "(lambda c: (c['lost'], c['unexpected'], c['failed'], c['unknown'], c['recovered']))(j['probes'][$i]['check'])")
    [ "$res" = "(0, 0, 0, 0, 0)" ] || fail "control $round: $name lost/unexpected/failed/unknown/recovered $res"
    ack=$(p "j['probes'][$i]['check']['acknowledged']")
    att=$(p "j['probes'][$i]['check']['attempted']")
    req=$(p "j['probes'][$i]['requests']")
    [ "$ack" = "$att" ] && [ "$att" = "$req" ] || fail "control $round: $name acknowledged $ack, attempted $att, requests $req"
    [ "$(p "j['probes'][$i]['write']['not_sent']")" = 0 ] || fail "control $round: $name: writes not sent"
    earlier=$(p "j['probes'][$i]['write']['earlier_values']")
    if [ $round = 2 ] && [ "$earlier" -lt 270 ]; then fail "control 2: $name skipped only $earlier values of run 1"; fi
    ok "control $round: $name wrote $ack values, all read back (earlier runs' values skipped: $earlier)"
  done
  grep -q "^## Data safety" "$RUN/report.md" || fail "report.md has no data-safety section"
  grep -q "Data safety</h2>" "$RUN/report.html" || fail "report.html has no data-safety section"
  grep -q 'testcase classname="t-write-control" name="lost == 0"' "$RUN/junit.xml" || fail "junit.xml lacks the lost == 0 case"
done
zf report "$RUN" --format md | grep -q "| kv | kv: SADD zf-test | VALID | " || fail "report from run.json lacks the data-safety row"
ok "reports: data-safety section in report.md, report.html, junit.xml; re-rendered from run.json"

drill kill.yaml
python3 - "$J" <<'PY' || fail "kill drill: see above"
import json, sys
j = json.load(open(sys.argv[1]))
p = j['probes'][0]
c, led, ev = p['check'], p['ledger'], j['events'][0]
kill = ev['t_actual_s'] * 1e9
slack = (ev['apply_ms'] + 5) * 1e6
ok_before = [w for w in led['writes'] if w[6] == 'ok' and w[5] <= kill + slack]
ok_after = [w for w in led['writes'] if w[6] == 'ok' and w[4] > kill + 2e9]
lost = set(c['lost_ids'])
print(f"  kill at {kill/1e9:.3f}s: acknowledged before {len(ok_before)}, lost {c['lost']}, "
      f"failed {c['failed']}, unknown {c['unknown']}, window {c['lost_window']}")
assert c['verdict'] == 'invalid' and c['lost'] > 0, 'nothing lost'
assert c['unexpected'] == 0, 'unexpected values'
# exactly what was acknowledged before the kill is lost
assert c['lost'] == len(ok_before), f"lost {c['lost']} != acknowledged before the kill {len(ok_before)}"
first, last = c['lost_window']['first'], c['lost_window']['last']
assert last['complete_s'] * 1e9 <= kill + slack, 'a write acknowledged after the kill was lost'
assert first['invoke_s'] < 1.0, 'the loss does not reach back to the start'
v = p['write']['lost_vs_faults']
assert v['end_after_on_s'] <= slack / 1e9 and v['start_after_on_s'] < 0, v
# the restarted server keeps what it acknowledges
assert len(ok_after) > 150 and not any(w[0] in lost for w in ok_after)
print(f"  lost window {first['invoke_s']:.3f}s..{last['complete_s']:.3f}s, "
      f"ends {v['end_after_on_s']*1e3:.1f} ms after the kill began (applied in {ev['apply_ms']:.1f} ms); "
      f"{len(ok_after)} writes acknowledged after the restart all survived")
PY
ok "kill drill: every write acknowledged before the kill was lost, nothing after it"

ZF_LABS_TO_REMOVE=()
zf down "$LAB" >/dev/null
assert_same_snapshot "$WORK/before.snap" "after the drills"
