#!/usr/bin/env bash
# Disk I/O faults: disk-slow adds its delay to every write and fsync of a
# host's data directory inside the host only (measured: write+fsync before,
# during, after, inside and from the machine); disk-error makes writes fail
# with EIO inside the host only, at about the configured rate; revert
# removes the FUSE mount and its daemon and writes are fast and succeed
# again; `zonefall status` shows what the daemon delayed or failed;
# disk-fill on a host under a disk fault is refused;
# `recover` after SIGKILL of `inject` (applied or half-way) leaves nothing;
# the machine is as before. Lab: tests/labs/good/diskio.yaml.
source "$(dirname "$0")/lib.sh"

LAB=t-diskio
LABFILE=$ZF_SRC/tests/labs/good/diskio.yaml
D=/var/lib/zonefall/$LAB/db-a
snapshot >"$WORK/before.snap"

lab_up $LAB "$LABFILE"
Z() { zf "$1" --lab $LAB "${@:2}"; }
active_faults() {
  zf status $LAB --json >"$WORK/st.json"
  json_get "$WORK/st.json" 'len(j["labs"][0]["faults"])'
}
host_mounted() { zf exec $LAB/db-a -- grep -c ' - fuse.zonefall-diskfs ' /proc/self/mountinfo || true; }
daemons() { # zonefall-diskfs processes of this lab (in its fault cgroups)
  local n=0 f
  for f in $(find /sys/fs/cgroup -path "*zonefall/$LAB/*/fault-*" -name cgroup.procs 2>/dev/null); do
    n=$((n + $(wc -l <"$f")))
  done
  echo $n
}
# What status says the fault delivered, read a little after the daemon's
# 200 ms rewrite of its counters; "" when nothing.
delivered() {
  sleep 0.5
  zf status $LAB --json >"$WORK/st.json"
  json_get "$WORK/st.json" 'j["labs"][0]["faults"][0]["delivered"] or ""'
}
assert_clean() { # assert_clean WHAT
  [ "$(host_mounted)" = 0 ] || fail "$1: the FUSE mount is still in the host"
  [ "$(daemons)" = 0 ] || fail "$1: zonefall-diskfs still runs"
  [ -z "$(find /sys/fs/cgroup -path "*zonefall/$LAB/*/fault-*" 2>/dev/null)" ] || fail "$1: fault cgroups left"
  [ ! -e /run/zonefall/$LAB/h/db-a/diskio ] || fail "$1: state file left"
}

# Median milliseconds of N (write 4 KiB + fsync) to DIR/FILE.
cat >"$WORK/wf.py" <<'PY'
import os, statistics, sys, time
d, n = sys.argv[1], int(sys.argv[2])
fd = os.open(os.path.join(d, "wf.bin"), os.O_WRONLY | os.O_CREAT, 0o644)
t = []
for i in range(n):
    t0 = time.monotonic()
    os.pwrite(fd, b"x" * 4096, i * 4096)
    os.fsync(fd)
    t.append((time.monotonic() - t0) * 1000)
os.close(fd)
print("%.2f" % statistics.median(t))
PY
# Out of N one-byte writes, how many failed with EIO (any other error fails).
cat >"$WORK/err.py" <<'PY'
import errno, os, sys
d, n = sys.argv[1], int(sys.argv[2])
fd = os.open(os.path.join(d, "err.bin"), os.O_WRONLY | os.O_CREAT, 0o644)
bad = 0
for i in range(n):
    try:
        os.pwrite(fd, b"e", i)
    except OSError as e:
        if e.errno != errno.EIO:
            raise
        bad += 1
print(bad)
PY
PYDIR=$D/.zf-test
mkdir -p "$PYDIR"
cp "$WORK/wf.py" "$WORK/err.py" "$PYDIR/"
in_host() { zf exec $LAB/db-a -- python3 "$PYDIR/$1" "$D" "${@:2}"; }
on_machine() { python3 "$PYDIR/$1" "$D" "${@:2}"; }
ge() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" "$@"; }

# ---- argument errors change nothing ---------------------------------------
for bad in "disk-slow|50" "disk-slow|" "disk-slow|11s" "disk-slow|5ms scribble" \
           "disk-error|200%" "disk-error|10% EFOO" "disk-error|10% 20%"; do
  IFS='|' read -r k a <<<"$bad"
  if Z inject "$k" 'host db-a' ${a:+"$a"} 2>"$WORK/err"; then fail "inject $k '$a' succeeded"; fi
  [ -s "$WORK/err" ] || fail "inject $k '$a': no message"
done
[ "$(active_faults)" = 0 ] || fail "a refused fault is active"
assert_clean "refused faults"
ok "bad arguments: clear errors ($(head -c 120 "$WORK/err")), nothing applied"

# ---- disk-slow ---------------------------------------------------------------
base_in=$(in_host wf.py 20); base_out=$(on_machine wf.py 20)
Z inject disk-slow 'host db-a' 50ms >"$WORK/inj.out" || fail "disk-slow: $(cat "$WORK/inj.out")"
[ "$(host_mounted)" = 1 ] || fail "no FUSE mount in the host"
grep -q "zonefall-diskfs" /proc/self/mountinfo && fail "the FUSE mount is on the machine"
zf exec $LAB/db-b -- grep -q zonefall-diskfs /proc/self/mountinfo && fail "the FUSE mount is in another host"
[ "$(daemons)" = 1 ] || fail "expected one zonefall-diskfs, found $(daemons)"
slow_in=$(in_host wf.py 10); slow_out=$(on_machine wf.py 20)
echo "    write+fsync median: inside before ${base_in} ms, during ${slow_in} ms;" \
     "machine before ${base_out} ms, during ${slow_out} ms"
ge "$slow_in" "$(python3 -c "print($base_in + 50)")" || fail "disk-slow 50ms: ${slow_in} ms is not 50 ms more than ${base_in} ms"
ge "$(python3 -c "print($base_out + 20)")" "$slow_out" || fail "the machine is slowed too: ${slow_out} ms vs ${base_out} ms"
sleep 1
svc=$(grep '^wrote' "$D/log/writer.log" | tail -3 | awk '{print $3}' | sort -n | head -1)
echo "    the writer service's write+fsync during the fault: ${svc} ms"
ge "$svc" 50 || fail "the writer service is not on the slow mount (${svc} ms)"
ok "disk-slow 50ms: +$(python3 -c "print('%.1f' % ($slow_in - $base_in))") ms per write+fsync inside the host and for its service; the machine is not slowed"
got=$(delivered)
echo "    status: delivered: $got"
python3 - "$got" <<'PY' || fail "disk-slow: status does not report the delayed operations: '$got'"
import re, sys
m = re.fullmatch(r"disk: (\d+) operations? on 1 host, (\d+) delayed \(\+([\d.]+) ms each\)", sys.argv[1])
# wf.py's 10 writes and 10 fsyncs at least, each given the fault's 50 ms
assert m and int(m[2]) >= 20 and int(m[1]) >= int(m[2]) and 49.5 <= float(m[3]) <= 51, m
PY
zf status $LAB | grep -q "delivered: disk: " || fail "status text does not print the delivered line"
if Z inject disk-fill 'host db-a' >"$WORK/fill.out" 2>&1; then fail "disk-fill stacked on the disk fault"; fi
grep -q "covered by a disk fault" "$WORK/fill.out" || fail "disk-fill refused without saying why: $(cat "$WORK/fill.out")"
[ "$(active_faults)" = 1 ] || fail "the refused disk-fill left a fault"
ok "disk-slow: status reports the operations the daemon delayed ($got); disk-fill on top is refused"
Z revert >/dev/null || fail "revert disk-slow"
assert_clean "disk-slow revert"
after_in=$(in_host wf.py 20)
echo "    write+fsync median inside after revert: ${after_in} ms"
ge "$(python3 -c "print($base_in + 20)")" "$after_in" || fail "still slow after revert: ${after_in} ms"
ok "disk-slow revert: mount and daemon gone, write+fsync ${after_in} ms"

# ---- disk-error -------------------------------------------------------------
echo "before" >"$D/before.txt"
Z inject disk-error 'host db-a' '100% write' >/dev/null || fail "disk-error 100% write"
zf exec $LAB/db-a -- python3 -c "
import errno, os
fd = os.open('$D/new.txt', os.O_WRONLY | os.O_CREAT, 0o644)
try:
    os.write(fd, b'x')
    raise SystemExit('a write succeeded')
except OSError as e:
    assert e.errno == errno.EIO, e
" || fail "a write in the host did not fail with EIO"
[ "$(zf exec $LAB/db-a -- cat "$D/before.txt")" = before ] || fail "reads fail too"
echo machine >"$D/machine.txt" || fail "the machine cannot write there"
[ "$(on_machine err.py 100)" = 0 ] || fail "writes from the machine fail"
sleep 1
tail -2 "$D/log/writer.log" | grep -q "failed EIO" || fail "the writer service does not get EIO"
ok "disk-error 100% write: EIO for the host's commands and service; reads and the machine unaffected"
Z revert >/dev/null || fail "revert disk-error"
assert_clean "disk-error revert"

Z inject disk-error 'host db-a' '10% write' >/dev/null || fail "disk-error 10% write"
bad=$(in_host err.py 1000)
echo "    disk-error 10%: ${bad} of 1000 writes failed with EIO"
[ "$bad" -ge 60 ] && [ "$bad" -le 140 ] || fail "10% of writes should fail, $bad of 1000 did"
got=$(delivered)
failed=$(echo "$got" | sed -n 's/^disk: [0-9]* operations* on 1 host, \([0-9]*\) failed$/\1/p')
[ -n "$failed" ] && [ "$failed" -ge "$bad" ] || fail "disk-error: status says '$got', the test saw $bad failures"
Z revert >/dev/null || fail "revert disk-error 10%"
assert_clean "disk-error 10% revert"
[ "$(in_host err.py 200)" = 0 ] || fail "writes fail after revert"
wait_ok=0
for _ in $(seq 1 30); do tail -1 "$D/log/writer.log" | grep -q '^wrote' && { wait_ok=1; break; }; sleep 0.1; done
[ $wait_ok = 1 ] || fail "the writer does not write after revert"
ok "disk-error 10%: $bad/1000 writes failed (status: $got); revert: every write succeeds again"

# ---- recover after SIGKILL, applied and half-way --------------------------------
"$ZF_BIN" inject --lab $LAB disk-slow 'host db-a' 20ms --for 5m >"$WORK/inj.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q applied "$WORK/inj.out" && break; sleep 0.05; done
grep -q applied "$WORK/inj.out" || fail "inject --for: $(cat "$WORK/inj.out")"
kill -KILL $pid; wait $pid 2>/dev/null || true
[ "$(host_mounted)" = 1 ] || fail "the killed inject left no mount to recover"
zf recover $LAB >"$WORK/recover.out" || fail "recover: $(cat "$WORK/recover.out")"
[ "$(active_faults)" = 0 ] || fail "faults left after recover"
assert_clean "recover after SIGKILL"
out=$(zf recover $LAB)
grep -q "nothing to recover\|0 faults" <<<"$out" || fail "second recover did something: $out"
for delay in 0.01 0.02 0.03 0.05; do      # killed somewhere during apply
  "$ZF_BIN" inject --lab $LAB disk-error 'host db-a' '100% write' >/dev/null 2>&1 &
  pid=$!
  sleep $delay
  kill -KILL $pid 2>/dev/null || true   # it may have finished already
  wait $pid 2>/dev/null || true
  zf recover $LAB >"$WORK/recover.out" || fail "recover after a kill at ${delay}s: $(cat "$WORK/recover.out")"
  [ "$(active_faults)" = 0 ] || fail "faults left after recover (${delay}s)"
  assert_clean "recover after a kill at ${delay}s"
done
[ "$(in_host err.py 50)" = 0 ] || fail "writes fail after recover"
ok "recover after SIGKILL (applied, and at 10-50 ms into apply) leaves nothing; a second recover is a no-op"

rm -rf "$PYDIR"
zf down $LAB >/dev/null || fail "down"
assert_same_snapshot "$WORK/before.snap" "after the test"
