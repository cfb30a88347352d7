#!/usr/bin/env python3
"""Write run-fixture.json: a hand-made run record for the renderer tests.

A zone of region r1 loses power for 60 s while region r2 is slowed by
40 ms, then nginx on web-b is killed once. Two probes: "web" (HTTP through
the zone's load balancer: a 61 s outage, then a short one after the kill)
and "api" (TCP to region r2: slower during the delay, never down). The
values follow docs/run-json.md; the requests behind them are simulated
here with a fixed seed, so the file is reproducible:

    python3 tests/report/make-fixture.py > tests/report/run-fixture.json
"""
import json
import math
import random

rng = random.Random(1234)
DURATION = 130.0
EVENTS = [
    dict(id="f1", step=0, action="power-off", target="zone r1/a", args="",
         status="reverted", scope="zone r1/a: web-a, lb-a", t_planned_s=10.0,
         t_actual_s=10.0012, delay_ms=1.2, apply_ms=5.1, revert_planned_s=70.0,
         revert_actual_s=70.0009, error=None),
    dict(id="f2", step=1, action="delay", target="region r2", args="40ms",
         status="reverted", scope="region r2: db-a, db-b", t_planned_s=20.0,
         t_actual_s=20.0031, delay_ms=3.1, apply_ms=2.4, revert_planned_s=50.0,
         revert_actual_s=50.0022, error=None),
    dict(id="f3", step=2, action="kill", target="service nginx on web-b",
         args="TERM", status="done", scope="host web-b: nginx",
         t_planned_s=85.0, t_actual_s=85.0015, delay_ms=1.5, apply_ms=0.8,
         revert_planned_s=None, revert_actual_s=None, error=None),
]


def web_request(t):
    """(outcome, latency_ms) of a web request planned at t."""
    if 10.005 <= t < 71.3:
        return "timeout", 2000.0
    if 85.004 <= t < 86.2:
        return "refused", 0.3
    base = rng.lognormvariate(math.log(0.42), 0.25)
    if 71.3 <= t < 73.0:                       # caches are cold after power-on
        base += rng.uniform(5, 40)
    return "ok", base


def api_request(t):
    base = rng.lognormvariate(math.log(0.9), 0.3)
    if 20.0031 <= t < 50.0022:
        base += 80.0 + rng.uniform(0, 3)
    return "ok", base


def rank(sorted_v, q):
    i = max(math.ceil(q * len(sorted_v)), 1) - 1
    return sorted_v[min(i, len(sorted_v) - 1)]


def stats(v):
    v = sorted(v)
    if not v:
        return dict(count=0, p50=None, p90=None, p99=None, p999=None, max=None)
    r3 = lambda x: round(x, 3)
    return dict(count=len(v), p50=r3(rank(v, .5)), p90=r3(rank(v, .9)),
                p99=r3(rank(v, .99)), p999=r3(rank(v, .999)), max=r3(v[-1]))


def pct(good, n):
    return math.floor(good * 1e6 / n) / 1e4 if n else None


def outages(reqs, rate, slow):
    slot, out = 1.0 / rate, []
    for t, outcome, lat in reqs:
        if outcome == "ok" and lat <= slow:
            continue
        s, e = t, t + (slot if outcome != "ok" else lat / 1e3)
        if out and s < out[-1][1] + 2 * slot:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    result = []
    for s, e in out:
        within = [r for r in reqs if s <= r[0] < e]
        causes = {}
        for _, outcome, lat in within:
            key = outcome if outcome != "ok" else ("slow" if lat > slow else None)
            if key:
                causes[key] = causes.get(key, 0) + 1
        result.append(dict(start_s=round(s, 6), end_s=round(e, 6),
                           duration_s=round(e - s, 6), requests=len(within),
                           causes=causes, open=False))
    return result


def samples(reqs, slow):
    out = []
    for sec in range(math.ceil(DURATION)):
        rs = [r for r in reqs if sec <= r[0] < sec + 1]
        ok = sorted(l for _, o, l in rs if o == "ok")
        good = sum(1 for _, o, l in rs if o == "ok" and l <= slow)
        out.append(dict(t=sec, sent=len(rs), ok=len(ok), good=good,
                        errors=len(rs) - len(ok), availability=pct(good, len(rs)),
                        p50_ms=round(rank(ok, .5), 3) if ok else None,
                        p99_ms=round(rank(ok, .99), 3) if ok else None,
                        max_ms=round(ok[-1], 3) if ok else None))
    return out


def histogram(lat):
    buckets = {}
    for v in lat:                       # 1% wide log buckets, middle value
        k = math.floor(math.log(v * 1e6) / math.log(1.01))
        buckets[k] = buckets.get(k, 0) + 1
    return [[round(1.01 ** (k + .5) / 1e6, 6), n] for k, n in sorted(buckets.items())]


def expect(expr, metric, op, threshold, unit, measured):
    ops = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
           "<": lambda a, b: a < b, ">": lambda a, b: a > b}
    return dict(expr=expr, metric=metric, op=op, threshold=threshold, unit=unit,
                measured=measured, pass_=ops[op](measured, threshold))


def probe(name, kind, frm, target, rate, slow_ms, fn, expects):
    reqs = [(round(k / rate, 6),) + fn(k / rate) for k in range(int(DURATION * rate))]
    ok = [l for _, o, l in reqs if o == "ok"]
    good = sum(1 for _, o, l in reqs if o == "ok" and l <= slow_ms)
    errors = {c: sum(1 for _, o, _ in reqs if o == c) for c in
              ("refused", "timeout", "reset", "unreachable", "dns", "bad_status", "other")}
    on, off = 10.0012, 85.0015
    part = lambda a, b: [l for t, o, l in reqs if o == "ok" and a <= t < b]
    windows = []
    for e in EVENTS:
        end = e["revert_actual_s"] or DURATION
        rs = [r for r in reqs if e["t_actual_s"] <= r[0] < end]
        g = sum(1 for _, o, l in rs if o == "ok" and l <= slow_ms)
        windows.append(dict(event=e["id"], start_s=e["t_actual_s"], end_s=end,
                            requests=len(rs), availability=pct(g, len(rs))))
    outs = outages(reqs, rate, slow_ms)
    p = dict(name=name, kind=kind, target=target, rate=float(rate),
             timeout_ms=2000.0, slow_ms=float(slow_ms), requests=len(reqs),
             ok=len(ok), good=good, errors=errors, availability=pct(good, len(reqs)),
             windows=windows, outages=outs)
    p["from"] = frm
    first = next((o for o in outs if o["end_s"] > on), None)
    p["impact_s"] = round(max(first["start_s"] - on, 0), 6) if first else None
    last = next((o for o in outs if o["end_s"] > off), None)
    p["recovery_s"] = round(last["end_s"] - off, 6) if last else 0.0
    p["recovered"] = True
    p["latency_ms"] = dict(before=stats(part(0, on)), during=stats(part(on, off + 1e-9)),
                           after=stats(part(off + 1e-9, 1e9)), all=stats(ok))
    p["samples"] = samples(reqs, slow_ms)
    p["histogram"] = histogram(ok)
    measured = dict(availability=p["availability"], p99=p["latency_ms"]["all"]["p99"],
                    recovery=(p["recovery_s"] or 0) * 1e3,
                    outage=max([o["duration_s"] for o in outs], default=0) * 1e3)
    p["expects"] = []
    for e in expects:
        x = expect(*e[:5], round(measured[e[1]], 4))
        x["pass"] = x.pop("pass_")
        p["expects"].append(x)
    return p


web = probe("web", "http", "user1", "http://www.lab/", 200, 1000, web_request, [
    ("availability >= 99.5%", "availability", ">=", 99.5, "%"),
    ("p99 <= 300ms", "p99", "<=", 300.0, "ms"),
    ("recovery <= 30s", "recovery", "<=", 30000.0, "ms"),
    ("outage < 5s", "outage", "<", 5000.0, "ms")])
api = probe("api", "tcp", "user2", "db.lab:6379", 50, 500, api_request, [
    ("availability >= 99.9%", "availability", ">=", 99.9, "%"),
    ("p99 <= 50ms", "p99", "<=", 50.0, "ms")])


def fs(s):
    """Seconds as the analysis writes them in timeline text."""
    if s < 1:
        return ("%.1f" % (s * 1e3)).rstrip("0").rstrip(".") + "ms"
    return ("%.3f" % s).rstrip("0").rstrip(".") + "s"


def row(t, kind, event, scope, affected, cause, action):
    return dict(t_s=t, kind=kind, event=event, scope=scope, affected=affected,
                cause=cause, action=action)


def avail(a, b):
    parts = []
    for p, rate, slow in ((web, 200, 1000), (api, 50, 500)):
        s = next(x for x in p["samples"] if True)  # samples are per second
        n = g = 0
        for x in p["samples"]:
            if a <= x["t"] < b:
                n += x["sent"]
                g += x["good"]
        parts.append("%s: availability %.1f%%" % (p["name"], pct(g, n) if n else 0))
    return "; ".join(parts)


def timeline():
    w1, w2 = web["outages"][0], web["outages"][1]
    rows = [
        row(0.0, "run", "run started", "lab demo",
            "web: 200 req/s from user1; api: 50 req/s from user2",
            "scenario zone-power-loss", "warm-up 10s"),
        row(10.0, "run", "warm-up ended", "lab demo", avail(0, 10), "", "fault steps begin"),
        row(10.0012, "fault", "power-off zone r1/a", "zone r1/a: web-a, lb-a",
            avail(10, 70), "injected (step 1)", "reverted at 70.001s"),
        row(w1["start_s"], "outage", "web: users fail (timeout 100%)",
            "web users: user1 \u2192 http://www.lab/",
            "%d requests over %s" % (w1["requests"], fs(w1["duration_s"])),
            "power-off zone r1/a (f1)",
            "restored at %s, after %s" % (fs(w1["end_s"]), fs(w1["duration_s"]))),
        row(20.0031, "fault", "delay region r2 40ms", "region r2: db-a, db-b",
            avail(20, 50), "injected (step 2)", "reverted at 50.002s"),
        row(50.0022, "revert", "revert delay region r2 40ms", "region r2: db-a, db-b",
            "web: failing", "planned revert (step 2)", "web back %s later" % fs(w1["end_s"] - 50.0022)),
        row(70.0009, "revert", "revert power-off zone r1/a", "zone r1/a: web-a, lb-a",
            "web: failing", "planned revert (step 1)", "web back %s later" % fs(w1["end_s"] - 70.0009)),
        row(w1["end_s"], "restored", "web: service restored",
            "web users: user1 \u2192 http://www.lab/",
            "outage of %s, %d requests" % (fs(w1["duration_s"]), w1["requests"]),
            "revert of power-off zone r1/a (f1) at 70.001s", "recovered after the revert"),
        row(85.0015, "fault", "kill service nginx on web-b TERM", "host web-b: nginx",
            avail(85, 130), "injected (step 3)", "one-shot, no revert"),
        row(85.0015, "run", "cool-down", "lab demo", avail(85, 130), "faults reverted",
            "observing for 45s"),
        row(w2["start_s"], "outage", "web: users fail (refused 100%)",
            "web users: user1 \u2192 http://www.lab/",
            "%d requests over %s" % (w2["requests"], fs(w2["duration_s"])),
            "kill service nginx on web-b TERM (f3)",
            "restored at %s, after %s" % (fs(w2["end_s"]), fs(w2["duration_s"]))),
        row(w2["end_s"], "restored", "web: service restored",
            "web users: user1 \u2192 http://www.lab/",
            "outage of %s, %d requests" % (fs(w2["duration_s"]), w2["requests"]),
            "kill service nginx on web-b TERM (f3)", "recovered with no revert"),
        row(DURATION, "run", "run ended (completed)", "lab demo", avail(0, 1e9), "",
            "verdict: fail"),
    ]
    return sorted(rows, key=lambda r: r["t_s"])


downtime = sum(o["duration_s"] for o in web["outages"])
run = {
    "zonefall_run": 1,
    "scenario": "zone-power-loss",
    "title": "A zone loses power while a region is slow",
    "class": "power",
    "incident": {"id": "alibaba-hk-2022-cooling",
                 "title": "Cooling failure shuts a zone's hosts down"},
    "lab": "demo",
    "params": {"zone": "r1/a", "outage": "60s", "delay": "40ms"},
    "seed": 1234,
    "time_scale": 1.0,
    "started_at": "2026-11-22T03:40:00.123Z",
    "duration_s": DURATION,
    "phases": {"warmup_s": 10.0, "faults_start_s": 10.0, "faults_end_s": 85.0,
               "cooldown_s": 45.0},
    "ended": {"reason": "completed", "detail": ""},
    "verdict": "fail",
    "cost": {"per_hour": 10000.0, "currency": "USD", "downtime_s": round(downtime, 6),
             "amount": round(downtime * 10000 / 3600, 2)},
    "events": EVENTS,
    "timeline": timeline(),
    "probes": [web, api],
}
print(json.dumps(run, indent=1))
