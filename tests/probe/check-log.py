#!/usr/bin/env python3
"""check-log.py: strict, independent checker of the probe's serial log.

    check-log.py LOG [--def common/sdm-exit-reasons.def] [--ids a,b,c]
                     [--same-as OTHER_LOG]

Validates LOG against docs/serial-log.md, formats 1 and 2: every record between
exitprobe-begin and exitprobe-end, its fields in order and well formed, the
record order, one check line per scenario and per swept reason, the SUMMARY
counts, and the result/exit code. With --ids, the scenario ids must be
exactly those, in that order. With --same-as, the two logs must be identical
except in volatile fields (cycles, abs_*, async sweep counts).

Prints one line per problem ("LOG:LINE: what") and exits 1 if there is any.
Written apart from the probe-log engineer's parser on purpose: two readings
of the document catch more than one.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "common"))
import sdm_exit_reasons  # noqa: E402

COUNT = r"(?:\d+|-)"
HEX = r"0x[0-9a-f]{8}"
HEXO = r"(?:0x[0-9a-f]{8}|-)"
FIX = r"(?:\d+\.\d{3}|-)"
WORD = r'[^ "]+'
QUOTED = r'"[^"]*"'
WORDQ = r'(?:[^ "]+|"[^"]*")'
CHECK_NAME = r"[a-z0-9_.-]+"
GATE = r"yes|no|-"

RECORDS = {
    "exitprobe-begin": [("format", r"[12]"), ("probe", WORD)],
    "cpu:": [("vendor", WORD), ("family", HEX), ("model", HEX), ("stepping", HEX),
             ("brand", WORDQ)],
    "hypervisor:": [("signature", WORD), ("max_leaf", HEXO)],
    "host:": [("counting", r"patched|unpatched|none"), ("detail", QUOTED)],
    "config:": [("iters", r"\d+"), ("samples", r"\d+")],
    "calibration:": [("query_exits", COUNT), ("query_cycles", COUNT), ("guest_cycles", COUNT)],
    "scenario:": [("id", CHECK_NAME), ("reason", r"\d+"), ("name", WORD), ("insn", QUOTED),
                  ("iters", r"\d+"), ("expect", r"exact:\d+|atleast:\d+|atmost:\d+|none"),
                  ("exits", COUNT), ("per_iter", FIX), ("other", COUNT),
                  ("host_cycles", COUNT), ("guest_cycles", COUNT)],
    "sweep:": [("reason", r"\d+"), ("name", WORD), ("class", r"sync|async|undefined"),
               ("count", COUNT), ("cycles", COUNT), ("abs_count", COUNT),
               ("abs_cycles", COUNT), ("edx", HEX)],
    "coverage:": [("reasons", r"\d+"), ("list", r"-|\d+(?:,\d+)*")],
    "exitprobe-end": [("result", r"pass|fail|skip"), ("exit_code", r"0x1[012]")],
}
# Fields added within format 1, group by group in the order they were
# added: a record may end before any group (an older probe), else a group's
# fields all follow, in this order.
OPTIONAL = {
    "host:": [[("paging", r"ept|shadow|unknown|-"), ("paging_detail", QUOTED)],
              [("abi", r"[1-9]\d*|-"), ("scope", r"vm|host|-"), ("exit_stats", r"on|off|-")],
              # format 2 (required there, like every group above)
              [("hlt_exits", GATE), ("mwait_exits", GATE), ("pause_exits", GATE),
               ("pmu", r"none|v[1-9]\d*:\d+"), ("nested", r"vmx|none"), ("max_reason", COUNT)],
              # format 2, probe 1.0's APIC rows (absent in the first format 2 logs)
              [("apic", r"flexpriority|apicv|emulated|unknown|-")],
              [("umip_exits", GATE), ("rdrand_exits", GATE), ("rdseed_exits", GATE)]],
    "config:": [[("budget", r"[1-9]\d*")]],
    "calibration:": [[("tsc_hz", COUNT), ("tsc_source", r"cpuid15|hv_leaf|cpuid16|pit|-")]],
    "scenario:": [[("async", COUNT)], [("retries", COUNT)],
                  [("min", COUNT), ("max", COUNT), ("clean", COUNT)]],
    "sweep:": [[("own", COUNT)]],
}
# The field that ends each record's required format 2 group.
FORMAT2_LAST = {"host:": "max_reason", "config:": "budget", "calibration:": "tsc_source"}
# Volatile fields beyond the *cycles / abs_* rule (docs/serial-log.md).
VOLATILE = {"scenario:": ("async", "retries", "clean"), "calibration:": ("tsc_hz",),
            "sweep:": ("own",)}
CODES = {"pass": "0x10", "fail": "0x11", "skip": "0x12"}
EXTRAS = [86, 0x7FFFFFFF, 0x80000000 | 10, 0xFFFFFFFF]


class Log:
    def __init__(self, path):
        self.path = path
        self.problems = []
        self.records = []       # (lineno, tag, fields dict or text)

    def bad(self, lineno, what):
        self.problems.append(f"{self.path}:{lineno}: {what}")


def parse_fields(spec, rest, optional=()):
    """Returns a dict, or a string saying what is wrong."""
    out = {}
    pos = 0
    fields, ends = list(spec), {len(spec)}
    for group in optional:
        fields += group
        ends.add(len(fields))
    for k, (key, pat) in enumerate(fields):
        if k in ends and pos == len(rest):
            break
        m = re.compile(r" " + re.escape(key) + r"=(" + pat + r")(?= |$)").match(rest, pos)
        if not m:
            return f"field {key}= missing, out of order or malformed near '{rest[pos:pos + 40]}'"
        out[key] = m.group(1)
        pos = m.end()
    if pos != len(rest):
        return f"unexpected trailing text '{rest[pos:pos + 40]}'"
    return out


def read(path):
    log = Log(path)
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        log.bad(0, f"cannot read: {e}")
        return log
    lines = raw.split(b"\n")
    begin = end = None
    for i, b in enumerate(lines):
        t = b.rstrip(b"\r")
        if t.startswith(b"exitprobe-begin") and begin is None:
            begin = i
        if t.startswith(b"exitprobe-end"):
            end = i
    if begin is None:
        log.bad(0, "no exitprobe-begin line")
        return log
    if end is None or end < begin:
        log.bad(0, "no exitprobe-end line: the probe did not finish")
        end = len(lines) - 1
    for i in range(begin, end + 1):
        b = lines[i].rstrip(b"\r")
        n = i + 1
        if any(c < 0x20 or c > 0x7E for c in b):
            log.bad(n, "non-printable byte in the log proper")
            continue
        t = b.decode("ascii")
        m = re.match(r"^(PASS|FAIL|SKIP): (" + CHECK_NAME + r"): (.+)$", t)
        if m:
            log.records.append((n, m.group(1), {"name": m.group(2), "text": m.group(3)}))
            continue
        m = re.match(r"^SUMMARY: (\d+) passed, (\d+) failed, (\d+) skipped$", t)
        if m:
            log.records.append((n, "SUMMARY:", [int(x) for x in m.groups()]))
            continue
        tag, _, rest = t.partition(" ")
        rest = " " + rest if rest else ""
        if tag not in RECORDS:
            log.bad(n, f"unknown record '{t[:60]}'")
            continue
        f = parse_fields(RECORDS[tag], rest, OPTIONAL.get(tag, ()))
        if isinstance(f, str):
            log.bad(n, f"{tag} {f}")
            continue
        log.records.append((n, tag, f))
    return log


def num(v):
    return None if v == "-" else int(v)


def check_structure(log, sdm, ids):
    recs = log.records
    if not recs:
        return
    i = 0

    def expect(tag):
        nonlocal i
        if i >= len(recs):
            log.bad(recs[-1][0], f"log ends where {tag} was expected")
            return None
        n, t, f = recs[i]
        if t != tag:
            log.bad(n, f"expected {tag} here, found {t}")
            return None
        i += 1
        return f

    checks = []

    def expect_check(name):
        nonlocal i
        if i >= len(recs) or recs[i][1] not in ("PASS", "FAIL", "SKIP"):
            log.bad(recs[min(i, len(recs) - 1)][0], f"expected the check line of {name}")
            return None
        n, t, f = recs[i]
        if f["name"] != name:
            log.bad(n, f"check line names {f['name']}, expected {name}")
        i += 1
        checks.append(t)
        return t, f

    begin = expect("exitprobe-begin") or {}
    fmt2 = begin.get("format") == "2"
    for tag in ("cpu:", "hypervisor:"):
        expect(tag)
    host = expect("host:") or {}
    cfg = expect("config:") or {}
    # A rejected option: SKIP up to probe 0.4, FAIL from format 2 on.
    while i < len(recs) and recs[i][1] in ("SKIP", "FAIL") and recs[i][2]["name"] == "config":
        if fmt2 and recs[i][1] != "FAIL":
            log.bad(recs[i][0], "a rejected option is a FAIL in format 2")
        checks.append(recs[i][1])
        i += 1
    cal = expect("calibration:") or {}
    if fmt2:
        # Every group of every record, through the last one added.
        for tag, f in (("host:", host), ("config:", cfg), ("calibration:", cal)):
            last = FORMAT2_LAST[tag]
            if f and last not in f:
                log.bad(0, f"format 2 {tag} record without {last}=")
    patched = host.get("counting") == "patched"
    # A patched host whose counters stand still (exit_stats=off) is
    # measured like no host at all.
    counting = patched and host.get("exit_stats") != "off"
    if "abi" in host:
        for k in ("abi", "exit_stats"):
            if (host[k] == "-") == patched:
                log.bad(recs[i - 1][0], f"host: {k}=- exactly when not patched")
        if (host["scope"] == "-") != (host["abi"] in ("-", "1")):
            log.bad(recs[i - 1][0], "host: scope exactly from abi=2 on")
    for k in ("hlt_exits", "mwait_exits", "pause_exits", "umip_exits", "rdrand_exits",
              "rdseed_exits"):
        if not counting and host.get(k, "-") != "-":
            log.bad(recs[i - 1][0], f"host: {k} observed without counting")
    if "paging" in host and (host["paging"] == "-") == counting:
        log.bad(recs[i - 1][0] if i else 0, "host: paging=- exactly when not counting")
    if "apic" in host and (host["apic"] == "-") == counting:
        log.bad(recs[i - 1][0] if i else 0, "host: apic=- exactly when not counting")
    if cal and not counting and cal["query_exits"] != "-":
        log.bad(recs[i - 1][0], "calibration query_exits measured without counting")
    if cal and counting and cal["query_exits"] == "-" and not any(
            r[1] == "FAIL" for r in recs[i:]):
        log.bad(recs[i - 1][0], "calibration query_exits missing on a counting host, and no check failed")

    seen_ids = []
    while i < len(recs) and recs[i][1] == "scenario:":
        n, _, f = recs[i]
        i += 1
        seen_ids.append(f["id"])
        r = int(f["reason"])
        if r not in sdm:
            log.bad(n, f"scenario reason {r} is not an SDM reason")
        elif f["name"] != sdm[r][0]:
            log.bad(n, f"scenario name {f['name']} but reason {r} is {sdm[r][0]}")
        if cfg and f["iters"] != cfg["iters"]:
            log.bad(n, "scenario iters differs from config iters")
        e, p = num(f["exits"]), f["per_iter"]
        if (e is None) != (p == "-"):
            log.bad(n, "exits and per_iter must both be numbers or both '-'")
        if e is not None:
            want = (e * 1000 + int(f["iters"]) // 2) // int(f["iters"])
            if p != f"{want // 1000}.{want % 1000:03d}":
                log.bad(n, f"per_iter {p} is not exits/iters")
        if not counting and (e is not None or f["other"] != "-" or f["host_cycles"] != "-"
                             or f.get("async", "-") != "-" or f.get("retries", "-") != "-"):
            log.bad(n, "counts without a counting patched host")
        if "async" in f and (f["async"] == "-") != (f["other"] == "-"):
            log.bad(n, "other and async must both be numbers or both '-'")
        if "retries" in f and f["other"] != "-" and f["retries"] == "-":
            log.bad(n, "counts measured but retries is '-'")
        if fmt2 and "clean" not in f:
            log.bad(n, "format 2 scenario: record without min= max= clean=")
        if "min" in f and not ((f["min"] == "-") == (f["max"] == "-") == (e is None)):
            log.bad(n, "min and max are numbers exactly when exits is")
        if "min" in f and e is not None and not int(f["min"]) <= e <= int(f["max"]):
            log.bad(n, "exits outside min..max")
        res = expect_check(f["id"])
        if res and not counting and res[0] == "PASS":
            log.bad(n + 1, "a count check passed without a counting patched host")
    if ids is not None and seen_ids != ids:
        missing = [x for x in ids if x not in seen_ids]
        extra = [x for x in seen_ids if x not in ids]
        log.bad(recs[min(i, len(recs) - 1)][0],
                f"scenario ids differ from the table: missing {missing}, unexpected {extra}"
                + ("" if missing or extra else ", order differs"))
    if len(set(seen_ids)) != len(seen_ids):
        log.bad(recs[min(i, len(recs) - 1)][0], "duplicate scenario id")

    want_reasons = list(range(0, 86)) + EXTRAS
    for want in want_reasons:
        if i >= len(recs) or recs[i][1] != "sweep:":
            log.bad(recs[min(i, len(recs) - 1)][0], f"sweep record for reason {want} missing")
            break
        n, _, f = recs[i]
        i += 1
        r = int(f["reason"])
        if r != want:
            log.bad(n, f"sweep reason {r}, expected {want}")
        d = sdm.get(r)
        cls = d[1] if d else "undefined"
        name = d[0] if d else "-"
        if f["class"] != cls or f["name"] != name:
            log.bad(n, f"sweep reason {r} is {name}/{cls} in the SDM table, log says "
                       f"{f['name']}/{f['class']}")
        if not d and (f["count"] != "-" or f["cycles"] != "-"):
            log.bad(n, "an undefined reason has a count")
        if patched != (f["abs_count"] != "-"):
            log.bad(n, "abs_count must be a number exactly when patched")
        if patched and d and f["count"] == "-":
            log.bad(n, "a defined reason has no count on a patched host")
        if fmt2 and "own" not in f:
            log.bad(n, "format 2 sweep: record without own=")
        if "own" in f and (f["own"] == "-") != (f["count"] == "-"):
            log.bad(n, "own is a number exactly when count is")
        expect_check(("sdm.defined." if d else "sdm.undefined.") + str(r))

    if fmt2:
        cov = expect("coverage:")
        if cov:
            lst = [] if cov["list"] == "-" else [int(x) for x in cov["list"].split(",")]
            if len(lst) != int(cov["reasons"]) or lst != sorted(set(lst)):
                log.bad(recs[i - 1][0], "coverage: reasons= is not the number of distinct reasons listed")
            if not counting and lst:
                log.bad(recs[i - 1][0], "coverage without a counting patched host")
    summ = expect("SUMMARY:")
    end = expect("exitprobe-end")
    if i < len(recs):
        log.bad(recs[i][0], f"record {recs[i][1]} after exitprobe-end")
    # Check lines anywhere else are out of place (already reported above).
    p, fl, s = checks.count("PASS"), checks.count("FAIL"), checks.count("SKIP")
    if summ and summ != [p, fl, s]:
        log.bad(recs[-2][0], f"SUMMARY says {summ}, the log has {p} passed, {fl} failed, {s} skipped")
    if end:
        want = "fail" if fl else ("pass" if counting else "skip")
        if end["result"] != want:
            log.bad(recs[-1][0], f"result={end['result']}, expected {want}")
        if end["exit_code"] != CODES[end["result"]]:
            log.bad(recs[-1][0], f"exit_code {end['exit_code']} does not match result {end['result']}")


def volatile_masked(log, sdm):
    out = []
    for n, tag, f in log.records:
        if isinstance(f, dict) and tag not in ("PASS", "FAIL", "SKIP"):
            g = dict(f)
            for k in list(g):
                if k.endswith("cycles") or k.startswith("abs_"):
                    g[k] = "*"
            if tag == "sweep:" and g.get("class") == "async":
                g["count"] = "*"
            for k in VOLATILE.get(tag, ()):
                if k in g:
                    g[k] = "*"
            out.append((tag, tuple(sorted(g.items()))))
        else:
            out.append((tag, repr(f)))
    return out


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("--def", dest="deffile", default="common/sdm-exit-reasons.def")
    ap.add_argument("--ids", help="comma-separated scenario ids, in table order")
    ap.add_argument("--same-as", help="another log of the same probe on the same host")
    a = ap.parse_args(argv)
    sdm = sdm_exit_reasons.load(a.deffile)
    if len(sdm) < 50:
        print(f"{a.deffile}: could not read the SDM table")
        return 2
    log = read(a.log)
    check_structure(log, sdm, a.ids.split(",") if a.ids else None)
    if a.same_as:
        other = read(a.same_as)
        x, y = volatile_masked(log, sdm), volatile_masked(other, sdm)
        if len(x) != len(y):
            log.problems.append(f"{a.log}: {len(x)} records, {a.same_as}: {len(y)}")
        for k, (u, v) in enumerate(zip(x, y)):
            if u != v:
                log.problems.append(f"{a.log}:{log.records[k][0]}: differs from {a.same_as} "
                                    f"outside volatile fields: {u} vs {v}"[:300])
                break
    for p in log.problems:
        print(p)
    return 1 if log.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
