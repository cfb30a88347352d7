#!/usr/bin/env python3
"""Helpers for t_host_init.sh: JSON fields and init-log timing.

  zfh.py get KEY                  top-level KEY of the JSON on stdin
  zfh.py field NAME KEY           KEY of service NAME in the status on stdin
  zfh.py ts LOG REGEX [N]         epoch ms of the Nth (1-based) line matching
  zfh.py count LOG REGEX          number of lines matching
  zfh.py backoff LOG SVC          "DELAY GAP" per "killed/exited ..., restart
                                  in DELAYms" line of SVC: GAP is the ms until
                                  the next "SVC: started pid" line
  zfh.py zombies PPID             pids of zombie processes whose parent is PPID
  zfh.py order LOG REGEX...       check that each REGEX matches a line after
                                  the line the previous one matched
  zfh.py mutate FILE PATH VALUE   print the JSON of FILE with PATH ("a.0.b")
                                  set to the JSON VALUE, or deleted if VALUE
                                  is "DELETE"
  zfh.py report FILE KEY=JSON...  check fields of a svc.py report
Strings print raw; other JSON values print as JSON (null, true, 3).
Exits 1 with a message when the thing asked for is not there.
"""
import datetime
import json
import os
import re
import sys

LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z (\S+?): (.*)$")


def die(msg):
    print("zfh: " + msg, file=sys.stderr)
    sys.exit(1)


def show(v):
    print(v if isinstance(v, str) else json.dumps(v))


def log_lines(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f")
            ms = int(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
            out.append((ms, m.group(2) + ": " + m.group(3)))
    return out


def cmd_backoff(path, svc):
    lines = log_lines(path)
    pat = re.compile(r"/%s: (killed by|exited with).*restart in (\d+)ms$" % re.escape(svc))
    for i, (ms, text) in enumerate(lines):
        m = pat.search(text)
        if not m:
            continue
        nxt = [t for t, x in lines[i + 1:] if re.search(r"/%s: started pid" % re.escape(svc), x)]
        print(m.group(2), (nxt[0] - ms) if nxt else -1)


def cmd_zombies(ppid):
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] == "Z" and fields[1] == ppid:
            print(d)


def cmd_order(path, pats):
    """Each pattern must match a line after the previous pattern's line."""
    lines = [text for _, text in log_lines(path)]
    at = -1
    for p in pats:
        nxt = [i for i in range(at + 1, len(lines)) if re.search(p, lines[i])]
        if not nxt:
            die("%s: no line matching %r after line %d" % (path, p, at + 1))
        at = nxt[0]


def cmd_mutate(path, where, value):
    doc = json.load(open(path))
    keys = [int(k) if k.isdigit() else k for k in where.split(".")]
    node = doc
    for k in keys[:-1]:
        node = node[k]
    if value == "DELETE":
        del node[keys[-1]]
    else:
        node[keys[-1]] = json.loads(value)
    print(json.dumps(doc))


def cmd_report(path, checks):
    data = json.load(open(path))
    for c in checks:
        key, want = c.split("=", 1)
        if data.get(key) != json.loads(want):
            die("report %s: %s is %r, expected %s" % (path, key, data.get(key), want))


def main(a):
    if len(a) >= 2 and a[0] == "get":
        d = json.load(sys.stdin)
        if a[1] not in d:
            die("no key %r in %s" % (a[1], json.dumps(d)))
        show(d[a[1]])
    elif len(a) == 3 and a[0] == "field":
        d = json.load(sys.stdin)
        for s in d["services"]:
            if s["name"] == a[1]:
                show(s[a[2]])
                return
        die("no service %r" % a[1])
    elif len(a) in (3, 4) and a[0] == "ts":
        hits = [ms for ms, text in log_lines(a[1]) if re.search(a[2], text)]
        n = int(a[3]) if len(a) == 4 else 1
        if len(hits) < n:
            die("%s: fewer than %d lines match %r" % (a[1], n, a[2]))
        print(hits[n - 1])
    elif len(a) == 3 and a[0] == "count":
        print(sum(1 for _, text in log_lines(a[1]) if re.search(a[2], text)))
    elif len(a) == 3 and a[0] == "backoff":
        cmd_backoff(a[1], a[2])
    elif len(a) == 2 and a[0] == "zombies":
        cmd_zombies(a[1])
    elif len(a) >= 3 and a[0] == "order":
        cmd_order(a[1], a[2:])
    elif len(a) == 4 and a[0] == "mutate":
        cmd_mutate(a[1], a[2], a[3])
    elif len(a) >= 2 and a[0] == "report":
        cmd_report(a[1], a[2:])
    else:
        die("bad usage: %s" % " ".join(a))


if __name__ == "__main__":
    main(sys.argv[1:])
