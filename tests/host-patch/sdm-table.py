#!/usr/bin/env python3
# sdm-table.py EXIT_STATS_C EXIT_STATS_H SDM_DEF ABI_H: compare the SDM exit
# reason table inside the kernel patch's exit_stats.c with
# common/sdm-exit-reasons.def: same numbers, same names (the .def IDENT
# column), same defined/undefined split, same maximum. Parses the C source
# text independently of the compiler, so it checks what the patch carries.
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "common"))
import sdm_exit_reasons  # noqa: E402

c_path, h_path, def_path, abi_path = sys.argv[1:5]
c_src = open(c_path).read()
h_src = open(h_path).read()

m = re.search(r'vmx_exit_stats_names\[VMX_EXIT_STATS_NR_REASONS\]\s*=\s*\{(.*?)\n\};',
              c_src, re.S)
if not m:
    sys.exit("no vmx_exit_stats_names[] table in " + c_path)
body = m.group(1)
kernel = {}
for num, name in re.findall(r'\[(\d+)\]\s*=\s*"([A-Z0-9_]+)",', body):
    n = int(num)
    if n in kernel:
        sys.exit("reason %d listed twice in the kernel table" % n)
    kernel[n] = name
stray = re.sub(r'\s*\[\d+\]\s*=\s*"[A-Z0-9_]+",', '', body).strip()
if stray:
    sys.exit("unparsed text in the kernel table: %r" % stray[:80])

sdm = {n: name for n, (name, _) in sdm_exit_reasons.load(def_path).items()}

kmax = re.search(r'#define VMX_EXIT_STATS_MAX_REASON\s+(\d+)', h_src)
amax = re.search(r'#define SDM_EXIT_REASON_MAX\s+(\d+)', open(abi_path).read())
if not kmax or not amax:
    sys.exit("cannot find the maximum reason in the headers")
kmax, amax = int(kmax.group(1)), int(amax.group(1))

errors = []
if kmax != amax:
    errors.append("kernel max %d != abi max %d" % (kmax, amax))
if max(sdm) != amax:
    errors.append(".def max %d != abi max %d" % (max(sdm), amax))
for n in range(0, max(kmax, amax, max(sdm), max(kernel)) + 1):
    k, d = kernel.get(n), sdm.get(n)
    if k != d:
        errors.append("reason %d: kernel %s, .def %s" % (n, k or "undefined", d or "undefined"))
if errors:
    sys.exit("; ".join(errors[:6]))
undefined = [n for n in range(amax + 1) if n not in sdm]
print("%d defined reasons 0..%d identical to common/sdm-exit-reasons.def (undefined: %s)"
      % (len(sdm), amax, " ".join(map(str, undefined))))
