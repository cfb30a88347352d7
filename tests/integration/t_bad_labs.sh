#!/usr/bin/env bash
# Every broken lab file in tests/labs/bad gives FILE:LINE:COL: ..., exit 2,
# and nothing is created.
source "$(dirname "$0")/lib.sh"

snapshot >"$WORK/before.snap"
n=0
for f in "$ZF_SRC"/tests/labs/bad/*.yaml; do
  want=$(sed -n '1s/^# expect: //p' "$f")
  [ -n "$want" ] || fail "$f has no '# expect:' line"
  loc=${want%%: *}
  set +e
  zf up "$f" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  [ $rc -eq 2 ] || fail "$(basename "$f"): exit $rc, want 2 ($(cat "$WORK/err"))"
  grep -qF "$f:$loc: " "$WORK/err" || fail "$(basename "$f"): want '$f:$loc: ...', got: $(cat "$WORK/err")"
  n=$((n + 1))
done
[ $n -ge 12 ] || fail "only $n broken lab files"
ok "$n broken lab files: file:line:col, exit 2"

# An oversize file (built here, not committed).
{ echo "lab: big"; echo "regions: { r1: { zones: [a] } }"; echo "hosts:";
  head -c 1100000 /dev/zero | tr '\0' '#'; echo; } >"$WORK/big.yaml"
set +e; zf up "$WORK/big.yaml" 2>"$WORK/err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "oversize: exit $rc"
grep -q "big.yaml" "$WORK/err" || fail "oversize: $(cat "$WORK/err")"
ok "oversize lab file refused (exit 2)"
set +e; zf up "$WORK/missing.yaml" 2>"$WORK/err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "missing file: exit $rc"
ok "missing lab file: exit 2"
# A service that crashes at once never gets ready: `up` waits, then fails
# naming it (whether caught starting or in back-off between restarts), and
# leaves nothing behind.
cat >"$WORK/crash.yaml" <<'YAML'
lab: t-crash
regions: { r1: { zones: [a] } }
hosts: { h1: { zone: r1/a, services: { boom: { run: "false", restart: always, ready: { tcp: 9 } } } } }
YAML
ZF_LABS_TO_REMOVE+=(t-crash)
set +e; zf up "$WORK/crash.yaml" --wait 2 2>"$WORK/err"; rc=$?; set -e
[ $rc -ne 0 ] || fail "a crash-looping service passed for up"
grep -Eq "boom \((backoff|starting)\)" "$WORK/err" || fail "crash loop: $(cat "$WORK/err")"
ok "a crash-looping service makes up fail, naming it"
assert_same_snapshot "$WORK/before.snap" "after all the broken files"
