#!/usr/bin/env python3
"""Test services for t_host_init.sh (run by zonefall-init, argv only).

  svc.py tcp PORT DELAY          listen on 127.0.0.1:PORT after DELAY seconds
  svc.py count FILE FAILS THEN   count runs in FILE; exit 1 for the first FAILS
                                 runs, then exit THEN ("sleep": run forever)
  svc.py forker OUT N            double-fork N short-lived grandchildren (each
                                 appends its parent pid to OUT once orphaned),
                                 then run forever
  svc.py stubborn                ignore SIGTERM, run forever
  svc.py report OUT              write what the sandbox looks like to OUT
"""
import json
import os
import signal
import socket
import sys
import time


def forever():
    while True:
        time.sleep(3600)


def tcp(port, delay):
    time.sleep(float(delay))
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(port)))
    s.listen(16)
    while True:
        s.accept()[0].close()


def count(path, fails, then):
    n = int(open(path).read()) + 1 if os.path.exists(path) else 1
    with open(path, "w") as f:
        f.write(str(n))
    if n <= int(fails):
        sys.exit(1)
    if then == "sleep":
        forever()
    sys.exit(int(then))


def forker(out, n):
    for _ in range(int(n)):
        pid = os.fork()
        if pid == 0:
            if os.fork() == 0:
                time.sleep(0.3)          # by now our parent is gone
                with open(out, "a") as f:
                    f.write("%d\n" % os.getppid())
            os._exit(0)
        os.waitpid(pid, 0)
        time.sleep(0.1)
    forever()


def report(out):
    mounts = {}
    for line in open("/proc/self/mounts"):
        f = line.split()
        mounts[f[1]] = f[2]
    data = {
        "hostname": socket.gethostname(),
        "hosts": open("/etc/hosts").read(),
        "resolv": open("/etc/resolv.conf").read(),
        "tmp": sorted(os.listdir("/tmp")),
        "tmp_mode": oct(os.stat("/tmp").st_mode & 0o7777),
        "run_mode": oct(os.stat("/run").st_mode & 0o7777),
        "tmp_fs": mounts.get("/tmp"), "run_fs": mounts.get("/run"),
        "pid1": open("/proc/1/cmdline").read().split("\0")[0],
        "net": sorted(os.listdir("/sys/class/net")),
        "cwd": os.getcwd(),
        "env": {k: v for k, v in os.environ.items() if k != "LC_CTYPE"},
    }
    with open(out + ".tmp", "w") as f:
        json.dump(data, f)
    os.rename(out + ".tmp", out)
    forever()


def main(a):
    if a[0] == "tcp":
        tcp(a[1], a[2])
    elif a[0] == "count":
        count(a[1], a[2], a[3])
    elif a[0] == "forker":
        forker(a[1], a[2])
    elif a[0] == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        forever()
    elif a[0] == "report":
        report(a[1])
    else:
        sys.exit("svc.py: bad usage")


if __name__ == "__main__":
    main(sys.argv[1:])
