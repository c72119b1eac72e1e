#!/usr/bin/env python3
# hook-structure.py LINE PATCHED_VMX_C PRISTINE_TREE: check, on the source
# text, the assumptions that make the exit statistics count every exit once
# and time every return path, so that a rebase onto another kernel cannot
# silently break them. Prints PASS:/FAIL: lines; exit 1 on any failure.
#
# In the patched vmx.c:
#   - vmx_vcpu_run() accounts a pending fastpath exit before any return,
#   - the statement after the one vmx_vcpu_enter_exit() call starts the timer,
#   - vmx_handle_exit_irqoff() ends segment 1 before any return,
#   - vmx_handle_exit() starts segment 2 before __vmx_handle_exit() and has a
#     single return, right after committing the exit.
# In KVM itself (pristine x86.c and vmx.c):
#   - vcpu_enter_guest() re-runs vcpu_run only on EXIT_FASTPATH_REENTER_GUEST
#     and otherwise always reaches handle_exit_irqoff() then handle_exit(),
#     with no return/goto in between, and nothing else calls either op,
#   - every reason of the fastpath switch has a kvm_vmx_exit_handlers[] entry
#     (so the handler table alone decides "enabled in KVM").
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

vmx = strip_comments(open(vmx_path).read())
pristine_vmx = strip_comments(open(tree + '/arch/x86/kvm/vmx/vmx.c').read())
x86 = strip_comments(open(tree + '/arch/x86/kvm/x86.c').read())


def first_non_decl(body):
    for s in statements(body):
        if not DECL.match(s):
            return s
    return ''


# vmx_vcpu_run: the fastpath commit is the first statement.
body = function(vmx, 'vmx_vcpu_run')
s = first_non_decl(body) if body else ''
report(s.startswith('vmx_exit_stats_vcpu_run('), 'hook-vcpu-run',
       'vmx_vcpu_run() commits a pending fastpath exit first: %r' % s[:60])

# the one hardware entry/exit, immediately followed by the timer start.
calls = [m.start() for m in re.finditer(r'\bvmx_vcpu_enter_exit\(vcpu', vmx)]
after = ''
if len(calls) == 1:
    rest = vmx[calls[0]:]
    after = rest[rest.index(';') + 1:].lstrip().split(';')[0]
report(len(calls) == 1 and after.startswith('vmx_exit_stats_vm_exit('),
       'hook-vm-exit', '%d call(s) of vmx_vcpu_enter_exit(), next statement %r'
       % (len(calls), after[:50]))

# vmx_handle_exit_irqoff: segment 1 ends first.
body = function(vmx, 'vmx_handle_exit_irqoff')
s = first_non_decl(body) if body else ''
report(s.startswith('vmx_exit_stats_exit_irqoff('), 'hook-irqoff',
       'vmx_handle_exit_irqoff() ends the exit segment first: %r' % s[:60])

# vmx_handle_exit: start before the handler, one return after the commit.
body = function(vmx, 'vmx_handle_exit')
st = statements(body) if body else []
nret = len(re.findall(r'\breturn\b', body or ''))
idx = {k: next((i for i, x in enumerate(st) if k in x), -1)
       for k in ('vmx_exit_stats_handle_start(', '__vmx_handle_exit(',
                 'vmx_exit_stats_handle_end(')}
ok = (nret == 1 and st and st[-1].startswith('return') and
      0 <= idx['vmx_exit_stats_handle_start('] < idx['__vmx_handle_exit('] <
      idx['vmx_exit_stats_handle_end('] == len(st) - 2)
report(ok, 'hook-handle-exit',
       'vmx_handle_exit(): %d return(s); start/handler/end at statements %s of %d'
       % (nret, list(idx.values()), len(st)))

# vcpu_enter_guest: the loop and the path to handle_exit.
body = function(x86, 'vcpu_enter_guest') or ''
run = re.search(r'(static_call\(kvm_x86_vcpu_run\)|kvm_x86_call\(vcpu_run\))\(vcpu', body)
irqoff = re.search(r'\n\t(static_call\(kvm_x86_handle_exit_irqoff\)|kvm_x86_call\(handle_exit_irqoff\))\(vcpu\);', body)
hexit = re.search(r'(static_call\(kvm_x86_handle_exit\)|kvm_x86_call\(handle_exit\))\(vcpu', body)
ok = bool(run and irqoff and hexit and run.start() < irqoff.start() < hexit.start())
if ok:
    loop = body[run.start():irqoff.start()]
    between = body[irqoff.start():hexit.start()]
    # Inside the loop, leaving it early is a break; the only way back to
    # vcpu_run is the REENTER_GUEST check.
    ok = (not re.search(r'\b(return|goto)\b', loop + between) and
          'EXIT_FASTPATH_REENTER_GUEST' in loop)
report(ok, 'kvm-enter-guest',
       'vcpu_enter_guest() reaches handle_exit_irqoff() (unconditionally) then '
       'handle_exit() after every exit not re-entered from the fastpath')

others = 0
for path in ['x86.c', 'vmx/vmx.c', 'vmx/nested.c', 'lapic.c', 'hyperv.c']:
    try:
        src = strip_comments(open(tree + '/arch/x86/kvm/' + path).read())
    except FileNotFoundError:
        continue
    n = len(re.findall(r'(kvm_x86_handle_exit(_irqoff)?\)|kvm_x86_call\(handle_exit(_irqoff)?\))\(', src))
    others += n - (2 if path == 'x86.c' else 0)
report(others == 0, 'kvm-single-caller',
       'handle_exit and handle_exit_irqoff are called only from vcpu_enter_guest()')

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
