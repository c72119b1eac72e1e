#!/usr/bin/env python3
# Writes the sample logs of the issue 10 field host: apic= (docs/serial-log.md,
# "host: apic", format 2) into tests/probe-log/logs/, derived from
# real-nested-ept-format2.log (the first format 2 probe, before apic=). Run by hand when that field changes; the logs
# are committed.
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
logs = os.path.join(here, "logs")
base = open(os.path.join(logs, "real-nested-ept-format2.log"), "rb").read().decode("ascii", "replace").split("\n")


def derive(apic, skip_cpuid=False):
    out = []
    for l in base:
        if l.startswith("host:"):
            l += " apic=" + apic
        elif skip_cpuid and l.startswith("PASS: cpuid:"):
            l = "SKIP: cpuid: the expectation depends on the host APIC virtualization mode, unknown here"
        elif skip_cpuid and l.startswith("coverage:"):
            # A SKIP covers nothing: reason 10 leaves the list.
            reasons = [r for r in l.split("list=")[1].split(",") if r != "10"]
            l = "coverage: reasons=%d list=%s" % (len(reasons), ",".join(reasons))
        out.append(l)
    checks = [l.split(":")[0] for l in out if re.match(r"^(PASS|FAIL|SKIP): ", l)]
    summary = "SUMMARY: %d passed, %d failed, %d skipped" % (
        checks.count("PASS"), checks.count("FAIL"), checks.count("SKIP"))
    return [summary if l.startswith("SUMMARY:") else l for l in out]


def write(name, out):
    with open(os.path.join(logs, name), "wb") as f:
        f.write("\n".join(out).encode("ascii", "replace"))


write("apic.log", derive("flexpriority"))
# apic=unknown: a measured scenario may SKIP (its expectation is undecided).
write("apic-unknown-skip.log", derive("unknown", skip_cpuid=True))
write("bad-apic-word.log", derive("maybe"))
write("bad-apic-dash-patched.log", derive("-"))
# A known mode decides every expectation: a measured SKIP contradicts it.
write("bad-apic-skip-known.log", derive("flexpriority", skip_cpuid=True))
