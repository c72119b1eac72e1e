#!/usr/bin/env python3
# hook-structure.py LINE PATCHED_VMX_C PRISTINE_TREE: check, on the source
# text, the assumptions that make the exit statistics count every exit once
# and time its window (VM-Exit to the next VM-Enter, paused from vcpu_put()
# to vcpu_load(), parked once the exit left the vCPU halted), so that a
# rebase onto another kernel cannot silently break them. Prints PASS:/FAIL:
# lines; exit 1 on any failure.
#
# In the patched vmx.c (see exit_stats.h for what each hook needs):
#   - vmx_vcpu_run() closes the previous window first, with that exit's
#     reason, before any path that returns early,
#   - the statement after the one vmx_vcpu_enter_exit() call opens the
#     window,
#   - vmx_handle_exit() reports halted right after __vmx_handle_exit(),
#   - vmx_vcpu_put() pauses the clock first, vmx_vcpu_load() resumes it
#     last (after the VMCS and posted-interrupt work, with no early return),
#   - vmx_vcpu_free() commits an open window first,
#   - vmx_vcpu_create() registers the vCPU right before its success return,
#     once nothing can fail any more.
# In the patched cpuid.c:
#   - kvm_cpuid() asks cpuid_override() before the table lookup, for every
#     lookup but KVM's own exact_only ones.
# In KVM itself (pristine tree):
#   - a CPUID exit and an emulated CPUID (em_cpuid) both reach kvm_cpuid()
#     with exact_only false, so both get the leaves,
#   - vmx_vcpu_load()/vmx_vcpu_put() are called only through kvm_x86_ops,
#     i.e. by vcpu_load()/vcpu_put() and preemption,
#   - every reason of the fastpath switch has a kvm_vmx_exit_handlers[]
#     entry (so the handler table alone decides "enabled in KVM").
import glob
import os
import re
import sys

line, vmx_path, tree = sys.argv[1:4]
fails = 0


def report(ok, name, detail):
    global fails
    print("%s: %s-%s: %s" % ("PASS" if ok else "FAIL", name, line, detail))
    fails += not ok


def strip_comments(src):
    src = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), src, flags=re.S)
    return re.sub(r'//[^\n]*', '', src)


def read(path):
    return strip_comments(open(path).read())


def function(src, name):
    """Body (between the outer braces) of the definition of function name."""
    m = re.search(r'^[^\n;]*\b%s\([^;{]*\)\s*\{' % re.escape(name), src, re.M)
    if not m:
        return None
    i = m.end()
    depth = 1
    j = i
    while depth:
        if src[j] == '{':
            depth += 1
        elif src[j] == '}':
            depth -= 1
        j += 1
    return src[i:j - 1]


def statements(body):
    """Top-level statements of a body, declarations included, in order."""
    out, depth, cur = [], 0, ''
    for ch in body:
        cur += ch
        if ch in '({':
            depth += 1
        elif ch in ')}':
            depth -= 1
            if ch == '}' and depth == 0:
                out.append(cur.strip())
                cur = ''
        elif ch == ';' and depth == 0:
            out.append(cur.strip())
            cur = ''
    return [s for s in out if s]


DECL = re.compile(r'^(const\s+)?(struct\s+\w+|union\s+\w+|unsigned\s+long|u8|u16|u32|u64|int|bool|'
                  r'unsigned\s+int|fastpath_t)\b[^(]*(=|;)')


def is_decl(stmt):
    # A declaration whose initializer calls the hooked function is not one
    # the hook may precede: "int ret = __vmx_handle_exit(...)" is a call.
    return bool(DECL.match(stmt))


def first_non_decl(body):
    for s in statements(body or ''):
        if not is_decl(s):
            return s
    return ''


def short(s, n=60):
    return re.sub(r'\s+', ' ', s)[:n]


vmx = read(vmx_path)
cpuid = read(os.path.join(os.path.dirname(vmx_path), '..', 'cpuid.c'))
pristine_vmx = read(tree + '/arch/x86/kvm/vmx/vmx.c')
x86 = read(tree + '/arch/x86/kvm/x86.c')
emulate = read(tree + '/arch/x86/kvm/emulate.c')
pristine_cpuid = read(tree + '/arch/x86/kvm/cpuid.c')

# vmx_vcpu_run(): the previous window closes first, with its exit's reason.
s = first_non_decl(function(vmx, 'vmx_vcpu_run'))
report(s.startswith('vmx_exit_stats_vm_enter(') and 'vmx->exit_reason.full' in s,
       'hook-vm-enter',
       'vmx_vcpu_run() starts with vmx_exit_stats_vm_enter(..., vmx->exit_reason.full): %r'
       % short(s))

# The one hardware entry/exit, immediately followed by the window's start.
calls = [m.start() for m in re.finditer(r'\bvmx_vcpu_enter_exit\(vcpu', vmx)]
after = ''
if len(calls) == 1:
    rest = vmx[calls[0]:]
    after = rest[rest.index(';') + 1:].lstrip().split(';')[0]
report(len(calls) == 1 and after.startswith('vmx_exit_stats_vm_exit('),
       'hook-vm-exit', '%d call(s) of vmx_vcpu_enter_exit(), next statement %r'
       % (len(calls), short(after, 50)))

# vmx_handle_exit(): halted is known once the handler has run.
st = statements(function(vmx, 'vmx_handle_exit') or '')
idx = next((i for i, x in enumerate(st) if '__vmx_handle_exit(' in x), -1)
nxt = st[idx + 1] if 0 <= idx < len(st) - 1 else ''
ret_before = any(re.search(r'\breturn\b', x) for x in st[:idx + 1])
report(idx >= 0 and nxt.startswith('vmx_exit_stats_handled(') and not ret_before,
       'hook-handled',
       'vmx_handle_exit(): statement after __vmx_handle_exit() is %r' % short(nxt))

# vmx_vcpu_put(): pause first.
s = first_non_decl(function(vmx, 'vmx_vcpu_put'))
report(s.startswith('vmx_exit_stats_put('), 'hook-put',
       'vmx_vcpu_put() pauses the window first: %r' % short(s))

# vmx_vcpu_load(): resume last, and nothing returns before it.
body = function(vmx, 'vmx_vcpu_load') or ''
st = statements(body)
last = st[-1] if st else ''
report(last.startswith('vmx_exit_stats_load(') and
       not re.search(r'\breturn\b', body),
       'hook-load', 'vmx_vcpu_load() resumes the window last, no early return: %r'
       % short(last))

# vmx_vcpu_free(): an open window is committed before anything is freed.
s = first_non_decl(function(vmx, 'vmx_vcpu_free'))
report(s.startswith('vmx_exit_stats_vcpu_free(') and 'vmx->exit_reason.full' in s,
       'hook-vcpu-free',
       'vmx_vcpu_free() starts with vmx_exit_stats_vcpu_free(..., vmx->exit_reason.full): %r'
       % short(s))

# vmx_vcpu_create(): registered right before the one success return.
st = statements(function(vmx, 'vmx_vcpu_create') or '')
rets = [i for i, x in enumerate(st) if re.fullmatch(r'return\s+0\s*;', x)]
before = st[rets[0] - 1] if len(rets) == 1 and rets[0] > 0 else ''
inits = len(re.findall(r'\bvmx_exit_stats_vcpu_init\(', vmx))
report(before.startswith('vmx_exit_stats_vcpu_init(') and inits == 1,
       'hook-vcpu-init',
       'vmx_vcpu_create(): %d top-level "return 0", preceded by %r; %d call(s) in vmx.c'
       % (len(rets), short(before), inits))

# kvm_cpuid(): the override goes before the table lookup.
body = function(cpuid, 'kvm_cpuid') or ''
ov = re.search(r'if\s*\(\s*!exact_only\s*&&\s*(static_call\(kvm_x86_cpuid_override\)|'
               r'kvm_x86_call\(cpuid_override\))\(vcpu,\s*eax,\s*ebx,\s*ecx,\s*edx\)\s*\)'
               r'\s*return\s+true\s*;', body)
lookup = re.search(r'\bkvm_find_cpuid_entry\w*\(', body)
report(bool(ov and lookup and ov.start() < lookup.start()) and
       first_non_decl(body).startswith('if'),
       'cpuid-override',
       'kvm_cpuid() returns the cpuid_override() answer (unless exact_only) before its first statement '
       'looks up the table')

# KVM: both CPUID paths reach kvm_cpuid() with exact_only false.
em = function(emulate, 'em_cpuid') or ''
get = function(x86, 'emulator_get_cpuid') or ''
emu = function(pristine_cpuid, 'kvm_emulate_cpuid') or ''
report(bool(re.search(r'get_cpuid\(ctxt,\s*&eax,\s*&ebx,\s*&ecx,\s*&edx,\s*false\)', em) and
            re.search(r'return\s+kvm_cpuid\([^;]*exact_only\)\s*;', get) and
            re.search(r'\bkvm_cpuid\(vcpu,\s*&eax,\s*&ebx,\s*&ecx,\s*&edx,\s*false\)', emu)),
       'kvm-cpuid-paths',
       'kvm_emulate_cpuid() and em_cpuid() (via emulator_get_cpuid()) both call kvm_cpuid() '
       'with exact_only false')

# KVM: vmx_vcpu_load/put only through kvm_x86_ops.
direct = []
for path in sorted(glob.glob(tree + '/arch/x86/kvm/vmx/*.c')):
    src = read(path)
    for m in re.finditer(r'\bvmx_vcpu_(load|put)\(', src):
        start = src.rfind('\n', 0, m.start()) + 1
        if not re.match(r'(static\s+)?void\s+vmx_vcpu_', src[start:m.end()]):
            direct.append('%s:%s' % (os.path.basename(path), m.group(0)))
report(not direct, 'kvm-load-put-callers',
       'vmx_vcpu_load()/vmx_vcpu_put() are called only through kvm_x86_ops%s'
       % ('; direct calls: ' + ' '.join(direct) if direct else ''))

# The fastpath's reasons all have a slow-path handler.
fp = function(pristine_vmx, 'vmx_exit_handlers_fastpath') or ''
reasons = re.findall(r'case (EXIT_REASON_\w+):', fp)
table = re.search(r'kvm_vmx_exit_handlers\[\]\)\(struct kvm_vcpu \*vcpu\) = \{(.*?)\};',
                  pristine_vmx, re.S)
entries = set(re.findall(r'\[(EXIT_REASON_\w+)\]\s*=', table.group(1))) if table else set()
missing = [r for r in reasons if r not in entries]
report(bool(reasons) and bool(entries) and not missing, 'fastpath-in-table',
       'fastpath reasons %s all in kvm_vmx_exit_handlers[] (%d entries)%s'
       % (' '.join(r[12:] for r in reasons), len(entries),
          '; missing: ' + ' '.join(missing) if missing else ''))
sys.exit(1 if fails else 0)
