/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC rows: the xAPIC (memory-mapped) the probe programs, the
 * vectors it uses, its interrupt and NMI handlers, the scenario hooks and
 * the observations made before the measurement window (the APIC
 * virtualization mode for host:, the TSC-deadline expiry). apic.c touches
 * the hardware; apicmode.c is the pure half the unit tests check.
 */
#ifndef PROBE_APIC_H
#define PROBE_APIC_H

#include "types.h"
#include "scenarios.h"

/* xAPIC register offsets from the APIC base (Intel SDM Vol. 3, Table 11-1). */
#define APIC_REG_ID		0x020
#define APIC_REG_VERSION	0x030
#define APIC_REG_TPR		0x080
#define APIC_REG_EOI		0x0b0
#define APIC_REG_SVR		0x0f0
#define APIC_REG_ESR		0x280
#define APIC_REG_ICR_LO		0x300
#define APIC_REG_ICR_HI		0x310
#define APIC_REG_LVT_TIMER	0x320
#define APIC_REG_LVT_LINT0	0x350
#define APIC_REG_LVT_LINT1	0x360

#define APIC_SVR_ENABLE		(1u << 8)
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_LVT_TSC_DEADLINE	(2u << 17)
#define APIC_ICR_SELF		(1u << 18)	/* destination shorthand 01 */
#define APIC_ICR_NMI		(4u << 8)	/* delivery mode 100 */

/*
 * The vectors, all in the IDT's 48 entries (boot/entry.asm) and in priority
 * class 2, above the master PIC's 0x20..0x27; the slave PIC's 0x28..0x2f
 * stay masked for the whole run (trap.c pic_init), so these are free.
 */
#define APIC_VEC_EOI_EXIT	0x2c	/* claimed by an I/O APIC pin: EOI exits */
#define APIC_VEC_TIMER		0x2d
#define APIC_VEC_IPI		0x2e
#define APIC_VEC_SPURIOUS	0x2f	/* low nibble 1111 for P6-era APICs */
#define APIC_VEC_FIRST		APIC_VEC_EOI_EXIT
#define APIC_VEC_LAST		APIC_VEC_SPURIOUS
/* A TPR that holds back priority class 2, i.e. every vector above. */
#define APIC_TPR_BLOCK		0x20

/* x2APIC mode: the same registers as MSRs 0x800 + offset / 16. */
#define MSR_X2APIC_ID		0x802
#define MSR_X2APIC_TPR		0x808
#define MSR_X2APIC_EOI		0x80b
#define MSR_X2APIC_ICR		0x830
#define MSR_X2APIC_SELF_IPI	0x83f

/* The I/O APIC (QEMU/KVM pc) and the unused pin whose redirection entry
 * claims APIC_VEC_EOI_EXIT: level-triggered, masked, never raised. */
#define IOAPIC_BASE		0xfec00000u
#define IOAPIC_EOI_PIN		23u

/* The loops read these (apicloops.asm): values built from the above. */
extern const u32 apic_icr_ipi, apic_icr_eoi_exit, apic_icr_nmi, apic_tpr_block;
/* x2APIC: ICR low of a fixed IPI to the x2APIC ID in apic_x2_id (ICR high
 * in edx). */
extern const u32 apic_icr_x2ipi;
extern u32 apic_x2_id;
/* TSC cycles between the deadline write and its expiry: long enough for
 * the WRMSR exit to return to the guest before the deadline passes. */
extern const u32 apic_deadline_delta;
/* Set by the handlers, read and cleared by the loops. */
extern volatile u32 apic_timer_fired, apic_nmi_resend;

/* trap.c: a vector in APIC_VEC_FIRST..APIC_VEC_LAST, and an NMI. */
void apic_irq(u32 vector);
void apic_nmi(void);

/*
 * Before the window. apic_detect: software-enables the APIC and observes
 * the host's APIC virtualization mode (needs counting). apic_deadline_detect:
 * one TSC-deadline expiry, its exits (after pic_init, with interrupts off).
 */
enum apic_mode apic_detect(struct probe_env *e, int counting);
void apic_deadline_detect(struct probe_env *e, int counting);

/* Scenario hooks (struct scenario enter/leave). */
void apic_nmi_enter(void), apic_nmi_leave(void);
void apic_deadline_enter(void), apic_deadline_leave(void);
void apic_eoi_exit_enter(void), apic_eoi_exit_leave(void);
/* x2APIC mode for the row, and back to xAPIC (through disabled). */
void apic_x2_enter(void), apic_x2_leave(void);

/* Preconditions and argument of the APIC rows (apicmode.c). */
const char *apic_cannot_run(const struct probe_env *e, u32 iters, u32 samples);
const char *apic_preempt_cannot_run(const struct probe_env *e, u32 iters, u32 samples);
const char *apic_apicv_cannot_run(const struct probe_env *e, u32 iters, u32 samples);
const char *apic_ept_cannot_run(const struct probe_env *e, u32 iters, u32 samples);
const char *apic_x2_cannot_run(const struct probe_env *e, u32 iters, u32 samples);
u32 apic_arg_base(const struct probe_env *e, u32 sample, u32 iters);

/* The APIC loops (apicloops.asm), declared like loops.h's. */
#define APIC_LOOPS(X) \
	X(apicread) X(apicwrite) X(tpr) X(irqwin) X(nmiwin) \
	X(tscdl) X(eoiexit) X(x2ipi) X(x2tpr)

#define DECLARE_APIC_LOOP(name)					\
	void loop_##name(u32 n, u32 arg);			\
	extern const char insn_##name[], insn_##name##_end[];
APIC_LOOPS(DECLARE_APIC_LOOP)
#undef DECLARE_APIC_LOOP

#endif
