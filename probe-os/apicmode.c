// SPDX-License-Identifier: GPL-2.0
/*
 * The pure half of the APIC rows: how the host's APIC virtualization mode
 * is decided from counted exits, and when an APIC row can run. No hardware
 * access here, so tests/probe/unit.c checks it on the host; the register
 * accesses are in apic.c.
 */
#include "apic.h"
#include "cpu.h"

enum apic_mode apic_decide(u32 apic_access, u32 mmio)
{
	/*
	 * One read of a non-TPR register. An APIC-access exit and nothing
	 * else: the APIC-access page is mapped, without APIC-register
	 * virtualization. No exit at all: the read was virtualized. Fault
	 * exits and no APIC-access one: the page is not mapped and KVM
	 * emulates the read; two of them on KVM 6.1, whose
	 * retry_instruction() first lets a faulting read that does not write
	 * page tables run again and emulates only its second fault (6.12
	 * retries only write-protection faults: one). More than that means
	 * something else ran: trust none.
	 */
	if (apic_access == 1 && mmio == 0)
		return APIC_FLEXPRIORITY;
	if (apic_access == 0 && mmio == 0)
		return APIC_APICV;
	if (apic_access == 0 && (mmio == 1 || mmio == 2))
		return APIC_EMULATED;
	return APIC_UNKNOWN;
}

const char *apic_mode_name(enum apic_mode m)
{
	switch (m) {
	case APIC_FLEXPRIORITY: return "flexpriority";
	case APIC_APICV: return "apicv";
	case APIC_EMULATED: return "emulated";
	case APIC_UNKNOWN: return "unknown";
	default: return "-";
	}
}

/* The xAPIC the rows program: present, enabled, not in x2APIC mode. */
const char *apic_cannot_run(const struct probe_env *e, u32 iters, u32 samples)
{
	(void)iters, (void)samples;
	if (!(e->f1_edx & F1_EDX_APIC))
		return "CPUID.1:EDX.APIC=0: no local APIC";
	if (!(e->apicbase & APICBASE_ENABLE))
		return "IA32_APIC_BASE.EN=0: the local APIC is disabled";
	if (e->apicbase & APICBASE_X2APIC)
		return "IA32_APIC_BASE.EXTD=1: the APIC is in x2APIC mode, the rows use xAPIC MMIO";
	if (e->apicbase >> 32)
		return "IA32_APIC_BASE puts the APIC above 4 GiB";
	return NULL;
}

/*
 * The expiry row counts PREEMPTION_TIMER exits: on a counting host it runs
 * only where the observation before the window saw the deadline expire as
 * exactly one (KVM's hv timer, kvm_can_use_hv_timer()), otherwise it says
 * what it saw. Without counting nothing was observed (~0) and the row runs
 * like every other, its check a SKIP for want of counts.
 */
const char *apic_preempt_cannot_run(const struct probe_env *e, u32 iters, u32 samples)
{
	const char *why = apic_cannot_run(e, iters, samples);

	if (why)
		return why;
	if (e->deadline_preempt == 1 || e->deadline_preempt == ~0u)
		return NULL;
	return e->deadline_detail ? e->deadline_detail :
	       "the TSC-deadline expiry was not one PREEMPTION_TIMER exit before the window";
}

/* APIC_WRITE and EOI_INDUCED exist only with APICv (KVM's enable_apicv). */
const char *apic_apicv_cannot_run(const struct probe_env *e, u32 iters, u32 samples)
{
	const char *why = apic_cannot_run(e, iters, samples);

	if (why)
		return why;
	switch (e->apic) {
	case APIC_APICV:
		return NULL;
	case APIC_FLEXPRIORITY:
		return "host apic=flexpriority: no APIC-register virtualization or virtual-interrupt delivery (KVM enable_apicv off), the exit needs APICv";
	case APIC_EMULATED:
		return "host apic=emulated: APICv inactive, KVM emulates every xAPIC access, the exit needs APICv";
	case APIC_UNKNOWN:
		return "host apic=unknown: APICv not observed, the exit needs it";
	default:
		return "host apic=-: the APIC mode was not measured, the exit needs APICv";
	}
}

/* The emulated-MMIO rows count EPT violations: with shadow paging the same
 * faults are #PF exits (reason 0). */
const char *apic_ept_cannot_run(const struct probe_env *e, u32 iters, u32 samples)
{
	const char *why = apic_cannot_run(e, iters, samples);

	if (why)
		return why;
	if (e->paging == PAGING_SHADOW)
		return "host paging=shadow: an emulated xAPIC access faults as #PF (reason 0), not as an EPT violation";
	return NULL;
}

const char *apic_x2_cannot_run(const struct probe_env *e, u32 iters, u32 samples)
{
	const char *why = apic_cannot_run(e, iters, samples);

	if (why)
		return why;
	if (!e->kvm)
		return "not under KVM: leaving x2APIC mode disables the APIC, and not every platform enables it again (plain Bochs does not)";
	return e->x2apic_ok ? NULL :
	       "x2APIC mode did not take, or the APIC did not come back to xAPIC mode, in two round trips before the window";
}

u32 apic_arg_base(const struct probe_env *e, u32 sample, u32 iters)
{
	(void)sample, (void)iters;
	return e->apic_base;
}
