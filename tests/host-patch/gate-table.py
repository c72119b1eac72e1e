#!/usr/bin/env python3
# gate-table.py EXIT_STATS_C [VMX_CONTROLS_DEF SDM_DEF]: compare the kernel
# patch's table of control-gated exit reasons, vmx_exit_stats_gates[] in
# exit_stats.c, with the ONLY rows of common/vmx-controls.def: the same
# (field, bit, reason) triples, no more, no less. (ALSO and NA rows do not
# decide whether a reason can occur, so the kernel does not carry them.)
# gate-table.py --print writes the kernel table's rows from the .def, the
# way the kernel copy was made.
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "common"))
import sdm_exit_reasons  # noqa: E402
import vmx_controls  # noqa: E402

# .def field -> the kernel's field constant (exit_stats.h).
FIELDS = {"PINBASED": "VMX_EXIT_STATS_PIN", "PROCBASED": "VMX_EXIT_STATS_EXEC",
          "PROCBASED2": "VMX_EXIT_STATS_EXEC2", "PROCBASED3": "VMX_EXIT_STATS_EXEC3"}


def def_gates(def_path, sdm_path):
    rows = vmx_controls.load(def_path, sdm_path)
    out = []
    for field, bit, ident, name, kind, reasons in rows:
        if kind != "ONLY":
            continue
        if field not in FIELDS:
            raise ValueError("ONLY row in field %s, which the kernel table cannot hold" % field)
        for r in reasons:
            out.append((FIELDS[field], bit, r, name))
    return out


args = sys.argv[1:]
top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
if args and args[0] == "--print":
    names = {n: i for n, (i, _) in sdm_exit_reasons.load().items()}
    for f, b, r, name in def_gates(vmx_controls.DEF_PATH, sdm_exit_reasons.DEF_PATH):
        print("\t{ %s, %d, %d },\t/* %s: %s */" % (f, b, r, name, names[r]))
    sys.exit(0)

c_path = args[0]
def_path = args[1] if len(args) > 1 else vmx_controls.DEF_PATH
sdm_path = args[2] if len(args) > 2 else sdm_exit_reasons.DEF_PATH
src = open(c_path).read()
m = re.search(r'vmx_exit_stats_gates\[\]\s*=\s*\{(.*?)\n\};', src, re.S)
if not m:
    sys.exit("no vmx_exit_stats_gates[] table in " + c_path)
body = re.sub(r'/\*.*?\*/', '', m.group(1), flags=re.S)
row = re.compile(r'\{\s*(VMX_EXIT_STATS_EXEC[23]?|VMX_EXIT_STATS_PIN)\s*,\s*(\d+)\s*,\s*(\d+)\s*\},')
kernel = [(f, int(b), int(r)) for f, b, r in row.findall(body)]
stray = row.sub('', body).strip()
if stray:
    sys.exit("unparsed text in the kernel table: %r" % stray[:80])
want = [(f, b, r) for f, b, r, _ in def_gates(def_path, sdm_path)]
errors = []
if len(set(kernel)) != len(kernel):
    errors.append("a row is listed twice in the kernel table")
for t in sorted(set(want) - set(kernel)):
    errors.append("kernel lacks %s bit %d -> reason %d" % t)
for t in sorted(set(kernel) - set(want)):
    errors.append("kernel has %s bit %d -> reason %d, the .def does not" % t)
if errors:
    sys.exit("; ".join(errors[:6]))
print("%d (field, bit, reason) rows identical to the ONLY rows of common/vmx-controls.def "
      "(%d reasons gated)" % (len(kernel), len({r for _, _, r in kernel})))
