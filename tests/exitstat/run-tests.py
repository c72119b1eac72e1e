#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The exitstat test suite (make test-exitstat).

  run-tests.py --fake BUILD/exitstat-fake --real BUILD/exitstat --i386 X

--fake is exitstat linked to tests/exitstat/fake-host.c under ASan/UBSan:
a host model with state (counters that grow, each read counted at the next
one). The expected numbers come from the fake's model and from the fake's
own trace of every CPUID exitstat executed, never from exitstat's output.
--real is the static binary, run on this machine: its exit code and message
must say what /proc/cpuinfo says this machine is. --i386 is the i386 build,
or "nodeps" (SKIP) or "buildfail" (FAIL).

Prints PASS:/FAIL:/SKIP: lines; exits 1 if any check failed.
"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "common"))
import sdm_exit_reasons  # noqa: E402

# Facts from their one source: the .def, the ABI header, exitcodes.h.
TABLE = sdm_exit_reasons.load()
NAME_TO_NR = {name: nr for nr, (name, _cls) in TABLE.items()}
CPUID = NAME_TO_NR["CPUID"]
HLT = NAME_TO_NR["HLT"]
EXT_INT = NAME_TO_NR["EXTERNAL_INTERRUPT"]
EPT_VIOLATION = NAME_TO_NR["EPT_VIOLATION"]
GETSEC = NAME_TO_NR["GETSEC"]


def c_defines(path):
    """{NAME: int} for every '#define NAME number' in a C header."""
    out = {}
    with open(os.path.join(ROOT, path)) as f:
        for line in f:
            m = re.match(r"#define\s+(\w+)\s+(0x[0-9A-Fa-f]+|\d+)u?\b", line)
            if m:
                out[m.group(1)] = int(m.group(2), 0)
    return out


ABI = c_defines("common/exitprobe-abi.h")
CODES = c_defines("exitstat/exitcodes.h")
MAX = ABI["SDM_EXIT_REASON_MAX"]
NROWS = MAX + 1
UNDEFINED_NRS = [n for n in range(NROWS) if n not in TABLE]
# The fake's cost model (fake-host.c): an exit of reason n costs this + n.
FAKE_CYCLES_BASE = 1000

failed = False


def result(ok, name, detail):
    global failed
    if ok:
        print(f"PASS: {name}: {detail}")
    else:
        failed = True
        print(f"FAIL: {name}: {detail}")
    return ok


def skip(name, reason):
    print(f"SKIP: {name}: {reason}")


class Run:
    """One run of a binary: rc, stdout, stderr (text) and the fake's trace."""

    def __init__(self, binary, args, env=None, fake=True, stdout_file=None):
        self.args = args
        e = dict(os.environ)
        for k in list(e):
            if k.startswith("FAKE_"):
                del e[k]
        e.update(env or {})
        with tempfile.NamedTemporaryFile("r", delete=False) as t:
            trace = t.name
        if fake:
            e["FAKE_TRACE"] = trace
        p = subprocess.run([binary] + args, env=e, stdin=subprocess.DEVNULL,
                           stdout=stdout_file or subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        self.rc = p.returncode
        self.raw = p.stdout if stdout_file is None else b""
        self.out = self.raw.decode("utf-8", "replace")
        self.err = p.stderr.decode("utf-8", "replace")
        with open(trace) as f:
            self.trace = [(int(a, 16), int(b)) for a, b in
                          (line.split() for line in f)]
        os.unlink(trace)

    def why(self):
        return f"exit {self.rc}, stderr {self.err.strip()[:300]!r}"

    def reads_of(self, leaf, sub):
        """Indices in the trace of each read of (leaf, sub): the number of
        CPUIDs before it, i.e. the CPUID exits the host has counted then."""
        return [i for i, t in enumerate(self.trace) if t == (leaf, sub)]

    def snapshot_totals(self):
        """Indices of the TOTAL reads that close a snapshot: right after the
        cycles of reason MAX (the last row, either ABI)."""
        rows = (ABI["EXITPROBE_LEAF_SNAPSHOT_CYCLES"], ABI["EXITPROBE_LEAF_REASON_CYCLES"])
        return [i for i, t in enumerate(self.trace)
                if t == (ABI["EXITPROBE_LEAF_TOTAL"], 0) and i > 0
                and self.trace[i - 1][1] == MAX and self.trace[i - 1][0] in rows]


def parse_list(s):
    out = {}
    for part in filter(None, s.split(",")):
        nr, val = part.split(":")
        out[int(nr)] = int(val)
    return out


def fake_counts(init, disabled=()):
    """The fake's counters from FAKE_INIT, as its model keeps them."""
    return {nr: n for nr, n in init.items()
            if nr in TABLE and nr not in disabled}


# ---- command line --------------------------------------------------------

def test_usage(fake):
    bad = [
        (["--json", "--csv"], "exclude each other"),
        (["--csv", "--json"], "exclude each other"),
        (["-i", "0"], "-i takes seconds"),
        (["-i", "abc"], "-i takes seconds"),
        (["-i", "1s"], "-i takes seconds"),
        (["-i", "-1"], "-i takes seconds"),
        (["-i", "0.0001"], "-i takes seconds"),
        (["-i", "86401"], "-i takes seconds"),
        (["-i", "1.0000000001"], "-i takes seconds"),
        (["-i"], "-i needs a value"),
        (["-i", "1", "-n", "0"], "-n takes a count"),
        (["-i", "1", "-n", "x"], "-n takes a count"),
        (["-n", "5"], "it needs -i"),
        (["-i", "1", "--", "true"], "exclude each other"),
        (["-i", "1", "true"], "exclude each other"),
        (["--"], "must be followed by a command"),
        (["--bogus"], "unknown option \"--bogus\""),
        (["--sortx=count"], "unknown option"),
        (["-s", "size"], "\"count\" or \"reason\""),
        (["--sort"], "needs a value"),
        (["-o", ""], "-o needs a file name"),
    ]
    for args, want in bad:
        r = Run(fake, args)
        name = "usage." + "_".join(a.strip("-") or "dashdash" for a in args)
        result(r.rc == CODES["EXITSTAT_USAGE"] and want in r.err
               and "exitstat --help" in r.err and r.out == "" and not r.trace,
               name, f"{args} -> exit {r.rc}, {r.err.splitlines()[0] if r.err else ''!r}"
               f", {len(r.trace)} CPUIDs before the error (want 0)")
    good = [
        (["-i", "0.5", "-n", "2"], "interval"),
        (["--interval=0.5", "--count=2"], "interval"),
        (["-i0.5", "-n2"], "interval"),
        (["--sort=count", "--json"], "snapshot"),
        (["-s", "reason", "--csv"], "snapshot"),
        (["-a", "--", "true"], "command"),
        (["true"], "command"),
        (["--json", "--", "-a"], "command"),   # after --, "-a" is the command
    ]
    for args, mode in good:
        if "--json" not in args and "--csv" not in args:
            args = ["--json"] + args
        r = Run(fake, args)
        # "-a" after "--" is a command that does not exist: 127, still a report.
        want_rc = CODES["EXITSTAT_CMD_NOT_FOUND"] if args[-1] == "-a" else 0
        ok = r.rc == want_rc and (f'"mode":"{mode}"' in r.out if "--json" in args
                                  else r.out.startswith("mode,") and f"\n{mode}," in r.out)
        result(ok, "args." + "_".join(a.strip("-") or "dashdash" for a in args),
               f"{args} runs mode {mode}: {r.why()}")


def test_help(fake):
    r = Run(fake, ["--help"])
    questions = ["exitstat\n", "exitstat --sort=count", "exitstat -i 1 -n 10",
                 "exitstat -- ", "kvm_intel.ept=0"]
    missing = [q for q in questions if q.strip() not in r.out]
    result(r.rc == 0 and not missing and not r.trace, "help.questions",
           f"--help answers boot/frequent/stable/command/EPT questions (missing: {missing})")
    status = r.out[r.out.find("Exit status"):]
    codes = {k: v for k, v in CODES.items() if k.startswith("EXITSTAT_")}
    absent = [k for k, v in codes.items() if not re.search(rf"\b{v}\b", status)]
    result(len(set(codes.values())) == len(codes) and not absent, "help.exit_codes",
           f"{len(codes)} distinct exit codes, each in --help (absent: {absent})")
    v = Run(fake, ["--version"])
    result(v.rc == 0 and v.out.startswith("exitstat ") and f"ABI {ABI['EXITPROBE_ABI_VERSION']}" in v.out,
           "help.version", v.out.strip())


# ---- snapshots and formats -----------------------------------------------

INIT = f"{CPUID}:1000,{HLT}:500,{EPT_VIOLATION}:250,{EXT_INT}:77"
DISABLED = f"{GETSEC}"


def check_snapshot_json(name, r, init, disabled, row_leaf, abi2=True):
    try:
        doc = json.loads(r.out)
    except ValueError as e:
        return result(False, name, f"not JSON: {e}; {r.why()}")
    rows = {row["reason"]: row for row in doc["reasons"]}
    errors = []
    if sorted(rows) != list(range(NROWS)):
        errors.append(f"{len(rows)} rows, want reasons 0..{MAX}")
    counts = fake_counts(init, disabled)
    reads10 = r.reads_of(row_leaf, CPUID)
    counts[CPUID] = counts.get(CPUID, 0) + reads10[0]
    for nr in range(NROWS):
        row = rows.get(nr, {})
        rname = TABLE[nr][0] if nr in TABLE else None
        if nr not in TABLE:
            want = ("undefined", None, None, rname)
        elif nr in disabled and abi2:
            want = ("not_enabled", None, None, rname)
        else:
            c = counts.get(nr, 0)
            # ABI 1 reads count and cycles apart: the CPUID row's cycles
            # include the count read's own exit, one more than its count.
            cyc = (c + (not abi2 and nr == CPUID)) * (FAKE_CYCLES_BASE + nr)
            want = ("enabled" if abi2 else "defined", c, cyc, rname)
        got = (row.get("status"), row.get("count"), row.get("cycles"), row.get("name"))
        if got != want:
            errors.append(f"reason {nr}: {got}, want {want}")
    total_at = r.snapshot_totals()[0]
    want_total = sum(fake_counts(init, disabled).values()) + total_at
    if doc["total"]["count"] != want_total:
        errors.append(f"total {doc['total']['count']}, want {want_total}")
    if doc["own_reads"] != {"cpuid_row": reads10[0], "total": total_at}:
        errors.append(f"own_reads {doc['own_reads']}, want {reads10[0]} and {total_at}")
    return result(r.rc == 0 and not errors, name,
                  f"{NROWS} reasons as the fake host holds them, CPUID row = "
                  f"{init.get(CPUID, 0)} + {reads10[0]} own reads; "
                  + ("; ".join(errors[:4]) or r.why()))


def test_snapshot_formats(fake):
    env = {"FAKE_INIT": INIT, "FAKE_DISABLED": DISABLED}
    init = parse_list(INIT)
    leaf = ABI["EXITPROBE_LEAF_SNAPSHOT_CYCLES"]
    j = Run(fake, ["--json"], env)
    check_snapshot_json("snapshot.json", j, init, {GETSEC}, leaf)
    ref = {row["reason"]: row for row in json.loads(j.out)["reasons"]} if j.rc == 0 else {}

    # Text: every reason on its own line, the same numbers as the JSON.
    t = Run(fake, [], env)
    errors = []
    for nr in range(NROWS):
        m = re.search(rf"^\s*{nr} (\S+)\s+(\S+)\s+(.*)$", t.out, re.M)
        if not m:
            errors.append(f"no line for reason {nr}")
            continue
        rest = m.group(3)
        if nr not in TABLE:
            ok = m.group(1) == "-" and rest.startswith("undefined")
        elif nr == GETSEC:
            ok = rest.startswith("not enabled")
        else:
            c = ref.get(nr, {}).get("count")
            ok = m.group(1) == TABLE[nr][0] and rest.split()[0] == str(c)
        if not ok:
            errors.append(f"reason {nr}: {m.group(0).strip()!r}")
    if "scope vm" not in t.out:
        errors.append("no 'scope vm' in the header")
    result(t.rc == 0 and not errors, "snapshot.text",
           f"{NROWS} aligned rows, {len(UNDEFINED_NRS)} 'undefined', 1 'not enabled', counts "
           "equal the JSON's; " + ("; ".join(errors[:4]) or t.why()))

    # CSV: a header, one row per reason and a total; empty fields, not zeros.
    c = Run(fake, ["--csv"], env)
    rows = list(csv.DictReader(io.StringIO(c.out)))
    errors = []
    if len(rows) != NROWS + 1 or rows[-1]["reason"] != "total":
        errors.append(f"{len(rows)} rows, want {NROWS} and a total")
    for row in rows[:-1]:
        nr = int(row["reason"])
        if nr not in TABLE:
            ok = row["status"] == "undefined" and row["count"] == "" and row["name"] == ""
        elif nr == GETSEC:
            ok = row["status"] == "not_enabled" and row["count"] == "" and row["cycles"] == ""
        else:
            ok = (row["status"] == "enabled" and int(row["count"]) == ref.get(nr, {}).get("count")
                  and int(row["cycles"]) == ref.get(nr, {}).get("cycles"))
        if not ok:
            errors.append(f"row {row}")
    if rows and int(rows[-1]["own_reads"]) != c.snapshot_totals()[0]:
        errors.append(f"total own_reads {rows[-1]['own_reads']}")
    result(c.rc == 0 and not errors, "snapshot.csv",
           f"{len(rows)} rows; " + ("; ".join(errors[:3]) or c.why()))

    # Sorted by count: counted rows first, most exits first.
    s = Run(fake, ["--json", "--sort=count"], env)
    order = [(row["count"], row["reason"]) for row in json.loads(s.out)["reasons"]] if s.rc == 0 else []
    counted = [x for x in order if x[0] is not None]
    ok = (len(order) == NROWS and order[:len(counted)] == counted
          and all(a[0] >= b[0] for a, b in zip(counted, counted[1:]))
          and counted[0][1] == CPUID and counted[1][1] == HLT)
    result(ok, "snapshot.sort_count", f"first rows {order[:4]}, counted rows first, descending")


def test_hosts(fake):
    init = parse_list(INIT)
    # ABI 1: no signature, scope unknown, not-enabled indistinguishable.
    r = Run(fake, ["--json"], {"FAKE_HOST": "abi1", "FAKE_INIT": INIT, "FAKE_DISABLED": DISABLED})
    check_snapshot_json("host.abi1.json", r, init, {GETSEC},
                        ABI["EXITPROBE_LEAF_COUNT"], abi2=False)
    if r.rc == 0:
        h = json.loads(r.out)["host"]
        result(h["abi"] == 1 and h["scope"] == "unknown", "host.abi1.scope",
               f"abi {h['abi']} scope {h['scope']}")
    t = Run(fake, [], {"FAKE_HOST": "abi1"})
    result(t.rc == 0 and "scope unknown" in t.out and "host-wide" in t.out,
           "host.abi1.text", t.out.splitlines()[0] if t.out else t.why())

    t = Run(fake, [], {"FAKE_HOST": "abi2-host"})
    result(t.rc == 0 and "scope host" in t.out and "every VM on the host" in t.out,
           "host.abi2_host.text", t.out.splitlines()[0] if t.out else t.why())

    # Counting off: counters frozen, exitstat says so, claims no own reads.
    r = Run(fake, ["--json", "-i", "1", "-n", "2"],
            {"FAKE_HOST": "abi2-off", "FAKE_INIT": INIT, "FAKE_RATE": f"{HLT}:100"})
    docs = [json.loads(line) for line in r.out.splitlines()] if r.rc == 0 else []
    moved = [(d["interval"], x["reason"]) for d in docs for x in d["reasons"] if x["count"]]
    ok = (len(docs) == 2 and not moved and "counting is off" in r.err
          and all(d["own_reads"] == {"cpuid_row": 0, "total": 0} and not d["host"]["counting"]
                  for d in docs))
    result(ok, "host.counting_off", f"2 intervals, nothing moved ({moved[:3]}), warning on stderr; {r.why()}")

    r = Run(fake, ["--json"], {"FAKE_HOST": "abi2-v3"})
    result(r.rc == 0 and "newer" in r.err and "up to 90" in r.err and json.loads(r.out)["host"]["abi"] == 3,
           "host.newer_abi", f"ABI 3 with reasons up to 90 read as 2, noted: {r.err.strip()[:160]!r}")

    r = Run(fake, ["--json"], {"FAKE_WEIRD": str(HLT), "FAKE_INIT": INIT})
    doc = json.loads(r.out) if r.rc == 0 else {"reasons": [{}] * NROWS, "unknown_status": 0}
    result(doc["unknown_status"] == 1 and doc["reasons"][HLT].get("count") == init[HLT],
           "host.unknown_status", f"status 7 on HLT: unknown_status {doc['unknown_status']}, count shown")

    r = Run(fake, [], {"FAKE_PIN_ERRNO": "1"})
    result(r.rc == 0 and "cannot pin" in r.err, "host.pin_fails", f"warned and read: {r.why()}")


def test_no_counters(fake):
    cases = [
        ("unpatched", "EXITSTAT_UNPATCHED", ["does not answer", "KVMKVMKVM", "echoes"]),
        ("garbage", "EXITSTAT_UNPATCHED", ["does not answer", "not counters"]),
        ("nohv", "EXITSTAT_NO_HYPERVISOR", ["no hypervisor", "CPUID.1:ECX[31]"]),
        ("nohv-amd", "EXITSTAT_NO_HYPERVISOR", ["no hypervisor"]),
        ("amd", "EXITSTAT_AMD", ["AMD CPU", "AuthenticAMD", "Intel VMX only"]),
    ]
    tmp = tempfile.mkdtemp()
    for host, code, words in cases:
        keep = os.path.join(tmp, "keep.json")
        marker = os.path.join(tmp, "ran")
        with open(keep, "w") as f:
            f.write("precious\n")
        r = Run(fake, ["-o", keep, "--", "touch", marker], {"FAKE_HOST": host})
        with open(keep) as f:
            kept = f.read() == "precious\n"
        missing = [w for w in words if w not in r.err]
        result(r.rc == CODES[code] and not missing and kept and not os.path.exists(marker)
               and r.out == "", f"detect.{host}",
               f"exit {r.rc} (want {CODES[code]}, {code}), message has {words} "
               f"(missing {missing}), -o file kept: {kept}, command not run: "
               f"{not os.path.exists(marker)}; {r.err.strip()[:200]!r}")
    shutil.rmtree(tmp)


# ---- deltas: -- CMD and -i -------------------------------------------------

def test_command(fake):
    leaf = ABI["EXITPROBE_LEAF_SNAPSHOT_CYCLES"]
    env = {"FAKE_INIT": INIT, "FAKE_DISABLED": DISABLED,
           "FAKE_CMD": f"{HLT}:40,{EPT_VIOLATION}:7", "FAKE_CMD_NS": "5000000"}
    r = Run(fake, ["--json", "--", "sh", "-c", "exit 3"], env)
    errors = []
    try:
        doc = json.loads(r.out)
    except ValueError as e:
        doc = None
        errors.append(f"not JSON: {e}")
    if doc:
        reads = r.reads_of(leaf, CPUID)
        tot = r.snapshot_totals()
        want = {HLT: 40, EPT_VIOLATION: 7, CPUID: reads[1] - reads[0]}
        for row in doc["reasons"]:
            nr = row["reason"]
            exp = None if nr not in TABLE or nr == GETSEC else want.get(nr, 0)
            if row["count"] != exp:
                errors.append(f"reason {nr}: {row['count']}, want {exp}")
            if exp and row["cycles"] != exp * (FAKE_CYCLES_BASE + nr):
                errors.append(f"reason {nr} cycles {row['cycles']}")
        if doc["total"]["count"] != 47 + tot[1] - tot[0]:
            errors.append(f"total {doc['total']['count']}, want {47 + tot[1] - tot[0]}")
        if doc["own_reads"] != {"cpuid_row": reads[1] - reads[0], "total": tot[1] - tot[0]}:
            errors.append(f"own_reads {doc['own_reads']}")
        if doc["exit_status"] != 3 or doc["seconds"] != 0.005 or doc["command"] != ["sh", "-c", "exit 3"]:
            errors.append(f"status/seconds/command {doc['exit_status']} {doc['seconds']} {doc['command']}")
    result(r.rc == 3 and not errors, "command.json_delta",
           "HLT +40, EPT_VIOLATION +7, CPUID = own reads between the snapshots, exit 3 passed on; "
           + ("; ".join(errors[:4]) or r.why()))

    t = Run(fake, ["--", "true"], env)
    shown = re.findall(r"^\s*(\d+) ([A-Z_]+) ", t.out, re.M)
    ok = (t.rc == 0 and {int(n) for n, _ in shown} == {CPUID, HLT, EPT_VIOLATION}
          and "not shown:" in t.out and "wall time 0.005 s" in t.out
          and "command exit status 0" in t.out)
    result(ok, "command.text", f"only the reasons with exits listed: {shown}; {t.why()}")
    a = Run(fake, ["-a", "--", "true"], env)
    rows = re.findall(r"^\s*(\d+) \S+ ", a.out, re.M)
    result(a.rc == 0 and len(rows) == NROWS and "not shown" not in a.out, "command.text_all",
           f"-a lists {len(rows)} reasons (want {NROWS})")

    c = Run(fake, ["--csv", "--", "true"], env)
    rows = list(csv.DictReader(io.StringIO(c.out)))
    hlt = [x for x in rows if x["reason"] == str(HLT)]
    result(c.rc == 0 and len(rows) == NROWS + 1 and hlt and hlt[0]["count"] == "40"
           and hlt[0]["mode"] == "command" and hlt[0]["seconds"] == "0.005000",
           "command.csv", f"{len(rows)} rows, HLT row {hlt[0] if hlt else None}")

    # Statuses of commands that do not finish normally.
    tmp = tempfile.mkdtemp()
    noexec = os.path.join(tmp, "noexec")
    with open(noexec, "w") as f:
        f.write("#!/bin/sh\n")
    os.chmod(noexec, 0o644)
    for name, cmd, want, word in [
            ("not_found", ["/nonexistent/cmd"], CODES["EXITSTAT_CMD_NOT_FOUND"], "cannot run"),
            ("not_executable", [noexec], CODES["EXITSTAT_CMD_NOT_EXECUTABLE"], "cannot run"),
            ("killed", ["sh", "-c", "kill -TERM $$"], 128 + 15, "")]:
        r = Run(fake, ["--json", "--"] + cmd, env)
        doc = json.loads(r.out) if r.out else {}
        result(r.rc == want and doc.get("exit_status") == want and word in r.err,
               f"command.{name}", f"exit {r.rc} (want {want}), report written: {bool(doc)}")

    # -o: the report apart from the command's stdout; a bad -o runs nothing.
    out = os.path.join(tmp, "report.json")
    r = Run(fake, ["--json", "-o", out, "--", "echo", "hello from the command"], env)
    with open(out) as f:
        text = f.read()
    try:
        ok = json.loads(text)["exit_status"] == 0
    except ValueError:
        ok = False
    result(r.rc == 0 and ok and r.out == "hello from the command\n", "command.output_file",
           f"report in {os.path.basename(out)} is JSON, stdout is the command's: {r.out!r}")
    marker = os.path.join(tmp, "ran")
    r = Run(fake, ["-o", "/nonexistent/dir/r", "--", "touch", marker], env)
    result(r.rc == CODES["EXITSTAT_ERROR"] and "cannot write" in r.err and not os.path.exists(marker),
           "command.bad_output_file", f"exit {r.rc}, command not run: {not os.path.exists(marker)}")

    # Arguments that are not plain ASCII stay valid JSON, byte for byte.
    arg = b'q"u\\o\tte\n\xc3\xa9\xff'
    r = Run(fake, ["--json", "--", "true", arg.decode("utf-8", "surrogateescape")], env)
    try:
        got = json.loads(r.out)["command"][1]
        ok = got == arg.decode("latin-1")
    except (ValueError, KeyError, IndexError):
        got, ok = None, False
    result(r.rc == 0 and ok, "command.json_escaping", f"argument {arg!r} came back as {got!r}")

    # The report cannot be written: say so, exit 1.
    with open("/dev/full", "wb") as full:
        r = Run(fake, [], env, stdout_file=full)
    result(r.rc == CODES["EXITSTAT_ERROR"] and "cannot write" in r.err, "output.write_error",
           f"stdout on /dev/full: {r.why()}")

    # exitstat reads pinned to one CPU; the command gets the affinity back.
    ncpu = len(os.sched_getaffinity(0))
    probe = "grep Cpus_allowed_list: /proc/$PPID/status /proc/self/status"
    r = Run(fake, ["-o", os.path.join(tmp, "r"), "--", "sh", "-c", probe], env)
    lists = re.findall(r"/proc/(\S+)/status:Cpus_allowed_list:\s*(\S+)", r.out)
    mine = re.search(r"Cpus_allowed_list:\s*(\S+)", open("/proc/self/status").read()).group(1)
    if ncpu < 2:
        skip("command.affinity", "one CPU only: pinned and unpinned look the same")
    else:
        d = dict(lists)
        parent = [v for k, v in d.items() if k != "self"]
        ok = parent and re.fullmatch(r"\d+", parent[0]) and d.get("self") == mine
        result(bool(ok), "command.affinity",
               f"exitstat pinned to CPU {parent[0] if parent else '?'}, the command runs on {d.get('self')} "
               f"(the caller's {mine})")
    shutil.rmtree(tmp)


def test_intervals(fake):
    leaf = ABI["EXITPROBE_LEAF_SNAPSHOT_CYCLES"]
    env = {"FAKE_INIT": INIT, "FAKE_RATE": f"{HLT}:100,{EXT_INT}:50"}
    r = Run(fake, ["--json", "-i", "1", "-n", "3"], env)
    errors = []
    docs = []
    for line in r.out.splitlines():
        try:
            docs.append(json.loads(line))
        except ValueError as e:
            errors.append(f"line not JSON: {e}")
    reads = r.reads_of(leaf, CPUID)
    if len(docs) != 3:
        errors.append(f"{len(docs)} intervals, want 3")
    for k, d in enumerate(docs):
        rows = {x["reason"]: x["count"] for x in d["reasons"]}
        want_cpuid = reads[k + 1] - reads[k]
        if (d["interval"], d["seconds"], d["end_seconds"]) != (k + 1, 1.0, float(k + 1)):
            errors.append(f"interval {d['interval']} {d['seconds']} {d['end_seconds']}")
        if rows[HLT] != 100 or rows[EXT_INT] != 50 or rows[CPUID] != want_cpuid:
            errors.append(f"interval {k + 1}: HLT {rows[HLT]} EXT {rows[EXT_INT]} CPUID {rows[CPUID]}")
    result(r.rc == 0 and not errors, "interval.json",
           "3 JSON lines, each HLT 100 and EXTERNAL_INTERRUPT 50 per 1 s (the fake's rates), "
           "CPUID = own reads; " + ("; ".join(errors[:3]) or r.why()))

    r = Run(fake, ["-i", "0.5", "-n", "2"], env)
    blocks = re.findall(r"^interval (\d+): ([\d.]+) s", r.out, re.M)
    hlt = re.findall(rf"^\s*{HLT} HLT\s+\S+\s+(\d+)", r.out, re.M)
    result(r.rc == 0 and blocks == [("1", "0.500"), ("2", "0.500")] and hlt == ["50", "50"],
           "interval.text", f"blocks {blocks}, HLT per block {hlt}")

    r = Run(fake, ["--csv", "-i", "2", "-n", "2"], env)
    rows = list(csv.DictReader(io.StringIO(r.out)))
    hlt = [(x["interval"], x["count"]) for x in rows if x["reason"] == str(HLT)]
    result(r.rc == 0 and len(rows) == 2 * (NROWS + 1) and hlt == [("1", "200"), ("2", "200")]
           and r.out.count("mode,") == 1, "interval.csv", f"one header, {len(rows)} rows, HLT {hlt}")

    # Counters carry 32 bits: a delta across the wrap is still right.
    wrap = {"FAKE_INIT": f"{HLT}:{2**32 - 6}", "FAKE_CMD": f"{HLT}:10"}
    r = Run(fake, ["--json", "--", "true"], wrap)
    got = json.loads(r.out)["reasons"][HLT]["count"] if r.rc == 0 else None
    result(got == 10, "command.wrap32", f"HLT from 2^32-6 to 2^32+4: delta {got} (want 10)")


# ---- the real binaries, on this machine --------------------------------------

def expected_here():
    """What /proc/cpuinfo says this machine is, and the exit code for it."""
    info = open("/proc/cpuinfo").read()
    flags = re.search(r"^flags\s*:(.*)$", info, re.M).group(1).split()
    vendor = re.search(r"^vendor_id\s*:\s*(\S+)", info, re.M).group(1)
    if "hypervisor" not in flags:
        return "no hypervisor", CODES["EXITSTAT_NO_HYPERVISOR"], "no hypervisor"
    if vendor in ("AuthenticAMD", "HygonGenuine"):
        return f"{vendor} under a hypervisor", CODES["EXITSTAT_AMD"], vendor
    # An Intel guest: unpatched unless the host answers (then 0).
    return f"{vendor} under a hypervisor", CODES["EXITSTAT_UNPATCHED"], "does not answer"


def test_real(tag, binary):
    if binary == "nodeps":
        skip(f"{tag}.build", "gcc-multilib not installable here (not root?)")
        return
    if binary == "buildfail":
        result(False, f"{tag}.build", "the build failed with gcc-multilib installed")
        return
    hdr = subprocess.run(["readelf", "-lh", binary], capture_output=True, text=True).stdout
    result(bool(hdr) and "INTERP" not in hdr,
           f"{tag}.static", f"{binary}: no program interpreter (static)")
    r = Run(binary, ["--help"], fake=False)
    result(r.rc == 0 and "Usage: exitstat" in r.out, f"{tag}.help", r.why())
    what, code, word = expected_here()
    r = Run(binary, [], fake=False)
    if r.rc == 0 and code == CODES["EXITSTAT_UNPATCHED"]:
        result("exitprobe ABI" in r.out, f"{tag}.this_machine",
               f"{what}: the host answers the leaves here: {r.out.splitlines()[0]!r}")
    else:
        result(r.rc == code and word in r.err, f"{tag}.this_machine",
               f"{what} (/proc/cpuinfo): exit {r.rc}, want {code}; {r.err.strip()!r}")
    # Unprivileged: CPUID needs no privilege, the answer must not change.
    if os.geteuid() != 0:
        skip(f"{tag}.unprivileged", "already not root: the run above was unprivileged")
        return
    if not shutil.which("setpriv"):
        skip(f"{tag}.unprivileged", "setpriv (util-linux) not found")
        return
    tmp = tempfile.mkdtemp()
    os.chmod(tmp, 0o755)
    copy = os.path.join(tmp, "exitstat")
    shutil.copy(binary, copy)
    os.chmod(copy, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    u = Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", copy], fake=False)
    result(u.rc == r.rc and u.err == r.err, f"{tag}.unprivileged",
           f"as uid 65534: exit {u.rc}, same answer as root: {u.err == r.err}")
    shutil.rmtree(tmp)


# ---- the L2 guest's initramfs (scripts/e2e/make-l2-initramfs) ---------------

def l2_sections(out):
    """{step: (lines between its markers, rc)} from l2-init's output."""
    steps, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"@@l2 (\S+) (begin|end)(?: rc=(\d+))?$", line)
        if m and m.group(2) == "begin":
            cur = (m.group(1), [])
        elif m and cur and m.group(1) == cur[0]:
            steps[cur[0]] = (cur[1], int(m.group(3)))
            cur = None
        elif cur:
            cur[1].append(line)
    return steps


def test_l2_initramfs(cpio, real, fake):
    listing = subprocess.run(["cpio", "-it", "--quiet"], stdin=open(cpio, "rb"),
                             capture_output=True, text=True).stdout.split()
    tmp = tempfile.mkdtemp()
    init = os.path.join(tmp, "init")
    for member, dest in (("init", init), ("bin/exitstat", os.path.join(tmp, "exitstat"))):
        with open(dest, "wb") as f:
            subprocess.run(["cpio", "-i", "--quiet", "--to-stdout", member],
                           stdin=open(cpio, "rb"), stdout=f)
        os.chmod(dest, 0o755)
    same = open(os.path.join(tmp, "exitstat"), "rb").read() == open(real, "rb").read()
    hdr = subprocess.run(["readelf", "-l", init], capture_output=True, text=True).stdout
    result({"init", "bin/exitstat"} <= set(listing) and same and hdr and "INTERP" not in hdr,
           "l2.initramfs", f"{os.path.basename(cpio)} holds {listing}; /bin/exitstat is "
           f"build/exitstat: {same}; /init static: {bool(hdr) and 'INTERP' not in hdr}")

    # The init's sequence outside a VM (not PID 1: it does not power off),
    # with the fake host as exitstat: the workload's exits are the fake's.
    work = os.path.join(tmp, "work")
    os.mkdir(work)
    r = Run(init, [], {"L2_EXITSTAT": fake, "L2_DIR": work, "FAKE_CMD": f"{HLT}:40"})
    steps = l2_sections(r.out)
    errors = []
    try:
        boot = json.loads(steps["exitstat-boot"][0][-1])
        wl = json.loads(steps["exitstat-workload"][0][-1])
        if boot["mode"] != "snapshot" or steps["exitstat-boot"][1] != 0:
            errors.append("boot step")
        if (wl["mode"] != "command" or wl["command"][1:] != ["workload", work, "16"]
                or wl["exit_status"] != 0 or wl["reasons"][HLT]["count"] != 40):
            errors.append(f"workload report {wl['command']} {wl['exit_status']}")
        if not any(x.startswith("workload: ok: 262144 bytes") for x in steps["exitstat-workload"][0]):
            errors.append("no 'workload: ok' line")
    except (KeyError, IndexError, ValueError) as e:
        errors.append(f"sections {list(steps)}: {e}")
    order = [x.split()[1] + (" " + x.split()[2] if len(x.split()) > 2 else "")
             for x in r.out.splitlines() if x.startswith("@@l2 ")]
    if not (order[:1] == ["begin l2-init=1"] and "end boot_rc=0" in order
            and order[-1] == "poweroff skipped:"):
        errors.append(f"markers {order}")
    if "l2-workload.dat" in os.listdir(work):
        errors.append(f"left behind {os.listdir(work)}")
    result(r.rc == 0 and not errors, "l2.init_sequence",
           "markers in order, boot snapshot and workload delta are JSON, the workload "
           "(256 KiB file, 16 fork/exec) passed, its 40 fake HLT exits reported; "
           + ("; ".join(errors) or r.why()))

    # With the real exitstat: this machine's answer is recorded, init goes on.
    what, code, _word = expected_here()
    r = Run(init, [], {"L2_EXITSTAT": real, "L2_DIR": work}, fake=False)
    steps = l2_sections(r.out)
    rcs = [steps.get(k, (None, None))[1] for k in ("exitstat-boot", "exitstat-workload")]
    result(rcs == [code, code] and r.rc == 1 and f"@@l2 end boot_rc={code}" in r.out,
           "l2.init_real_exitstat", f"{what}: step exit codes {rcs} (want {code}), init exit {r.rc}")

    for name, args, want in (("l2.workload_bad_dir", ["workload", "/nonexistent/dir", "2"], 1),
                             ("l2.workload_bad_count", ["workload", work, "0"], 2),
                             ("l2.usage", ["bogus"], 2)):
        r = Run(init, args, fake=False)
        result(r.rc == want and r.err, name, f"{args}: exit {r.rc} (want {want}), {r.err.strip()!r}")
    shutil.rmtree(tmp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fake", required=True)
    ap.add_argument("--real", required=True)
    ap.add_argument("--i386", required=True)
    ap.add_argument("--l2-initramfs", required=True)
    a = ap.parse_args()
    test_usage(a.fake)
    test_help(a.fake)
    test_snapshot_formats(a.fake)
    test_hosts(a.fake)
    test_no_counters(a.fake)
    test_command(a.fake)
    test_intervals(a.fake)
    test_real("real", a.real)
    test_real("i386", a.i386)
    test_l2_initramfs(a.l2_initramfs, a.real, a.fake)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
