#!/usr/bin/env python3
# Writes the hand-made sample logs of tests/probe-log/logs/ from
# docs/serial-log.md (format 1). Run once by hand when the format changes;
# the logs are committed, the tests never run this. Deterministic.
import os
import random
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "logs")

sys.path.insert(0, os.path.join(here, "..", "..", "common"))
import sdm_exit_reasons  # noqa: E402

table = sdm_exit_reasons.load()

# id, reason, insn, expect, exits per iteration, other, host cycles/exit, guest cycles/iter
SCEN = [
    ("cpuid", 10, "cpuid(0)", "exact:1", 1, 0, 1715, 40100),
    ("hlt", 12, "hlt (timer wakes)", "exact:1", 1, 0, 2300, 52000),
    ("io.out", 30, "out 0x80,al", "exact:1", 1, 0, 3900, 61000),
    ("io.in", 30, "in al,0x80", "exact:1", 1, 0, 4100, 63000),
    ("msr.rdmsr", 31, "rdmsr(0x3a)", "exact:1", 1, 0, 2100, 45000),
    ("msr.wrmsr", 32, "wrmsr(0x48)", "exact:1", 1, 0, 2600, 47000),
    ("cr.mov_cr3", 28, "mov cr3,rax", "none", 0, 0, None, 120),
    ("vmcall", 18, "vmcall (unknown hypercall)", "exact:1", 1, 0, 1900, 41000),
    ("xsetbv", 55, "xsetbv(0,7)", "exact:1", 1, 0, 2400, 44000),
    ("rdtsc", 16, "rdtsc", "none", 0, 0, None, 25),
    ("pause", 40, "pause", "atmost:200", 0, 0, None, 140),
]
EXTRA = [0x56, 0x7fffffff, 0x80000000 | 10, 0xffffffff]
ITERS, SAMPLES = 200, 5


def log(kind="pass", rnd=None, noept=False, crlf=False):
    rnd = rnd or random.Random(1)
    patched = kind != "skip"
    L = []
    L.append("exitprobe-begin format=1 probe=0.1")
    L.append('cpu: vendor=GenuineIntel family=0x00000006 model=0x00000055 stepping=0x00000004 '
             'brand="Intel(R) Xeon(R) W-2123 CPU @ 3.60GHz"')
    if patched:
        L.append("hypervisor: signature=KVMKVMKVM max_leaf=0x40000001")
        L.append('host: counting=patched detail="leaf 0x4fffffff counts exits"')
    else:
        L.append("hypervisor: signature=TCGTCGTCGTCG max_leaf=0x40000001")
        L.append('host: counting=none detail="leaf 0x4fffffff returned 0 twice around a cpuid"')
    L.append("config: iters=%d samples=%d" % (ITERS, SAMPLES))
    if patched:
        L.append("calibration: query_exits=2 query_cycles=%d guest_cycles=%d"
                 % (rnd.randint(1700, 1900), rnd.randint(40000, 42000)))
    else:
        L.append("calibration: query_exits=- query_cycles=- guest_cycles=%d" % rnd.randint(300, 400))
    L.append("PASS: host.detect: counting=%s" % ("patched" if patched else "none"))
    sweep_count = {}
    for sid, reason, insn, expect, per, other, hc, gc in SCEN:
        name = table[reason][0]
        exits = per * ITERS
        if kind == "fail" and sid == "hlt":
            exits -= 1
        if noept and sid == "cr.mov_cr3":
            # shadow paging: every mov to cr3 exits
            exits, hc, gc, expect = ITERS, 2900, 51000, "exact:1"
        if patched:
            f = rnd.uniform(0.8, 1.2)
            hcs = "-" if exits == 0 else str(int(hc * f))
            L.append('scenario: id=%s reason=%d name=%s insn="%s" iters=%d expect=%s exits=%d '
                     'per_iter=%d.%03d other=%d host_cycles=%s guest_cycles=%d'
                     % (sid, reason, name, insn, ITERS, expect, exits, exits // ITERS,
                        (exits * 1000 // ITERS) % 1000, other, hcs, int(gc * f)))
            sweep_count[reason] = sweep_count.get(reason, 0) + exits * SAMPLES
            ok = exits == per * ITERS or (noept and sid == "cr.mov_cr3")
            if ok:
                L.append("PASS: %s: %d exits of reason %d for %d iterations (%s)"
                         % (sid, exits, reason, ITERS, expect))
            else:
                L.append("FAIL: %s: %d exits of reason %d for %d iterations (expected %s)"
                         % (sid, exits, reason, ITERS, expect))
        else:
            L.append('scenario: id=%s reason=%d name=%s insn="%s" iters=%d expect=%s exits=- '
                     'per_iter=- other=- host_cycles=- guest_cycles=%d'
                     % (sid, reason, name, insn, ITERS, expect, int(gc / 20 * rnd.uniform(0.9, 1.1))))
            L.append("SKIP: %s: no patched host, exit count not measured" % sid)
    base = {0: 12, 1: rnd.randint(20, 60), 7: rnd.randint(0, 5), 10: 44, 28: 31, 30: 18,
            31: 9, 32: 14, 48: 25, 49: 3, 52: rnd.randint(0, 9)}
    if noept:
        base[0] = 4011
        base[28] = 377
        base[48] = 0
    for r in range(0, 86):
        if r in table:
            name, cls = table[r]
            if patched:
                cnt = base.get(r, 0) + sweep_count.get(r, 0)
                cyc = int(cnt * rnd.uniform(1500, 4000))
                absc = cnt + rnd.randint(1000, 50000) if cnt else 0
                L.append("sweep: reason=%d name=%s class=%s count=%d cycles=%d abs_count=%d "
                         "abs_cycles=%d edx=0x00000000"
                         % (r, name, cls, cnt, cyc, absc, absc * 2100))
            else:
                L.append("sweep: reason=%d name=%s class=%s count=- cycles=- abs_count=- "
                         "abs_cycles=- edx=0x00000000" % (r, name, cls))
        else:
            L.append("sweep: reason=%d name=- class=undefined count=- cycles=- abs_count=%s "
                     "abs_cycles=%s edx=%s" % (r, "0" if patched else "-", "0" if patched else "-",
                                               "0xffffffff" if patched else "0x00000000"))
            L.append(("PASS: sdm.undefined.%d: edx=0xffffffff and eax=ebx=ecx=0" if patched else
                      "SKIP: sdm.undefined.%d: no patched host") % r)
    for r in EXTRA:
        L.append("sweep: reason=%d name=- class=undefined count=- cycles=- abs_count=%s "
                 "abs_cycles=%s edx=%s" % (r, "0" if patched else "-", "0" if patched else "-",
                                           "0xffffffff" if patched else "0x00000000"))
        L.append(("PASS: sdm.undefined.%d: edx=0xffffffff and eax=ebx=ecx=0" if patched else
                  "SKIP: sdm.undefined.%d: no patched host") % r)
    checks = [l.split(":")[0] for l in L if re.match(r"^(PASS|FAIL|SKIP): ", l)]
    p, f, s = checks.count("PASS"), checks.count("FAIL"), checks.count("SKIP")
    L.append("SUMMARY: %d passed, %d failed, %d skipped" % (p, f, s))
    res = "fail" if f else ("pass" if patched else "skip")
    L.append("exitprobe-end result=%s exit_code=0x%x" % (res, {"pass": 0x10, "fail": 0x11, "skip": 0x12}[res]))
    return L


NOISE_BEFORE = ["SeaBIOS (version 1.16.2-debian-1.16.2-1)", "",
                "iPXE (https://ipxe.org) 00:03.0 CA00 PCI2.10 PnP PMM+0EFCAE00+0EF0AE00 CA00",
                "Booting from ROM..", "\x1b[2J\x1b[01;01H\x1b[=3h\x1b[2J\x1b[01;01Hprobe.elf: multiboot, cmdline \"\""]
NOISE_AFTER = ["[   41.771234] reboot: Power down", "\x00\xff garbage after the end"]


def write(name, lines, before=(), after=(), crlf=False, raw_tail=None):
    eol = "\r\n" if crlf else "\n"
    data = "".join(l + eol for l in list(before) + lines + list(after))
    b = data.encode("latin-1")
    if raw_tail is not None:
        b = raw_tail(b)
    open(os.path.join(out, name), "wb").write(b)


def replace(lines, pat, new, count=1):
    r, n = [], 0
    for l in lines:
        if n < count and re.search(pat, l):
            l = re.sub(pat, new, l)
            n += 1
        r.append(l)
    assert n == count, pat
    return r


os.makedirs(out, exist_ok=True)
good = log("pass", random.Random(1))
write("patched-pass.log", good, NOISE_BEFORE, NOISE_AFTER)


def rerun(lines, rnd):
    # A second run of the same probe: cycle fields jitter by up to 15%,
    # async counts and abs_* move; everything stable stays.
    r = []
    for l in lines:
        l = re.sub(r"(\w*cycles)=(\d+)",
                   lambda m: "%s=%d" % (m.group(1), int(int(m.group(2)) * rnd.uniform(0.85, 1.15))), l)
        l = re.sub(r"(abs_count)=(\d+)", lambda m: "%s=%d" % (m.group(1), int(m.group(2)) + 777), l)
        if "class=async" in l:
            l = re.sub(r" count=(\d+)", lambda m: " count=%d" % (int(m.group(1)) + rnd.randint(1, 9)), l)
        r.append(l)
    return r


write("patched-rerun.log", rerun(good, random.Random(2)))
write("patched-fail.log", log("fail", random.Random(3)))
write("patched-noept.log", log("pass", random.Random(4), noept=True))
write("tcg-skip.log", log("skip", random.Random(5)))
write("crlf.log", good, NOISE_BEFORE, NOISE_AFTER, crlf=True)
write("max-u64.log", replace(good, r"abs_cycles=\d+ edx=0x00000000$", "abs_cycles=18446744073709551615 edx=0x00000000"))
# A boot loader's escape sequences on the same line, right before the begin record.
write("noise-same-line.log", ["\x1b[0m\x1b[30;47m" + good[0]] + good[1:], NOISE_BEFORE)

# Broken logs: each breaks one rule of docs/serial-log.md.
write("empty.log", [])
write("noise-only.log", NOISE_BEFORE + NOISE_AFTER)
write("truncated.log", good[:60], NOISE_BEFORE)
write("cut-midline.log", good, raw_tail=lambda b: b[:b.index(b"sweep: reason=40 ") + 30])
write("junk.log", good[:20] + ["sweep: reason=19 name=VMCLEAR\x00\x01\xfe\xff class=sync"] + good[21:])
write("huge-number.log", replace(good, r"count=(\d+) cycles", "count=18446744073709551616 cycles"))
write("bad-version.log", ["exitprobe-begin format=2 probe=0.2"] + good[1:])
write("unknown-record.log", good[:6] + ["frobnicate: x=1"] + good[6:])
write("bad-sweep-name.log", replace(good, r"reason=10 name=CPUID class", "reason=10 name=CPUID_ class"))
write("bad-class.log", replace(good, r"name=EXTERNAL_INTERRUPT class=async", "name=EXTERNAL_INTERRUPT class=sync"))
write("summary-mismatch.log", replace(good, r"^SUMMARY: (\d+) passed", "SUMMARY: 7 passed"))
write("two-logs.log", good + ["[ 0.000000] second boot"] + good)
write("long-line.log", replace(good, r'insn="cpuid\(0\)"', 'insn="' + "cpuid " * 1000 + '"'))
write("noise-inside.log", good[:30] + ["[   12.345678] kvm: exiting hardware virtualization"] + good[30:])
write("bad-result.log", replace(log("fail", random.Random(3)), r"result=fail exit_code=0x11", "result=pass exit_code=0x10"))
write("missing-field.log", replace(good, r" other=0 host_cycles", " host_cycles"))
write("missing-sweep.log", [l for l in good if not l.startswith("sweep: reason=85 ")])
write("leading-zero.log", replace(good, r"iters=200 samples=5", "iters=0200 samples=5"))
write("bad-per-iter.log", replace(good, r"exits=200 per_iter=1.000", "exits=200 per_iter=1.500"))
write("trailing-space.log", replace(good, r"^SUMMARY: (.*)$", r"SUMMARY: \1 "))


def early(lines, upto, fail=True):
    # The probe's panic path: a FAIL: panic line, then SUMMARY: and the end.
    body = lines[:upto]
    if fail:
        body.append("FAIL: panic: unexpected exception vector 13 at eip=0x00101234 "
                    "error=0x00000000 outside any scenario")
    checks = [l.split(":")[0] for l in body if re.match(r"^(PASS|FAIL|SKIP): ", l)]
    p, f, s = checks.count("PASS"), checks.count("FAIL"), checks.count("SKIP")
    body.append("SUMMARY: %d passed, %d failed, %d skipped" % (p, f, s))
    body.append("exitprobe-end result=%s exit_code=0x%s" % (("fail", "11") if f else ("pass", "10")))
    return body


write("panic-scenarios.log", early(good, 12))
write("panic-header.log", early(good, 2))
write("early-no-fail.log", early(good, 12, fail=False))
# probe-os/report.c: a line longer than the probe's buffer ends in " <cut>".
write("cut-marker.log", replace(good, r"^(PASS: io.in: .*)$", r"\1 <cut>"))
# A median of 0 exits over five samples, one of which had an exit: the
# probe still reports host_cycles (the median over the samples with exits).
write("stray-exit.log", replace(good, r"expect=atmost:200 exits=0 per_iter=0.000 other=0 host_cycles=-",
                                "expect=atmost:200 exits=0 per_iter=0.000 other=0 host_cycles=150"))
# Limits and rare rules (found uncovered by make probe-log-coverage).
write("zero-iters.log", replace(good, r"(id=cpuid .*) iters=200 ", r"\1 iters=0 "))
write("patched-edx-dash.log", replace(good, r"(reason=12 name=HLT .*) edx=0x00000000$", r"\1 edx=-"))
write("empty-vendor.log", replace(good, r"vendor=GenuineIntel", 'vendor=""'))
extra = ["sweep: reason=%d name=- class=undefined count=- cycles=- abs_count=0 abs_cycles=0 "
         "edx=0xffffffff" % (1000 + i) for i in range(65)]
i = good.index([l for l in good if l.startswith("SUMMARY:")][0])
write("too-many-extras.log", good[:i] + extra + good[i:])
many = ["SKIP: many: %d" % i for i in range(8193)]
write("too-many-checks.log", good[:7] + many + good[7:])
# Same records, two scenarios (and their checks) swapped: order is stable.
i = [n for n, l in enumerate(good) if l.startswith("scenario: id=io.out ")][0]
write("scenario-order.log", good[:i] + good[i + 2:i + 4] + good[i:i + 2] + good[i + 4:])
# A console line mentioning the tag is not the begin record, before or after.
write("tag-in-noise.log", good, ["L1$ grep -c exitprobe-begin serial.log"] + NOISE_BEFORE,
      NOISE_AFTER + ["L1$ echo exitprobe-begin done"])
