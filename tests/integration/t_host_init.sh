#!/usr/bin/env bash
# t_host_init.sh - zonefall-init as a real PID 1.
#
# Each case runs the init with `unshare --pid --fork --mount-proc` (plus a
# private network namespace with lo up, so the fixed test ports never clash)
# in its own directory under /var/tmp (the sandbox hides /tmp and /run),
# talks to it with socat, and reads its init log. Services are python3
# scripts from host_init/svc.py and coreutils. Runs as root; needs socat,
# python3, valgrind, ip. ZF_INIT names the binary; ZF_VALGRIND=0 skips the
# valgrind case (for sanitizer builds); ZF_KEEP=1 keeps the work directory.
#
# Every process and cgroup the test creates is removed by the EXIT trap.
set -euo pipefail

ZF_INIT=${ZF_INIT:-/work/main/build/zonefall-init}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
H=$HERE/host_init
PY=/usr/bin/python3
WORK=
PIDS=()        # background jobs not yet waited for
CGROOTS=()     # cgroup directories we created

fail() {
	echo "FAIL: $*" >&2
	if [ -n "${CUR:-}" ] && [ -f "$CUR/init.log" ]; then
		echo "---- $CUR/init.log (last 40 lines) ----" >&2
		tail -n 40 "$CUR/init.log" >&2
	fi
	exit 1
}
pass() { echo "ok - $*"; }

cleanup() {
	local rc=$? p c d r
	set +e
	for p in ${PIDS[@]+"${PIDS[@]}"}; do
		for c in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do
			kill -KILL "$c" 2>/dev/null
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for r in ${CGROOTS[@]+"${CGROOTS[@]}"}; do
		for d in "$r"/*/; do [ -d "$d" ] && rmdir "$d"; done
		rmdir "$r"
	done
	[ -n "$WORK" ] && [ -z "${ZF_KEEP:-}" ] && rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || fail "must run as root"
for tool in socat unshare valgrind ip "$PY"; do
	command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
[ -x "$ZF_INIT" ] || fail "no init binary at $ZF_INIT (set ZF_INIT)"
WORK=$(mktemp -d /var/tmp/zf-t-host-init.XXXXXX)

# ---- helpers -------------------------------------------------------------

zfh() { "$PY" "$H/zfh.py" "$@"; }

# ctl REQUEST: one request on $CUR's control socket; prints the reply line.
ctl() { printf '%s\n' "$1" | socat -t 5 - "UNIX-CONNECT:$CUR/ctl.sock"; }

field() { ctl status | zfh field "$1" "$2"; }
state_is() { [ "$(field "$1" state)" = "$2" ]; }
log_has() { grep -q -- "$1" "$CUR/init.log"; }
log_count() { zfh count "$CUR/init.log" "$1"; }
ts() { zfh ts "$CUR/init.log" "$@"; }

expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }

expect_reply() { # expect_reply REQUEST EXPECTED_JSON
	local got
	got=$(ctl "$1")
	[ "$got" = "$2" ] || fail "'$1': expected reply $2, got $got"
}

# wait_until SECONDS DESCRIPTION CMD...: poll CMD every 100ms.
wait_until() {
	local limit=$1 desc=$2 end
	shift 2
	end=$((SECONDS + limit))
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || fail "waited ${limit}s for: $desc"
		sleep 0.1
	done
}

# cgroups NAME SVC...: a test cgroup with "init" and "svc-SVC" leaves under
# each hierarchy we use (cgroup v2, or the v1 freezer and pids); sets
# CG_JSON to the list of roots for the config.
cgroups() {
	local name=$1 roots=() r s
	shift
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		roots=("/sys/fs/cgroup/$name")
	else
		for r in freezer pids; do
			[ -d "/sys/fs/cgroup/$r" ] && roots+=("/sys/fs/cgroup/$r/$name")
		done
	fi
	CG_JSON=
	for r in "${roots[@]}"; do
		mkdir "$r"
		CGROOTS+=("$r")
		mkdir "$r/init"
		for s in "$@"; do mkdir "$r/svc-$s"; done
		CG_JSON="${CG_JSON:+$CG_JSON,}\"$r\""
	done
	CG_JSON="[$CG_JSON]"
}

# write_cfg SANDBOX CGROUPS SERVICES: $CUR/cfg.json
write_cfg() {
	cat >"$CUR/cfg.json" <<EOF
{"lab": "t", "host": "web-a", "domain": "lab", "ip": "127.0.0.1",
 "data_dir": "$CUR/data", "log_dir": "$CUR/data/log",
 "ctl_path": "$CUR/ctl.sock", "sandbox": $1,
 "hosts_file": "$CUR/hosts", "resolv_file": "$CUR/resolv.conf",
 "cgroups": $2, "keep": ["$H"], "services": [$3]}
EOF
}

# launch [WRAPPER...]: run the init of $CUR as PID 1 of new PID, mount and
# network namespaces (more with $LAUNCH_NS), after the shell snippet
# $LAUNCH_PRE; stdout/stderr go to $CUR/init.log. Sets JOB (the unshare
# process) and INIT_PID (the init, as seen from here), and waits for the
# control socket.
launch() {
	local i
	unshare ${LAUNCH_NS:---net --pid --fork --mount-proc} -- \
		sh -c "ip link set lo up && ${LAUNCH_PRE:-true} && exec \"\$@\"" \
		sh "$@" "$ZF_INIT" "$CUR/cfg.json" >>"$CUR/init.log" 2>&1 </dev/null &
	JOB=$!
	PIDS+=("$JOB")
	INIT_PID=
	for i in $(seq 100); do
		INIT_PID=$(cut -d' ' -f1 "/proc/$JOB/task/$JOB/children" 2>/dev/null || true)
		[ -n "$INIT_PID" ] && break
		sleep 0.05
	done
	[ -n "$INIT_PID" ] || fail "the init did not start"
	wait_until 30 "control socket of $CUR" socket_or_dead
	kill -0 "$JOB" 2>/dev/null || fail "the init exited during start-up"
}
socket_or_dead() { [ -S "$CUR/ctl.sock" ] || ! kill -0 "$JOB" 2>/dev/null; }

# finish SECONDS: wait for $JOB to end; sets JOB_RC.
finish() {
	wait_until "$1" "the init to exit" job_gone
	JOB_RC=0
	wait "$JOB" || JOB_RC=$?
	forget "$JOB"
}
job_gone() { ! kill -0 "$JOB" 2>/dev/null; }

procs_in() { grep -q . "$1/cgroup.procs"; }   # cgroupfs sizes read 0
no_procs_in() { ! procs_in "$1"; }
# restarted SVC OLDPID: running again, with another pid.
restarted() { state_is "$1" running && [ "$(field "$1" pid)" != "$2" ]; }
log_at_least() { [ "$(log_count "$2")" -ge "$1" ]; }
file_lines_at_least() { [ "$(wc -l <"$2" 2>/dev/null || echo 0)" -ge "$1" ]; }

# forget PID: a background job that was waited for.
forget() {
	local keep=() p
	for p in ${PIDS[@]+"${PIDS[@]}"}; do [ "$p" = "$1" ] || keep+=("$p"); done
	PIDS=(${keep[@]+"${keep[@]}"})
}

# ---- A: supervision, control socket, shutdown ------------------------------

CUR=$WORK/a
mkdir -p "$CUR"
svc=(db app steady okzero failonce once ghost ghostno forker stubborn)
cgroups "zf-t-host-init-$$-a" "${svc[@]}"
CHECK="import socket; socket.create_connection(('127.0.0.1', 7001), 1).close()"
write_cfg false "$CG_JSON" "
 {\"name\": \"db\", \"argv\": [\"python3\", \"$H/svc.py\", \"tcp\", \"7001\", \"0.7\"],
  \"restart\": \"always\", \"ready\": {\"tcp\": 7001, \"timeout_ms\": 10000, \"interval_ms\": 100}},
 {\"name\": \"app\", \"argv\": [\"sleep\", \"1000000\"], \"restart\": \"always\", \"after\": [\"db\"],
  \"ready\": {\"exec\": [\"python3\", \"-c\", \"$CHECK\"], \"timeout_ms\": 10000, \"interval_ms\": 100}},
 {\"name\": \"steady\", \"argv\": [\"sleep\", \"1000000\"], \"restart\": \"always\"},
 {\"name\": \"okzero\", \"argv\": [\"python3\", \"-c\", \"import time; time.sleep(0.2)\"], \"restart\": \"on-failure\"},
 {\"name\": \"failonce\", \"argv\": [\"python3\", \"$H/svc.py\", \"count\", \"$CUR/failonce.n\", \"1\", \"0\"],
  \"restart\": \"on-failure\"},
 {\"name\": \"once\", \"argv\": [\"python3\", \"-c\", \"import sys; sys.exit(1)\"], \"restart\": \"no\"},
 {\"name\": \"ghost\", \"argv\": [\"/nonexistent/zf-ghost\"], \"restart\": \"on-failure\"},
 {\"name\": \"ghostno\", \"argv\": [\"/nonexistent/zf-ghost\"], \"restart\": \"no\"},
 {\"name\": \"forker\", \"argv\": [\"python3\", \"$H/svc.py\", \"forker\", \"$CUR/orphans\", \"3\"],
  \"restart\": \"always\"},
 {\"name\": \"stubborn\", \"argv\": [\"python3\", \"$H/svc.py\", \"stubborn\"], \"restart\": \"always\"}"
launch
CG1=${CGROOTS[0]}

# Start order: app waits for db's tcp check, then passes its exec check.
wait_until 20 "app running" state_is app running
expect_eq "$(ctl status | zfh get pid)" 1 "the init's pid in its namespace"
log_has 'web-a/app: waiting for its "after" dependencies' || fail "app did not wait"
db_start=$(ts 'web-a/db: started pid')
db_ready=$(ts 'web-a/db: ready after')
app_start=$(ts 'web-a/app: started pid')
[ "$app_start" -ge "$db_ready" ] || fail "app started ($app_start) before db was ready ($db_ready)"
[ $((app_start - db_start)) -ge 650 ] ||
	fail "app started $((app_start - db_start))ms after db, but db listens only after 700ms"
log_has 'web-a/app: ready after' || fail "app's exec readiness check never passed"
expect_eq "$(field db ready)" true "db ready"
pass "start order: app started $((app_start - db_start))ms after db, after db's tcp check"

# Cgroups: the init in <cg>/init, each service in <cg>/svc-NAME.
for r in "${CGROOTS[@]}"; do
	grep -qx "$INIT_PID" "$r/init/cgroup.procs" || fail "init not in $r/init"
	for s in db app steady; do procs_in "$r/svc-$s" || fail "$s not in $r/svc-$s"; done
done
pass "cgroups: init and services in their leaves"

# restart=always after kill, with the back-off doubling: 100, 200, 400ms.
for sig in TERM SIGTERM 15; do
	old=$(field steady pid)
	expect_reply "kill steady $sig" '{"ok":true}'
	wait_until 5 "steady restarted after kill $sig" restarted steady "$old"
done
expect_eq "$(field steady restarts)" 3 "steady restarts"
expect_eq "$(field steady last_exit)" "signal 15" "steady last_exit"
mapfile -t gaps < <(zfh backoff "$CUR/init.log" steady)
expect_eq "${#gaps[@]}" 3 "number of steady restarts in the log"
want=(100 200 400)
for i in 0 1 2; do
	read -r delay gap <<<"${gaps[$i]}"
	expect_eq "$delay" "${want[$i]}" "back-off #$((i + 1))"
	[ "$gap" -ge $((delay - 5)) ] && [ "$gap" -le $((delay + 300)) ] ||
		fail "back-off #$((i + 1)): restarted after ${gap}ms, expected ~${delay}ms"
done
pass "restart=always: back-off ${gaps[*]} (delay gap, ms)"

# on-failure: a clean exit stays down, exit 1 restarts; no: stays down.
wait_until 5 "okzero exited" state_is okzero exited
expect_eq "$(field okzero restarts)" 0 "okzero restarts"
expect_eq "$(field okzero last_exit)" "exit 0" "okzero last_exit"
wait_until 5 "failonce exited" state_is failonce exited
expect_eq "$(field failonce restarts)" 1 "failonce restarts"
expect_eq "$(field failonce last_exit)" "exit 0" "failonce last_exit"
expect_eq "$(log_count 'failonce: exited with status 1, restart in 100ms')" 1 "failonce restart line"
expect_eq "$(field once state)" exited "once state"
expect_eq "$(field once restarts)" 0 "once restarts"
expect_eq "$(field once last_exit)" "exit 1" "once last_exit"
log_has 'web-a/once: exited with status 1, not restarting (restart=no)' || fail "once: no exit line"
pass "restart=on-failure and restart=no"

# A missing binary: reported, retried per policy, the init carries on.
wait_until 10 "ghost retried 3 times" log_at_least 3 \
	'ghost: failed to start /nonexistent/zf-ghost: No such file or directory, restart in'
expect_eq "$(field ghost last_error)" "exec: No such file or directory" "ghost last_error"
expect_eq "$(field ghost pid)" 0 "ghost pid"
expect_eq "$(field ghostno state)" exited "ghostno state"
expect_eq "$(log_count 'ghostno: failed to start')" 1 "ghostno attempts"
kill -0 "$INIT_PID" || fail "init died"
pass "exec failure: logged, retried (on-failure), not retried (no)"

# Orphaned grandchildren are adopted and reaped by PID 1.
wait_until 10 "3 orphans reported" file_lines_at_least 3 "$CUR/orphans"
expect_eq "$(sort -u "$CUR/orphans")" 1 "parent of the orphans"
sleep 0.5
zombies=$(zfh zombies "$INIT_PID")
[ -z "$zombies" ] || fail "zombies left under the init: $zombies"
pass "orphans adopted by PID 1 and reaped (no <defunct>)"

# Commands.
expect_reply "stop steady" '{"ok":true}'
wait_until 7 "steady stopped" state_is steady stopped
expect_eq "$(field steady pid)" 0 "stopped steady pid"
wait_until 2 "steady's cgroup empty" no_procs_in "$CG1/svc-steady"
sleep 0.3
expect_eq "$(field steady state)" stopped "steady stays stopped"
expect_reply "stop steady" '{"ok":true}'
expect_reply "kill steady TERM" '{"ok":false,"error":"service '"'steady'"' is not running"}'
expect_reply "start steady" '{"ok":true}'
wait_until 3 "steady running" state_is steady running
expect_reply "start steady" '{"ok":false,"error":"service '"'steady'"' is already running"}'
r0=$(field steady restarts)
old=$(field steady pid)
expect_reply "restart steady" '{"ok":true}'
wait_until 7 "steady restarted" restarted steady "$old"
expect_eq "$(field steady restarts)" $((r0 + 1)) "restarts after restart"
expect_reply "kill nosuch TERM" '{"ok":false,"error":"no service '"'nosuch'"'"}'
expect_reply "kill steady BOGUS" '{"ok":false,"error":"unknown signal '"'BOGUS'"'"}'
expect_reply "kill steady" '{"ok":false,"error":"usage: kill NAME SIG"}'
expect_reply "frobnicate" '{"ok":false,"error":"unknown command '"'frobnicate'"'; commands: status, kill, restart, stop, start, override, shutdown"}'
expect_reply "override" '{"ok":false,"error":"usage: override NAME [JSON]"}'
expect_reply 'override nosuch {}' '{"ok":false,"error":"no service '"'nosuch'"'"}'
expect_reply 'override steady {"argv":[]}' '{"ok":false,"error":"override: argv: expected an array of 1 to 256 strings"}'
expect_reply 'override steady {"env":["ZF_T=1"]}' '{"ok":true}'
ctl status | grep -q '"override":{"env":\["ZF_T=1"\]}' || fail "status does not show the override"
expect_reply 'override steady' '{"ok":true}'
ctl status | grep -q '"override":{' && fail "the override was not cleared"
expect_reply "start once" '{"ok":true}'
wait_until 3 "once exited again" log_at_least 2 'once: exited with status 1'
expect_reply "kill app KILL" '{"ok":true}'
wait_until 5 "app back after kill" state_is app running
expect_eq "$(field app last_exit)" "signal 9" "app last_exit"
pass "stop/start/restart/kill and error replies"

# A client that sends nothing cannot block the loop; long requests are cut.
"$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
t = time.time()
s.recv(4096)
print(int((time.time() - t) * 1000))
' "$CUR/ctl.sock" >"$CUR/silent.out" &
SILENT=$!
PIDS+=("$SILENT")
sleep 0.2
t0=$(date +%s%N)
ctl status >/dev/null
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -lt 1000 ] || fail "status took $(((t1 - t0) / 1000000))ms beside a silent client"
wait "$SILENT" || fail "silent client failed"
forget "$SILENT"
waited=$(cat "$CUR/silent.out")
[ "$waited" -ge 1800 ] && [ "$waited" -le 3500 ] || fail "silent client closed after ${waited}ms, expected ~2000"
long=$(head -c 5000 /dev/zero | tr '\0' a | socat -t 5 - "UNIX-CONNECT:$CUR/ctl.sock")
expect_eq "$long" '{"ok":false,"error":"request longer than 4096 bytes"}' "long request"
pass "silent client timed out after ${waited}ms without blocking; long request refused"

# stop escalates to SIGKILL after 5s for a service that ignores SIGTERM.
expect_reply "stop stubborn" '{"ok":true}'
expect_eq "$(field stubborn state)" stopping "stubborn state"
wait_until 9 "stubborn stopped" state_is stubborn stopped
t_term=$(ts 'stubborn: stopping pid')
t_kill=$(ts 'stubborn: stopped \(killed by signal 9\)')
[ $((t_kill - t_term)) -ge 4900 ] || fail "stubborn SIGKILLed after $((t_kill - t_term))ms"
log_has 'stubborn: still running 5000ms after SIGTERM; sending SIGKILL' || fail "no SIGKILL line"
pass "stop: SIGKILL after $((t_kill - t_term))ms"

# shutdown: reply first, services stopped in reverse order, exit 0.
expect_reply "shutdown" '{"ok":true}'
finish 20
expect_eq "$JOB_RC" 0 "exit status after shutdown"
zfh order "$CUR/init.log" 'web-a: shutting down' 'forker: stopping pid' \
	'steady: stopping pid' 'app: stopping pid' 'db: stopping pid' \
	'web-a: all services stopped; exiting' || fail "shutdown order"
[ ! -e "$CUR/ctl.sock" ] || fail "control socket left behind"
for r in "${CGROOTS[@]}"; do
	for s in "${svc[@]}"; do no_procs_in "$r/svc-$s" || fail "processes left in $r/svc-$s"; done
done
pass "shutdown: reverse order, exit 0, nothing left"

# ---- B: bad configurations -----------------------------------------------

CUR=$WORK/b
mkdir -p "$CUR"
write_cfg false '[]' '
 {"name": "db", "argv": ["sleep", "1"], "restart": "always"},
 {"name": "web", "argv": ["sleep", "1"], "restart": "no", "after": ["db"], "ready": {"tcp": 80}}'
bad() { # bad WHAT EXPECTED PATH VALUE
	local out rc=0
	zfh mutate "$CUR/cfg.json" "$3" "$4" >"$CUR/bad.json"
	out=$("$ZF_INIT" "$CUR/bad.json" 2>&1) || rc=$?
	expect_eq "$rc" 2 "exit status for $1"
	[[ "$out" == *"$2"* ]] || fail "$1: message does not name the field: $out"
	[ ! -e "$CUR/ctl.sock" ] || fail "$1: the socket was created"
}
bad "bad restart" 'services[0].restart: expected "always", "on-failure" or "no"' services.0.restart '"sometimes"'
bad "missing host" 'bad.json: host: missing' host DELETE
bad "bad ip" 'ip: expected an IPv4 or IPv6 address' ip '"999.1.1.1"'
bad "forward after" 'services[0].after[0]: "web" is not a service listed before "db"' services.0.after '["web"]'
bad "unknown key" 'servces: unknown key' servces '[]'
bad "tcp and exec" 'services[1].ready: expected exactly one of "tcp" and "exec"' services.1.ready '{"tcp": 80, "exec": ["true"]}'
bad "port range" 'services[1].ready.tcp: expected an integer from 1 to 65535' services.1.ready.tcp 70000
bad "bad env" 'services[0].env[0]: expected "KEY=VALUE"' services.0.env '["NOEQUALS"]'
bad "duplicate name" 'services[1].name: duplicate service name "db"' services.1.name '"db"'
bad "relative path" 'data_dir: expected an absolute path' data_dir '"data"'
bad "sandbox type" 'sandbox: expected true or false' sandbox '"yes"'
bad "empty argv" 'services[0].argv: expected 1 to 256 entries, got 0' services.0.argv '[]'
bad "name with slash" 'services[0].name: expected a name' services.0.name '"../x"'
bad "interval range" 'services[1].ready.interval_ms: expected an integer' services.1.ready.interval_ms 0
printf '{"lab": "t",\n "host": }' >"$CUR/syntax.json"
out=$("$ZF_INIT" "$CUR/syntax.json" 2>&1) && fail "syntax error accepted"
[[ "$out" == *"syntax.json:2:"* ]] || fail "syntax error without position: $out"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$CUR/big.json"
out=$("$ZF_INIT" "$CUR/big.json" 2>&1) && fail "1.1 MB config accepted"
[[ "$out" == *"larger than 1048576 bytes"* ]] || fail "big config: $out"
rc=0; out=$("$ZF_INIT" 2>&1) || rc=$?
expect_eq "$rc" 2 "exit status without arguments"
[[ "$out" == *"usage: zonefall-init CONFIG.json"* ]] || fail "no usage line: $out"
rc=0; out=$("$ZF_INIT" "$CUR/missing.json" 2>&1) || rc=$?
expect_eq "$rc" 2 "exit status for a missing file"
[[ "$out" == *"missing.json: No such file or directory"* ]] || fail "missing file: $out"
pass "bad configs: exit 2 naming the field, nothing created"

# ---- C: SIGTERM to the init is a graceful shutdown ---------------------------

CUR=$WORK/c
mkdir -p "$CUR"
write_cfg false '[]' '{"name": "steady", "argv": ["sleep", "1000000"], "restart": "always"}'
launch
wait_until 5 "steady running" state_is steady running
kill -TERM "$INIT_PID"
finish 10
expect_eq "$JOB_RC" 0 "exit status after SIGTERM"
zfh order "$CUR/init.log" 'web-a: received SIGTERM' 'web-a: shutting down' \
	'steady: stopped \(killed by signal 15\)' 'web-a: all services stopped; exiting' ||
	fail "SIGTERM shutdown lines"
pass "SIGTERM: graceful shutdown, exit 0"

# ---- D: sandbox (with /etc/resolv.conf a symlink into /run) -------------------

CUR=$WORK/d
mkdir -p "$CUR/etc"
printf '192.0.2.10 web-a.lab web-a\n' >"$CUR/hosts"
printf 'nameserver 192.0.2.53\n' >"$CUR/resolv.conf"
cp /etc/hosts /etc/passwd /etc/group "$CUR/etc/"
[ -f /etc/ld.so.cache ] && cp /etc/ld.so.cache "$CUR/etc/"
ln -s ../run/zf-stub/resolv.conf "$CUR/etc/resolv.conf"
cgroups "zf-t-host-init-$$-d" report
write_cfg true "$CG_JSON" "{\"name\": \"report\", \"argv\": [\"python3\", \"$H/svc.py\", \"report\", \"$CUR/report.json\"],
  \"env\": [\"ZF_IP=192.0.2.99\", \"EXTRA=1\"], \"restart\": \"no\"}"
# The kept directory ($H, the test's scripts) stays visible: when it is
# under /tmp, the fresh /tmp holds just the way to it.
want_tmp='[]'
case $H in /tmp/*) want_tmp="[\"$(echo "${H#/tmp/}" | cut -d/ -f1)\"]" ;; esac
machine_hosts=$(md5sum </etc/hosts)
machine_name=$(hostname)
LAUNCH_NS="--net --uts --pid --fork --mount-proc" \
LAUNCH_PRE="mount -t tmpfs tmpfs /run && mkdir /run/zf-stub && echo 'nameserver 203.0.113.1' >/run/zf-stub/resolv.conf && mount --bind $CUR/etc /etc" \
	launch
wait_until 10 "sandbox report" test -f "$CUR/report.json"
zfh report "$CUR/report.json" hostname='"web-a"' hosts='"192.0.2.10 web-a.lab web-a\n"' \
	resolv='"nameserver 192.0.2.53\n"' tmp="$want_tmp" tmp_mode='"0o1777"' run_mode='"0o755"' \
	tmp_fs='"tmpfs"' run_fs='"tmpfs"' pid1="\"$ZF_INIT\"" net='["lo"]' cwd="\"$CUR/data\"" \
	env="{\"PATH\": \"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOME\": \"$CUR/data\", \"HOSTNAME\": \"web-a\", \"ZF_LAB\": \"t\", \"ZF_HOST\": \"web-a\", \"ZF_IP\": \"192.0.2.99\", \"EXTRA\": \"1\"}" ||
	fail "sandbox as seen by a service"
r=${CGROOTS[${#CGROOTS[@]} - 1]}
grep -qx "$INIT_PID" "$r/init/cgroup.procs" || fail "sandboxed init not in $r/init"
procs_in "$r/svc-report" || fail "sandboxed service not in $r/svc-report"
expect_reply "shutdown" '{"ok":true}'
finish 10
expect_eq "$JOB_RC" 0 "exit status of the sandboxed init"
expect_eq "$(md5sum </etc/hosts)" "$machine_hosts" "the machine's /etc/hosts"
expect_eq "$(hostname)" "$machine_name" "the machine's hostname"
pass "sandbox: hostname, hosts, resolv.conf via symlink, fresh /tmp /run /proc /sys, env, cgroups"

# ---- E: valgrind on a short scenario ------------------------------------------

if [ "${ZF_VALGRIND:-1}" = 0 ]; then
	echo "t_host_init: all passed (valgrind case skipped: ZF_VALGRIND=0)"
	exit 0
fi

CUR=$WORK/e
mkdir -p "$CUR"
write_cfg false '[]' "
 {\"name\": \"db\", \"argv\": [\"python3\", \"$H/svc.py\", \"tcp\", \"7002\", \"0.3\"], \"restart\": \"always\",
  \"ready\": {\"tcp\": 7002, \"timeout_ms\": 20000, \"interval_ms\": 100}},
 {\"name\": \"app\", \"argv\": [\"sleep\", \"1000000\"], \"restart\": \"always\", \"after\": [\"db\"],
  \"env\": [\"A=1\"], \"ready\": {\"exec\": [\"true\"], \"timeout_ms\": 20000, \"interval_ms\": 100}},
 {\"name\": \"ghost\", \"argv\": [\"/nonexistent/zf-ghost\"], \"restart\": \"on-failure\"},
 {\"name\": \"once\", \"argv\": [\"false\"], \"restart\": \"no\"}"
launch valgrind --log-file="$CUR/vg.log" --leak-check=full \
	--show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible \
	--error-exitcode=99 --child-silent-after-fork=yes
wait_until 40 "app running under valgrind" state_is app running
old=$(field app pid)
expect_reply "kill app TERM" '{"ok":true}'
wait_until 10 "app restarted" restarted app "$old"
expect_reply "restart db" '{"ok":true}'
wait_until 10 "db running again" state_is db running
expect_reply "stop app" '{"ok":true}'
wait_until 10 "app stopped" state_is app stopped
expect_reply "start app" '{"ok":true}'
wait_until 10 "app running again" state_is app running
expect_reply "nope" '{"ok":false,"error":"unknown command '"'nope'"'; commands: status, kill, restart, stop, start, override, shutdown"}'
expect_reply "shutdown" '{"ok":true}'
finish 30
grep -q 'ERROR SUMMARY: 0 errors' "$CUR/vg.log" || { cat "$CUR/vg.log" >&2; fail "valgrind reported errors"; }
expect_eq "$JOB_RC" 0 "exit status under valgrind"
pass "valgrind: no errors, no leaks"

echo "t_host_init: all passed"
