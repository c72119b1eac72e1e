#!/usr/bin/env python3
# sdm-table.py EXIT_STATS_C EXIT_STATS_H SDM_DEF ABI_H: compare what the
# kernel patch carries with exitprobe's sources of truth:
#  - the SDM exit reason table in exit_stats.c with
#    common/sdm-exit-reasons.def: same numbers, same names (the .def IDENT
#    column), same defined/undefined split, same maximum;
#  - its list of asynchronous reasons, vmx_exit_stats_async[], with the
#    ASYNC class of the .def;
#  - the leaf ABI constants of exit_stats.h (7 leaves, version, signature,
#    scopes, flag, statuses) with common/exitprobe-abi.h.
# Parses the C source text independently of the compiler, so it checks what
# the patch carries.
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

table = sdm_exit_reasons.load(def_path)
sdm = {n: name for n, (name, _) in table.items()}
sdm_async = sorted(n for n, (_, cls) in table.items() if cls == "async")

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

# The asynchronous reasons the snapshot leaf sums.
m = re.search(r'vmx_exit_stats_async\[\]\s*=\s*\{([^}]*)\};', c_src)
if not m:
    errors.append("no vmx_exit_stats_async[] list in " + c_path)
    k_async = []
else:
    k_async = [int(x, 0) for x in re.findall(r'\w+', m.group(1))]
    if len(set(k_async)) != len(k_async):
        errors.append("vmx_exit_stats_async[] lists a reason twice: %s" % k_async)
    if sorted(set(k_async)) != sdm_async:
        errors.append("vmx_exit_stats_async[] %s != .def ASYNC %s"
                      % (sorted(set(k_async)), sdm_async))


def defines(src):
    """{NAME: value} of the object-like #defines whose value evaluates."""
    src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
    raw = dict(re.findall(r'^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$', src, re.M))
    out = {}

    def value(name, depth=0):
        if name in out or depth > 8:
            return out.get(name)
        e = re.sub(r'\bBIT\((\w+)\)', r'(1 << \1)', raw[name])
        e = re.sub(r'\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b', r'\1', e)
        for ref in set(re.findall(r'\b[A-Za-z_]\w*\b', e)):
            if ref not in raw or value(ref, depth + 1) is None:
                return None
            e = re.sub(r'\b%s\b' % ref, str(out[ref]), e)
        if not re.fullmatch(r'[0-9a-fA-FxX()<>| \t]+', e):
            return None
        out[name] = eval(e)
        return out[name]

    for name in raw:
        value(name)
    return out


# The leaf ABI: kernel name suffix -> common/exitprobe-abi.h name.
ABI = {
    "LEAF_TOTAL": "EXITPROBE_LEAF_TOTAL",
    "LEAF_CYCLES": "EXITPROBE_LEAF_CYCLES",
    "LEAF_COUNT": "EXITPROBE_LEAF_COUNT",
    "LEAF_REASON_CYCLES": "EXITPROBE_LEAF_REASON_CYCLES",
    "LEAF_IDENT": "EXITPROBE_LEAF_IDENT",
    "LEAF_SNAPSHOT": "EXITPROBE_LEAF_SNAPSHOT",
    "LEAF_SNAPSHOT_CYCLES": "EXITPROBE_LEAF_SNAPSHOT_CYCLES",
    "UNDEFINED": "EXITPROBE_STATUS_UNDEFINED",
    "ABI_VERSION": "EXITPROBE_ABI_VERSION",
    "SIGNATURE": "EXITPROBE_SIGNATURE",
    "SCOPE_HOST": "EXITPROBE_SCOPE_HOST",
    "SCOPE_VM": "EXITPROBE_SCOPE_VM",
    "FLAG_COUNTING": "EXITPROBE_FLAG_COUNTING",
    "STATUS_OK": "EXITPROBE_STATUS_OK",
    "STATUS_DISABLED": "EXITPROBE_STATUS_DISABLED",
}
kdef = defines(h_src)
adef = defines(open(abi_path).read())
for suffix, aname in ABI.items():
    kname = "VMX_EXIT_STATS_" + suffix
    k, a = kdef.get(kname), adef.get(aname)
    if k is None or a is None or k != a:
        errors.append("%s = %s, %s = %s" % (kname, hex(k) if k is not None else "missing",
                                           aname, hex(a) if a is not None else "missing"))
if errors:
    sys.exit("; ".join(errors[:6]))
undefined = [n for n in range(amax + 1) if n not in sdm]
print("%d defined reasons 0..%d identical to common/sdm-exit-reasons.def (undefined: %s); "
      "async list = its ASYNC class (%s); %d ABI constants equal common/exitprobe-abi.h"
      % (len(sdm), amax, " ".join(map(str, undefined)), " ".join(map(str, sdm_async)),
         len(ABI)))
