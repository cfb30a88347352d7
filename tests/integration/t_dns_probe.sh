#!/usr/bin/env bash
# t_dns_probe.sh - the dns probe against the lab's own DNS server:
# - steady state: from a client (its resolv.conf's public resolver) and
#   from a host (a given server, its region's resolver), the answer set of
#   a service name, of a host name and a count are right: 100% available,
#   no error, one request per planned slot;
# - each DNS fault on the name shows as its own error cause, for the
#   fault's second only: servfail, nxdomain, empty, wrong, timeout;
# - an expected address the lab does not have is a spec error (exit 2,
#   FILE:LINE:COL), and nothing runs.
source "$(dirname "$0")/lib.sh"

LAB=t-dnsprobe
cat >"$WORK/lab.yaml" <<YAML
lab: $LAB
regions:
  r1: { zones: [a, b] }
clients: [user1]
hosts:
  web-a: { zone: r1/a }
  web-b: { zone: r1/b }
dns:
  records:
    www: [web-a, web-b]
YAML
lab_up $LAB "$WORK/lab.yaml" >/dev/null
r1=$(zf exec $LAB/web-a -- awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
[ -n "$r1" ] || fail "web-a's resolv.conf names no nameserver"
answer=$(zf exec $LAB/user1 -- dig +short +time=1 +tries=1 www.lab | sort | tr '\n' ' ')
[ "$answer" = "198.18.1.10 198.18.2.10 " ] || fail "dig www.lab from user1: '$answer'"

latest_run() { ls -d "$WORK"/runs/*-"$1"* | tail -n1; }

# --- steady state ------------------------------------------------------------
cat >"$WORK/steady.yaml" <<YAML
scenario: dns-steady
class: software
probes:
  service:
    dns: { name: www, expect_addrs: [www] }
    from: user1
    rate: 100
    timeout: 1s
    expect: { availability: ">= 100%", errors: "== 0" }
  host:
    dns: { name: web-a.lab, type: A, expect_addrs: [web-a.lab], server: "$r1" }
    from: web-b
    rate: 50
    expect: { availability: ">= 100%" }
  count:
    dns: { name: www.lab., expect_count: 2 }
    from: web-a
    rate: 20
    expect: { availability: ">= 100%" }
warmup: 1s
cooldown: 2s
YAML
zf run "$WORK/steady.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/steady.out" 2>&1 ||
  { cat "$WORK/steady.out"; fail "steady drill failed"; }
python3 - "$(latest_run dns-steady)/run.json" <<'PY' || fail "steady state not measured right"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["verdict"] == "pass", j["verdict"]
for p, rate in zip(j["probes"], (100, 50, 20)):
    assert p["kind"] == "dns", p["kind"]
    assert p["availability"] == 100.0, (p["name"], p["availability"])
    assert sum(p["errors"].values()) == 0, p["errors"]
    for k in ("servfail", "nxdomain", "empty", "wrong"):
        assert k in p["errors"], k
    want = rate * 3
    assert want - 2 <= p["requests"] <= want + 2, (p["name"], p["requests"])
    print("  %s: %d queries, p99 %.3f ms" % (p["name"], p["requests"],
                                             p["latency_ms"]["all"]["p99"]))
PY
ok "3 dns probes (client via resolv.conf, host via its region's resolver, a count): 100%, no error"

# --- each fault, its own cause ------------------------------------------------
cat >"$WORK/faults.yaml" <<'YAML'
scenario: dns-causes
class: software
probes:
  service:
    dns: { name: www.lab, expect_addrs: [web-a, web-b] }
    from: user1
    rate: 100
    timeout: 500ms
warmup: 1s
steps:
  - { at: 0s, do: dns-servfail, target: lab, args: www, for: 1s }
  - { at: 2s, do: dns-nxdomain, target: lab, args: www, for: 1s }
  - { at: 4s, do: dns-empty, target: lab, args: www, for: 1s }
  - { at: 6s, do: dns-wrong, target: lab, args: "www 198.18.9.9", for: 1s }
  - { at: 8s, do: dns-timeout, target: lab, args: www, for: 1s }
cooldown: 2s
YAML
rc=0
zf run "$WORK/faults.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/faults.out" 2>&1 || rc=$?
[ $rc -eq 0 ] || { cat "$WORK/faults.out"; fail "fault drill exited $rc"; }
R=$(latest_run dns-causes)
python3 - "$R/run.json" <<'PY' || fail "the causes are not the faults'"
import json, sys
p = json.load(open(sys.argv[1]))["probes"][0]
want = ["servfail", "nxdomain", "empty", "wrong", "timeout"]
outs = p["outages"]
assert len(outs) == 5, [o["causes"] for o in outs]
for o, cause in zip(outs, want):
    assert list(o["causes"]) == [cause], (cause, o["causes"])
    assert 0.9 <= o["duration_s"] <= 1.1, (cause, o["duration_s"])
    print("  %-8s %3d queries over %.3f s" % (cause, o["causes"][cause], o["duration_s"]))
for cause in want:
    assert 95 <= p["errors"][cause] <= 105, (cause, p["errors"])
assert p["errors"]["other"] == 0 and p["errors"]["bad_status"] == 0, p["errors"]
PY
grep -q "servfail" "$R/report.md" && grep -q "nxdomain" "$R/report.md" ||
  fail "the Markdown report does not show the dns causes"
ok "servfail, nxdomain, empty, wrong, timeout each counted as itself, for its 1 s"

# --- an expected address the lab does not have ---------------------------------
cat >"$WORK/bad.yaml" <<'YAML'
scenario: dns-bad
class: software
probes:
  service:
    dns: { name: www.lab, expect_addrs: [web-a, nohost] }
    from: user1
    rate: 10
YAML
rc=0
zf run "$WORK/bad.yaml" --lab $LAB --runs "$WORK/runs" >"$WORK/bad.out" 2>&1 || rc=$?
[ $rc -eq 2 ] || { cat "$WORK/bad.out"; fail "bad expect_addrs: exit $rc, expected 2"; }
grep -q "bad.yaml:4:3: probe service: 'nohost' in expect_addrs is no host" "$WORK/bad.out" ||
  { cat "$WORK/bad.out"; fail "bad expect_addrs: no FILE:LINE:COL message"; }
! ls -d "$WORK"/runs/*-dns-bad* >/dev/null 2>&1 || fail "a run directory was made"
ok "an unknown name in expect_addrs: exit 2 at its probe, nothing run"
