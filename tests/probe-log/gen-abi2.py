#!/usr/bin/env python3
# Writes the sample logs of the probe 0.4 fields (docs/serial-log.md,
# "Additions within format 1": host: abi/scope/exit_stats, scenario:
# retries) into tests/probe-log/logs/, derived from async.log (probe 0.3
# fields). Run by hand when those fields change; the logs are committed.
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
logs = os.path.join(here, "logs")
base = open(os.path.join(logs, "async.log"), "rb").read().decode("ascii", "replace")
lines = base.split("\n")
PAGING = ' paging=ept paging_detail="16 fresh pages at 0x00200000 written: 16 EPT_VIOLATION, 0 EXCEPTION_NMI exits"'


def derive(abi="2", scope="vm", stats="on", retries=lambda i: i % 3, host=None, off=False):
    out, n = [], 0
    for l in lines:
        if l.startswith("exitprobe-begin"):
            l = "exitprobe-begin format=1 probe=0.4"
        elif l.startswith("host:"):
            l = host if host is not None else l + PAGING + " abi=%s scope=%s exit_stats=%s" % (abi, scope, stats)
        elif l.startswith("scenario:"):
            l += " retries=%s" % retries(n)
            n += 1
        out.append(l)
    if off:
        out = counting_off(out)
    return out


def counting_off(out):
    # A patched host whose counters stand still: no paging mode, no counts,
    # every count check a SKIP, result=skip.
    r = []
    for l in out:
        if l.startswith("host:"):
            l = re.sub(r" paging=.*", ' paging=- paging_detail="not measured: counting is off on the host"'
                       " abi=2 scope=vm exit_stats=off", l)
        elif l.startswith("calibration:"):
            l = re.sub(r"query_exits=\d+ query_cycles=\d+", "query_exits=- query_cycles=-", l)
        elif l.startswith("scenario:"):
            for k in ("exits", "per_iter", "other", "host_cycles", "async", "retries"):
                l = re.sub(r" %s=[^ ]+" % k, " %s=-" % k, l)
        elif re.match(r"^(PASS|FAIL): [a-z0-9_.-]+: ", l) and not l.startswith(("PASS: sdm.", "FAIL: sdm.")):
            l = re.sub(r"^(PASS|FAIL): ([a-z0-9_.-]+): .*", r"SKIP: \2: counting is off on the host", l)
        r.append(l)
    checks = [l.split(":")[0] for l in r if re.match(r"^(PASS|FAIL|SKIP): ", l)]
    p, f, s = checks.count("PASS"), checks.count("FAIL"), checks.count("SKIP")
    r = [("SUMMARY: %d passed, %d failed, %d skipped" % (p, f, s)) if l.startswith("SUMMARY:") else
         ("exitprobe-end result=skip exit_code=0x12" if l.startswith("exitprobe-end") else l) for l in r]
    return r


def write(name, out):
    with open(os.path.join(logs, name), "wb") as f:
        f.write("\n".join(out).encode("ascii", "replace"))


def sub(out, pat, new):
    r, n = [], 0
    for l in out:
        if re.search(pat, l) and n == 0:
            l, n = re.sub(pat, new, l), 1
        r.append(l)
    assert n, pat
    return r


good = derive()
write("abi2.log", good)
# Another run: only the volatile retries differ.
write("abi2-rerun.log", derive(retries=lambda i: 7 * i + 1))
write("abi2-scope-host.log", derive(scope="host"))
write("abi1.log", derive(abi="1", scope="-"))
write("abi2-off.log", derive(off=True))
write("bad-abi-scope.log", derive(abi="1", scope="vm"))
write("bad-abi-dash-patched.log", derive(abi="-", scope="-"))
write("bad-abi-partial.log", sub(good, r" scope=vm exit_stats=on$", ""))
write("bad-abi-word.log", derive(stats="yes"))
write("bad-abi-off-counts.log", sub(derive(off=True), r"(id=cpuid .*) exits=- per_iter=- other=-",
                                    r"\1 exits=200 per_iter=1.000 other=0"))
write("bad-retries-dash.log", sub(good, r"(id=cpuid .*) retries=0$", r"\1 retries=-"))
write("bad-retries-order.log", sub(good, r"(id=cpuid .*) async=0 retries=0$", r"\1 retries=0 async=0"))
