#!/usr/bin/env bash
# Every command of the lab life cycle runs clean under valgrind: no invalid
# access, no use of uninitialised memory, no leak (libnftables' own padding
# is suppressed in tests/valgrind.supp).
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || fail "valgrind is not installed"

LAB=t-vg
cat >"$WORK/lab.yaml" <<YAML
lab: $LAB
regions:
  r1: { zones: [a, b] }
clients: [u1]
hosts:
  a1: { zone: r1/a, services: { s: { run: "sleep 3600", restart: always } } }
  b1: { zone: r1/b, services: { s: { run: "sleep 3600" } } }
YAML
vg() {
  valgrind -q --suppressions="$ZF_SRC/tests/valgrind.supp" --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$ZF_BIN" "$@" \
    >"$WORK/vg.out" 2>&1
  local rc=$?
  [ $rc -ne 99 ] || { cat "$WORK/vg.out" >&2; fail "valgrind errors in: zonefall $*"; }
  return $rc
}
ZF_LABS_TO_REMOVE+=("$LAB")
vg up "$WORK/lab.yaml" || fail "up"
vg status --json || fail "status"
vg status || fail "status (text)"
vg inject power-off "zone r1/a" || fail "inject power-off"
vg inject pause "service s in host b1" || fail "inject pause"
vg exec b1 -- true || fail "exec"
vg logs a1 || fail "logs"
vg inject kill "service s in host b1" || true   # b1 is paused: the kill waits
vg revert || fail "revert"
vg inject restart "service s" || fail "restart"
vg inject nonsense "host a1" && fail "unknown fault accepted"
vg recover || fail "recover"
vg down $LAB || fail "down"
vg up "$ZF_SRC/tests/labs/bad/$(ls "$ZF_SRC/tests/labs/bad" | head -n1)" && fail "bad lab accepted"
ok "up, status, inject, exec, logs, revert, recover, down: valgrind clean"
