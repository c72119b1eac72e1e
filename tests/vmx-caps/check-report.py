#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check vmx-caps' report on the MSR values recorded from Bochs.

Usage: check-report.py VMX_CAPS MSRS_DIR DATA_DIR

Every control line of the JSON report is checked against an independent
decoding written here from the SDM (Vol. 3D, Appendix A.3-A.5): allowed
1-settings in bits 63:32, allowed 0-settings in bits 31:0, the TRUE_* MSRs
when IA32_VMX_BASIC[55] is set, secondary/tertiary fields only when their
activation control may be 1. Per model, facts known from outside the
decoder are checked too: for corei7_skylake_x the "vmx flags" line that
Linux printed in /proc/cpuinfo when booted on that Bochs model
(/work/shared/nested-in-bochs.md, see SKYLAKE_LINUX_FLAGS); for both models
a few bits read off the raw hex by hand. The text output must say the
same as the JSON. Prints PASS/FAIL lines; exits 1 on any FAIL.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "scripts", "e2e"))
import vmx_flags  # noqa: E402

failures = 0


def result(ok, name, detail):
    global failures
    if ok:
        print(f"PASS: {name}: {detail}")
    else:
        failures += 1
        print(f"FAIL: {name}: {detail}")


def read_msrs(path):
    msrs = {}
    with open(path) as f:
        for line in f:
            line = line.split("#")[0].split()
            if not line:
                continue
            msrs[int(line[0], 16)] = None if line[1] == "absent" else int(line[1], 16)
    return msrs


# field name -> (plain MSR, TRUE MSR or None, 64-bit allowed-1 only?)
FIELDS = {
    "pin_based": (0x481, 0x48D, False),
    "cpu_based": (0x482, 0x48E, False),
    "secondary": (0x48B, None, False),
    "tertiary": (0x492, None, True),
    "vmexit": (0x483, 0x48F, False),
    "secondary_vmexit": (0x493, None, True),
    "vmentry": (0x484, 0x490, False),
}


def expected_caps(msrs):
    """{field: (must_be_1, may_be_1)} or None for an absent field."""
    basic = msrs.get(0x480)
    true_ctls = basic is not None and (basic >> 55) & 1
    caps = {}
    for field in ["pin_based", "cpu_based", "vmexit", "vmentry",
                  "secondary", "tertiary", "secondary_vmexit"]:
        plain, true, wide = FIELDS[field]
        parent_bit = {"secondary": ("cpu_based", 31), "tertiary": ("cpu_based", 17),
                      "secondary_vmexit": ("vmexit", 31)}.get(field)
        if parent_bit:
            parent = caps.get(parent_bit[0])
            if parent is None or not (parent[1] >> parent_bit[1]) & 1:
                caps[field] = None
                continue
        msr = true if (true and true_ctls and msrs.get(true) is not None) else plain
        v = msrs.get(msr)
        if v is None:
            caps[field] = None
        elif wide:
            caps[field] = (0, v)
        else:
            caps[field] = (v & 0xFFFFFFFF, v >> 32)
    return caps


# What Linux 6.1 printed as "vmx flags" in L1 on Bochs' corei7_skylake_x
# (shared notes, ../shared/nested-in-bochs.md). The flag -> capability map
# and the comparison rule are scripts/e2e/vmx_flags.py, which the e2e
# verdict uses on the same line printed in every run.
SKYLAKE_LINUX_FLAGS = ("vnmi preemption_timer invvpid ept_x_only ept_ad ept_1gb "
                       "flexpriority tsc_offset vtpr vapic ept vpid unrestricted_guest "
                       "vapic_reg vid ple shadow_vmcs pml tsc_scaling").split()

# Read off the raw MSR hex by hand (tests/vmx-caps/msrs/*.msrs).
HAND = {
    "corei7_skylake_x": {
        ("cpu_based", 7): True,      # HLT exiting: 0xf7f9fffe, bit 7
        ("cpu_based", 27): False,    # monitor trap flag: 0xf7 has bit 27 clear
        ("secondary", 17): True,     # PML: 0x02177fff bit 17
        ("secondary", 20): True,     # XSAVES: 0x02177fff bit 20
        ("secondary", 26): False,    # user wait/pause
        ("pin_based", 7): False,     # posted interrupts: 0x7f bit 7 clear
    },
    "corei7_haswell_4770": {
        ("cpu_based", 7): True,
        ("secondary", 1): True,      # EPT: 0x00047fff bit 1
        ("secondary", 17): False,    # no PML on this model
        ("secondary", 20): False,    # no XSAVES/XRSTORS control
        ("secondary", 18): True,     # EPT-violation #VE: bit 18 of 0x00047fff
    },
}
# Exit reasons by number (SDM Table C-1), expected "possible" per model.
HAND_REASONS = {
    "corei7_skylake_x": {12: True, 62: True, 63: True, 37: False, 67: False},
    "corei7_haswell_4770": {12: True, 48: True, 62: False, 63: False, 37: False},
}


def parse_text(text):
    """Text records -> list of (kind, {key: value})."""
    out = []
    for line in text.splitlines():
        kind, _, rest = line.partition(": ")
        fields = dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', rest))
        out.append((kind.rstrip(":"), {k: v.strip('"') for k, v in fields.items()}))
    return out


def check_model(vmx_caps, path):
    model = os.path.basename(path).rsplit(".", 1)[0]
    msrs = read_msrs(path)
    run = subprocess.run([vmx_caps, "--json", "--msrs", path], capture_output=True, text=True)
    result(run.returncode == 0, f"{model}-exit", f"exit {run.returncode} {run.stderr.strip()}")
    try:
        records = json.loads(run.stdout)
        result(isinstance(records, list) and all("kind" in r for r in records),
               f"{model}-json", f"well-formed JSON, {len(records)} records")
    except json.JSONDecodeError as e:
        result(False, f"{model}-json", f"not JSON: {e}")
        return
    caps = expected_caps(msrs)

    # Fields.
    bad = []
    for r in (r for r in records if r["kind"] == "field"):
        exp = caps[r["name"]]
        got = None if not r["present"] else (int(r["must_be_1"], 16), int(r["may_be_1"], 16))
        if exp != got:
            bad.append(f"{r['name']}: expected {exp} got {got}")
    result(not bad, f"{model}-fields", "; ".join(bad) or "7 fields as the SDM rules give")

    # Every control line.
    bad, n = [], 0
    seen = set()
    for r in (r for r in records if r["kind"] == "control"):
        n += 1
        c = caps[r["field"]]
        may = bool(c and (c[1] >> r["bit"]) & 1)
        must = bool(c and (c[0] >> r["bit"]) & 1)
        if (r["may_be_1"], r["must_be_1"]) != (may, must):
            bad.append(f"{r['field']}.{r['bit']} {r['ident']}: may/must "
                       f"{r['may_be_1']}/{r['must_be_1']}, expected {may}/{must}")
        seen.add((r["field"], r["bit"]))
    # Bits the CPU reports but the table does not name.
    for r in (r for r in records if r["kind"] == "unnamed_bit"):
        seen.add((r["field"], r["bit"]))
    for field, c in caps.items():
        for b in range(64):
            if c and ((c[0] | c[1]) >> b) & 1 and (field, b) not in seen:
                bad.append(f"{field}.{b} set in the MSR but on no line")
    result(not bad and n > 0, f"{model}-controls",
           "; ".join(bad[:5]) or f"{n} control lines match the independent decoding")

    by_bit = {(r["field"], r["bit"]): r for r in records if r["kind"] == "control"}
    if model == "corei7_skylake_x":
        bad, n = vmx_flags.compare(SKYLAKE_LINUX_FLAGS, records, (6, 1))
        result(not bad and n > 0, f"{model}-linux-vmx-flags",
               "; ".join(bad) or f"{n} flags agree with L1's /proc/cpuinfo vmx flags")
    for fb, want in HAND.get(model, {}).items():
        if fb not in by_bit:
            result(False, f"{model}-{fb[0]}-bit{fb[1]}", "no control line for this bit")
            continue
        got = by_bit[fb]["may_be_1"]
        result(got == want, f"{model}-{fb[0]}-bit{fb[1]}",
               f"{by_bit[fb]['name']}: may be 1: {'yes' if got else 'no'} "
               f"(expected {'yes' if want else 'no'}, read off the raw MSR)")
    reasons = {r["nr"]: r for r in records if r["kind"] == "reason"}
    for nr, want in HAND_REASONS.get(model, {}).items():
        got = reasons[nr]["possible"]
        result(got == want, f"{model}-reason-{nr}",
               f"{reasons[nr]['name']} possible={got} (expected {want})")

    # The text report says the same thing as the JSON one.
    run_t = subprocess.run([vmx_caps, "--msrs", path], capture_output=True, text=True)
    text = parse_text(run_t.stdout)
    same = len(text) == len(records)
    for (kind, f), r in zip(text, records):
        if kind != r["kind"]:
            same = False
        elif kind == "control" and (f["may_be_1"] == "yes") != r["may_be_1"]:
            same = False
    result(run_t.returncode == 0 and same, f"{model}-text-matches-json",
           f"{len(text)} text lines, {len(records)} JSON records")


def check_kvm(vmx_caps, msrs_dir, data_dir):
    path = os.path.join(msrs_dir, "corei7_skylake_x.msrs")
    sample = os.path.join(data_dir, "kvm-sample.txt")
    run = subprocess.run([vmx_caps, "--json", "--msrs", path, "--kvm", sample],
                         capture_output=True, text=True)
    try:
        records = json.loads(run.stdout)
    except json.JSONDecodeError as e:
        result(False, "kvm-json", f"not JSON: {e} (stderr: {run.stderr.strip()})")
        return
    fields = {r["name"]: r for r in records if r["kind"] == "field"}
    # Values as written in the sample file.
    result(fields["cpu_based"]["kvm_value"] == "0xb5a06dfa" and
           fields["tertiary"]["kvm_value"] is None and
           all(fields[f]["kvm_allowed"] for f in
               ("pin_based", "cpu_based", "secondary", "vmexit", "vmentry")),
           "kvm-fields", "sample controls read, all within what skylake_x allows")
    ctl = {(r["field"], r["ident"]): r for r in records if r["kind"] == "control"}
    # cpu_based 0xb5a06dfa: bit 7 (HLT) set, bit 12 (RDTSC) clear.
    # secondary 0x000235ef: bit 17 (PML) set, bit 6 (WBINVD exiting) set,
    # bit 11 (RDRAND exiting) clear.
    exp = {("cpu_based", "HLT_EXITING"): True, ("cpu_based", "RDTSC_EXITING"): False,
           ("secondary", "ENABLE_PML"): True, ("secondary", "WBINVD_EXITING"): True,
           ("secondary", "RDRAND_EXITING"): False}
    bad = [f"{k}: kvm={ctl[k]['kvm']}" for k, v in exp.items() if ctl[k]["kvm"] != v]
    result(not bad, "kvm-controls", "; ".join(bad) or "5 controls on/off as in the sample")
    reasons = {r["nr"]: r for r in records if r["kind"] == "reason"}
    # CPUID and RDMSR (only an ALSO control) are unconditional: no control
    # keeps them off. LOADIWKEY is governed by a tertiary bit the sample
    # does not give: unknown.
    exp = {12: True, 16: False, 62: True, 57: False, 10: True, 31: True, 69: None}
    gate = {12: "governed", 10: "unconditional", 31: "unconditional", 69: "governed"}
    bad = [f"{nr}: kvm_enabled={reasons[nr]['kvm_enabled']}" for nr, v in exp.items()
           if reasons[nr]["kvm_enabled"] != v]
    bad += [f"{nr}: gate={reasons[nr].get('gate')}" for nr, v in gate.items()
            if reasons[nr].get("gate") != v]
    result(not bad, "kvm-reasons",
           "; ".join(bad) or "HLT/PML on, RDTSC/RDRAND off, CPUID and RDMSR unconditional (on), "
           "LOADIWKEY (no tertiary) unknown")


def main():
    vmx_caps, msrs_dir, data_dir = sys.argv[1:4]
    models = sorted(f for f in os.listdir(msrs_dir) if f.endswith(".msrs"))
    result(len(models) >= 2, "recorded-models", ", ".join(models))
    for f in models:
        check_model(vmx_caps, os.path.join(msrs_dir, f))
    check_kvm(vmx_caps, msrs_dir, data_dir)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
