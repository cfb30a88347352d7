# lib.sh - shared helpers of the integration tier. Each test script sources
# this, makes its own lab (a name no other test uses) and removes it in its
# EXIT trap, whatever happens.
set -euo pipefail

ZF_SRC=${ZF_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ZF_BIN=${ZF_BIN:-$ZF_SRC/build/zonefall}
ZF_INIT=${ZF_INIT:-$ZF_SRC/build/zonefall-init}
export ZF_INIT
TEST_NAME=$(basename "${0%.sh}")
WORK=$(mktemp -d "/tmp/zf-$TEST_NAME.XXXXXX")
ZF_LABS_TO_REMOVE=()
CHECKS=0

zf() { "$ZF_BIN" "$@"; }

fail() {
  echo "FAIL [$TEST_NAME]: $*" >&2
  exit 1
}

ok() {
  CHECKS=$((CHECKS + 1))
  echo "  ok: $*"
}

# Remove every lab this test made, then the work dir.
cleanup() {
  local rc=$?
  for lab in "${ZF_LABS_TO_REMOVE[@]}"; do
    "$ZF_BIN" down "$lab" >/dev/null 2>&1 || "$ZF_BIN" recover "$lab" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
  if [ $rc -eq 0 ]; then
    echo "PASS [$TEST_NAME]: $CHECKS checks"
  fi
  exit $rc
}
trap cleanup EXIT

lab_up() { # lab_up NAME FILE [ARGS...]
  ZF_LABS_TO_REMOVE+=("$1")
  local name=$1
  shift
  zf up "$@" || fail "zonefall up $* failed"
}

# What a lab could leave on the machine. Compared before/after.
snapshot() {
  {
    echo "## netns"; ip netns list 2>/dev/null | awk '{print $1}' | sort
    echo "## links"; ip -o link show | awk -F': ' '{print $2}' | sort
    echo "## nft"; nft list ruleset 2>/dev/null
    echo "## iptables"; iptables-save 2>/dev/null | grep -v '^#' || true
    echo "## cgroups"; find /sys/fs/cgroup -maxdepth 4 -type d -path '*zonefall*' 2>/dev/null | sort
    echo "## mounts"; awk '{for (i = 7; i <= NF; i++) if ($i == "-") print $5, $(i + 1), $(i + 2)}' /proc/self/mountinfo | sort
    echo "## processes"
    for p in /proc/[0-9]*; do
      if grep -qs zonefall "$p/cgroup" 2>/dev/null && ! grep -qs '^State:.*Z' "$p/status"; then
        echo "in zonefall cgroup: $(cat "$p/comm" 2>/dev/null)"
      fi
    done | sort
    # Zombies are dead already (waiting for the machine's PID 1 to reap them).
    echo "zonefall-init processes: $(ps -eo stat=,comm= | awk '$1 !~ /^Z/ && $2 == "zonefall-init"' | wc -l)"
    echo "zonefall-linkem processes: $(ps -eo stat=,comm= | awk '$1 !~ /^Z/ && $2 ~ /^zonefall-linke/' | wc -l)"
    echo "zonefall-dns processes: $(ps -eo stat=,comm= | awk '$1 !~ /^Z/ && $2 == "zonefall-dns"' | wc -l)"
    echo "## state"; ls /run/zonefall 2>/dev/null || true
  }
}

assert_same_snapshot() { # assert_same_snapshot BEFORE_FILE WHAT
  snapshot >"$WORK/after.snap"
  if ! diff -u "$1" "$WORK/after.snap" >"$WORK/snap.diff"; then
    cat "$WORK/snap.diff" >&2
    fail "$2: the machine is not as it was"
  fi
  ok "$2: machine identical to the snapshot"
}

# Run python3 code inside a host: zf_py HOST CODE [ARGS...]
zf_py() {
  local host=$1 code=$2
  shift 2
  zf exec "$host" -- python3 -c "$code" "$@"
}

json_get() { # json_get JSON_FILE PYTHON_EXPR (with j bound)
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

# lab_addr LAB NAME: the address of host or client NAME of running lab LAB
# (NAME itself when it is none). Tests that measure the network connect to
# addresses: names come from the lab's DNS, which the faults under test
# may cut off or slow down too.
lab_addr() {
  local cache="$WORK/status.$1.json"
  [ -s "$cache" ] || zf status "$1" --json >"$cache"
  python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(next((h["address"] for h in j["labs"][0]["hosts"] if h["name"] == sys.argv[2]), sys.argv[2]))
' "$cache" "$2"
}

need_root() {
  [ "$(id -u)" -eq 0 ] || fail "integration tests need root"
}
need_root
