// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC as the probe drives it: xAPIC registers through the MMIO
 * page, the interrupt and NMI handlers, the scenario hooks, and the two
 * observations made before the measurement window. Expectations and their
 * KVM citations: scentab.c.
 */
#include "apic.h"
#include "cpu.h"
#include "fmt.h"
#include "sdm.h"
#include "../common/exitprobe-abi.h"

const u32 apic_icr_ipi = APIC_ICR_SELF | APIC_VEC_IPI;
const u32 apic_icr_eoi_exit = APIC_ICR_SELF | APIC_VEC_EOI_EXIT;
/* No shorthand, physical destination in ICR high (our own ID, written by
 * apic_nmi_enter): the SDM allows the self shorthand with fixed delivery
 * only. */
const u32 apic_icr_nmi = APIC_ICR_NMI;
const u32 apic_tpr_block = APIC_TPR_BLOCK;
/* No shorthand, physical destination: the form KVM's x2APIC ICR fastpath
 * takes (handle_fastpath_set_x2apic_icr_irqoff). */
const u32 apic_icr_x2ipi = APIC_VEC_IPI;
u32 apic_x2_id;
/* ~30 us at 3.5 GHz; about 50 exit round trips under Bochs (the cpuid
 * scenario's guest_cycles there are ~2,200 per exit). */
const u32 apic_deadline_delta = 100000;

volatile u32 apic_timer_fired, apic_nmi_resend;

/* 0 until apic_detect found an xAPIC the rows can use. */
static u32 apic_base;
/* In x2APIC mode (an apic.x2* row): registers are MSRs, MMIO is off. */
static int apic_x2;
static u32 apic_id_reg;
static char deadline_detail[300];

static u32 apic_read(u32 reg)
{
	return *(volatile u32 *)(apic_base + reg);
}

static void apic_write(u32 reg, u32 v)
{
	*(volatile u32 *)(apic_base + reg) = v;
}

void apic_irq(u32 vector)
{
	if (!apic_base)
		return;
	/* A spurious interrupt sets no ISR bit and takes no EOI (SDM 11.9). */
	if (vector == APIC_VEC_SPURIOUS)
		return;
	if (vector == APIC_VEC_TIMER)
		apic_timer_fired = 1;
	if (apic_x2)
		wrmsr(MSR_X2APIC_EOI, 0);
	else
		apic_write(APIC_REG_EOI, 0);
}

/*
 * The NMI-window row: the first NMI of an iteration sends a second one
 * while NMIs are blocked (we are inside the handler), so KVM must wait for
 * the IRET that unblocks them. Any other NMI is not ours to handle.
 */
void apic_nmi(void)
{
	if (apic_base && apic_nmi_resend) {
		apic_nmi_resend = 0;
		apic_write(APIC_REG_ICR_LO, apic_icr_nmi);
	}
}

static int x2_round_trips(const struct probe_env *e);

/* The count of reason n now (version 1 count leaf: one CPUID exit). */
static u32 count_of(u32 reason)
{
	struct cpuid_regs r;

	cpuid2(EXITPROBE_LEAF_COUNT, reason, &r);
	return r.a;
}

/*
 * The APIC virtualization mode from one read of the version register, a
 * register no TPR shadow serves: after a warm-up read (the first touch of
 * the page may fault while KVM maps it), an APIC_ACCESS exit is
 * flexpriority, no exit is APIC-register virtualization, fault exits (EPT
 * violation or misconfig, #PF under shadow paging) are an emulated APIC
 * (apicmode.c apic_decide).
 */
enum apic_mode apic_detect(struct probe_env *e, int counting)
{
	u32 acc, mmio;

	e->apicbase = rdmsr(MSR_IA32_APICBASE);
	if (apic_cannot_run(e, 0, 0))
		return counting ? APIC_UNKNOWN : APIC_NA;
	apic_base = (u32)e->apicbase & 0xfffff000u;
	e->apic_base = apic_base;
	(void)apic_read(APIC_REG_VERSION);
	apic_id_reg = apic_read(APIC_REG_ID);
	e->apic_id = apic_id_reg;
	/* Software-enable it (firmware may leave it off) with a spurious
	 * vector inside our IDT. */
	apic_write(APIC_REG_SVR, APIC_SVR_ENABLE | APIC_VEC_SPURIOUS);
	e->x2apic_ok = x2_round_trips(e);
	if (!counting)
		return APIC_NA;
	acc = count_of(REASON_APIC_ACCESS);
	mmio = count_of(REASON_EPT_VIOLATION) + count_of(REASON_EPT_MISCONFIG) +
	       count_of(REASON_EXCEPTION_NMI);
	(void)apic_read(APIC_REG_VERSION);
	acc = count_of(REASON_APIC_ACCESS) - acc;
	mmio = count_of(REASON_EPT_VIOLATION) + count_of(REASON_EPT_MISCONFIG) +
	       count_of(REASON_EXCEPTION_NMI) - mmio;
	return apic_decide(acc, mmio);
}

void apic_nmi_enter(void)
{
	apic_write(APIC_REG_ICR_HI, apic_id_reg & 0xff000000u);
}

void apic_nmi_leave(void)
{
	apic_nmi_resend = 0;
}

void apic_deadline_enter(void)
{
	apic_write(APIC_REG_LVT_TIMER, APIC_LVT_TSC_DEADLINE | APIC_VEC_TIMER);
}

/* Disarm a deadline that a cut-short wait left behind, then mask. */
void apic_deadline_leave(void)
{
	wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	apic_write(APIC_REG_LVT_TIMER, APIC_LVT_MASKED | APIC_VEC_TIMER);
}

/* What leaving x2APIC mode may reset (a real APIC returns to its power-up
 * state when disabled: LINT0/1 masked, software-disabled). */
static u32 saved_lint0, saved_lint1;

static int x2_on(void)
{
	u64 b = rdmsr(MSR_IA32_APICBASE);

	saved_lint0 = apic_read(APIC_REG_LVT_LINT0);
	saved_lint1 = apic_read(APIC_REG_LVT_LINT1);
	wrmsr(MSR_IA32_APICBASE, b | APICBASE_X2APIC);
	if (!(rdmsr(MSR_IA32_APICBASE) & APICBASE_X2APIC))
		return 0;
	apic_x2 = 1;
	apic_x2_id = (u32)rdmsr(MSR_X2APIC_ID);
	return 1;
}

/*
 * x2APIC -> xAPIC is not a legal transition (SDM 10.12.5): through
 * disabled, then xAPIC, then the state apic_detect and the firmware left.
 */
static int x2_off(void)
{
	u64 b = rdmsr(MSR_IA32_APICBASE);

	wrmsr(MSR_X2APIC_TPR, 0);
	wrmsr(MSR_IA32_APICBASE, b & ~(u64)(APICBASE_X2APIC | APICBASE_ENABLE));
	wrmsr(MSR_IA32_APICBASE, (b & ~(u64)APICBASE_X2APIC) | APICBASE_ENABLE);
	apic_x2 = 0;
	if ((rdmsr(MSR_IA32_APICBASE) & (APICBASE_X2APIC | APICBASE_ENABLE)) != APICBASE_ENABLE)
		return 0;
	apic_write(APIC_REG_SVR, APIC_SVR_ENABLE | APIC_VEC_SPURIOUS);
	apic_write(APIC_REG_LVT_LINT0, saved_lint0);
	apic_write(APIC_REG_LVT_LINT1, saved_lint1);
	return 1;
}

void apic_x2_enter(void)
{
	(void)x2_on();
}

void apic_x2_leave(void)
{
	if (apic_x2)
		(void)x2_off();
}

/*
 * The x2APIC rows switch modes once per row: try it twice before the
 * window, where a platform that cannot come back (or go back in) costs a
 * SKIP instead of a fault inside a scenario. Only under KVM, which
 * enables a disabled APIC again (kvm_lapic_set_base): plain Bochs keeps it
 * disabled, which would cost every later xAPIC row.
 */
static int x2_round_trips(const struct probe_env *e)
{
	u32 i;

	if (!(e->f1_ecx & F1_ECX_X2APIC) || !e->kvm)
		return 0;
	for (i = 0; i < 2; i++)
		if (!x2_on() || !x2_off())
			return 0;
	return 1;
}

static void ioapic_write(u32 reg, u32 v)
{
	*(volatile u32 *)IOAPIC_BASE = reg;
	*(volatile u32 *)(IOAPIC_BASE + 0x10) = v;
}

/*
 * KVM puts a vector in the EOI-exit bitmap when an I/O APIC redirection
 * entry that targets this vCPU is level-triggered (kvm_ioapic_scan_entry),
 * masked or not. A masked entry of an unused pin claims the vector without
 * ever raising it.
 */
void apic_eoi_exit_enter(void)
{
	ioapic_write(0x11 + 2 * IOAPIC_EOI_PIN, apic_id_reg & 0xff000000u);
	ioapic_write(0x10 + 2 * IOAPIC_EOI_PIN,
		     APIC_LVT_MASKED | (1u << 15) | APIC_VEC_EOI_EXIT);
}

void apic_eoi_exit_leave(void)
{
	ioapic_write(0x10 + 2 * IOAPIC_EOI_PIN, APIC_LVT_MASKED);
	ioapic_write(0x11 + 2 * IOAPIC_EOI_PIN, 0);
}

/*
 * One TSC-deadline expiry before the window, counted: KVM emulates the
 * deadline with the VMX-preemption timer (one PREEMPTION_TIMER exit) when
 * kvm_can_use_hv_timer(), else with a host hrtimer (an EXTERNAL_INTERRUPT
 * exit, or none if the vCPU was out of the guest). The expiry row runs only
 * on the first; the detail says what was seen otherwise.
 */
void apic_deadline_detect(struct probe_env *e, int counting)
{
	u32 pt, ext, wr;
	struct line d;

	e->deadline_preempt = ~0u;
	e->deadline_detail = NULL;
	if (apic_cannot_run(e, 0, 0) || !(e->f1_ecx & F1_ECX_TSC_DEADLINE) ||
	    !counting || !apic_base)
		return;
	apic_deadline_enter();
	pt = count_of(REASON_PREEMPTION_TIMER);
	ext = count_of(REASON_EXTERNAL_INTERRUPT);
	wr = count_of(REASON_WRMSR);
	loop_tscdl(1, apic_base);
	pt = count_of(REASON_PREEMPTION_TIMER) - pt;
	ext = count_of(REASON_EXTERNAL_INTERRUPT) - ext;
	wr = count_of(REASON_WRMSR) - wr;
	apic_deadline_leave();
	e->deadline_preempt = pt;

	line_reset(&d);
	line_str(&d, "one TSC-deadline expiry before the window: ");
	line_u64(&d, pt);
	line_str(&d, " PREEMPTION_TIMER, ");
	line_u64(&d, ext);
	line_str(&d, " EXTERNAL_INTERRUPT, ");
	line_u64(&d, wr);
	line_str(&d, " WRMSR exits, interrupt ");
	line_str(&d, apic_timer_fired ? "arrived" : "did not arrive");
	line_str(&d, pt == 1 ? "" : ": KVM does not emulate it with the VMX-preemption timer (timer off: kvm_intel.preemption_timer=0, or its rate too high for KVM; APICv posted timer; or the deadline passed first)");
	line_copy(&d, deadline_detail, sizeof(deadline_detail));
	e->deadline_detail = deadline_detail;
}
