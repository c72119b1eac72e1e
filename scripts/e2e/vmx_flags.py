# SPDX-License-Identifier: GPL-2.0
"""Linux's /proc/cpuinfo "vmx flags" names and the VMX capabilities behind them.

Used by scripts/e2e/verdict (vmx-caps in the Bochs L1 against the flags that
L1 printed) and tests/vmx-caps/check-report.py (the decoder on recorded MSRs
against a flags line saved from such an L1). Written once, here.

Sources, Debian's kernel trees (~/.cache/exitprobe/src/linux-source-6.1-*/
and linux-source-6.12-*/):
- arch/x86/include/asm/vmxfeatures.h: the flag names and the bit each
  stands for. 6.1 prints every bit whose comment does not start with ""
  (under the macro's name, lower case, unless a quoted name is given); 6.12
  prints only bits with a quoted name, and quotes two more than 6.1 prints:
  ept_violation_ve and ept_5level (FIRST_PRINTED).
- arch/x86/kernel/cpu/feat_ctl.c, init_vmx_capabilities(): a control flag
  is set when the allowed-1 half of the control's capability MSR has the
  bit (the plain MSRs; the TRUE_* ones have the same allowed-1 settings,
  SDM Vol. 3D A.3.1); flexpriority and apicv are set when *all* of their
  controls may be 1; the EPT/VPID and VM-function flags come from
  IA32_VMX_EPT_VPID_CAP and IA32_VMX_VMFUNC, not from controls.
"""

# flag -> the controls (field, bit) that must all may be 1; field names
# and bits as vmx-caps reports them (common/vmx-controls.def).
CONTROL_FLAGS = {
    "vnmi": (("pin_based", 5),),
    "preemption_timer": (("pin_based", 6),),
    "posted_intr": (("pin_based", 7),),
    "flexpriority": (("cpu_based", 21), ("secondary", 0)),
    "apicv": (("cpu_based", 21), ("secondary", 8), ("secondary", 9),
              ("pin_based", 7)),
    "tsc_offset": (("cpu_based", 3),),
    "vtpr": (("cpu_based", 21),),
    "mtf": (("cpu_based", 27),),
    "vapic": (("secondary", 0),),
    "ept": (("secondary", 1),),
    "vpid": (("secondary", 5),),
    "unrestricted_guest": (("secondary", 7),),
    "vapic_reg": (("secondary", 8),),
    "vid": (("secondary", 9),),
    "ple": (("secondary", 10),),
    "shadow_vmcs": (("secondary", 14),),
    "pml": (("secondary", 17),),
    "ept_violation_ve": (("secondary", 18),),
    "ept_mode_based_exec": (("secondary", 22),),
    "tsc_scaling": (("secondary", 25),),
    "usr_wait_pause": (("secondary", 26),),
    "notify_vm_exiting": (("secondary", 31),),
    "ipi_virt": (("tertiary", 4),),
}

# flag -> (vmx-caps record kind, key), or ("msr", address, bit) for a raw
# bit of an msr record: capabilities that are not controls.
CAPABILITY_FLAGS = {
    "invvpid": ("ept_vpid", "invvpid"),                  # EPT_VPID_CAP bit 32
    "ept_x_only": ("ept_vpid", "ept_execute_only"),      # bit 0
    "ept_5level": ("ept_vpid", "page_walk_5"),           # bit 7
    "ept_1gb": ("ept_vpid", "pdpte_1gb_pages"),          # bit 17
    "ept_ad": ("ept_vpid", "accessed_dirty_flags"),      # bit 21
    # Not VMFUNC bit 0 (EPTP switching, which vmx-caps reports as
    # vmfunc.eptp_switching): feat_ctl.c reads IA32_VMX_VMFUNC with
    # rdmsr_safe(..., &ign, &funcs), i.e. funcs = bits 63:32, and takes
    # funcs & 0xf, so on 6.1 and 6.12 the flag follows bit 32 of the raw
    # MSR. Compared as Linux reads it, against vmx-caps' raw msr record.
    "eptp_switching": ("msr", "0x491", 32),
}

# Flags a kernel older than this does not print (the default is 6.1).
FIRST_PRINTED = {"ept_violation_ve": (6, 12), "ept_5level": (6, 12)}


def parse_flags_line(line):
    """'vmx flags\\t: a b c' -> ['a', 'b', 'c'], or None if not that line."""
    name, sep, rest = line.partition(":")
    if not sep or name.strip() != "vmx flags":
        return None
    return rest.split()


def kernel_line(release):
    """'6.12.57' or '6.1.0-...' -> (6, 12) / (6, 1); None if unreadable."""
    try:
        major, minor = release.split(".")[:2]
        return int(major), int("".join(ch for ch in minor if ch.isdigit()))
    except ValueError:
        return None


def compare(flags, records, kernel=(6, 1)):
    """Linux's flags against vmx-caps' JSON records (a list of dicts).

    Every flag printed must be a capability the decoder says this CPU has;
    every mapped flag this kernel prints (FIRST_PRINTED) must be printed
    when the decoder says the CPU has it: Linux's rule is exact both ways
    (feat_ctl.c). A flag in neither table fails too: the map is then out of
    date for this kernel. Returns (problems, number of flags compared)."""
    controls = {(r.get("field"), r.get("bit")): r for r in records
                if r.get("kind") == "control"}
    singles = {r.get("kind"): r for r in records if r.get("kind") == "ept_vpid"}
    msrs = {r.get("addr"): r.get("value") for r in records if r.get("kind") == "msr"}
    have = set(flags)
    problems = []

    def decoder_says(flag):
        if flag in CONTROL_FLAGS:
            missing = [fb for fb in CONTROL_FLAGS[flag] if fb not in controls]
            if missing:
                problems.append("%s: no control line for %s" % (
                    flag, ", ".join("%s.%d" % fb for fb in missing)))
                return None
            return all(controls[fb].get("may_be_1") is True
                       for fb in CONTROL_FLAGS[flag])
        src = CAPABILITY_FLAGS[flag]
        if src[0] == "msr":
            value = msrs.get(src[1])
            # An absent MSR (value null) reads as 0 to rdmsr_safe's caller.
            return value is not None and (int(value, 16) >> src[2]) & 1 == 1
        # vmx-caps leaves the record out when neither EPT nor VPID can be
        # enabled: then the capability is absent.
        return singles.get(src[0], {}).get(src[1]) is True

    def where(flag):
        if flag in CONTROL_FLAGS:
            return "+".join("%s.%d" % fb for fb in CONTROL_FLAGS[flag])
        src = CAPABILITY_FLAGS[flag]
        return "msr %s bit %d" % src[1:] if src[0] == "msr" else "%s.%s" % src

    n = 0
    for flag in sorted(set(CONTROL_FLAGS) | set(CAPABILITY_FLAGS)):
        printed_by_kernel = kernel >= FIRST_PRINTED.get(flag, (6, 1))
        if flag not in have and not printed_by_kernel:
            continue
        says = decoder_says(flag)
        if says is None:
            continue
        n += 1
        if flag in have and not says:
            problems.append("%s (%s): Linux prints it, vmx-caps says it cannot "
                            "be enabled" % (flag, where(flag)))
        elif flag not in have and says:
            problems.append("%s (%s): vmx-caps says it may be enabled, Linux "
                            "does not print it" % (flag, where(flag)))
    unknown = sorted(have - set(CONTROL_FLAGS) - set(CAPABILITY_FLAGS))
    if unknown:
        problems.append("flags not in scripts/e2e/vmx_flags.py: %s" % " ".join(unknown))
    return problems, n
