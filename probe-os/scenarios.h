/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scenario table: one row per exit-causing (or deliberately
 * non-exiting) instruction. Pure data plus pure precondition functions of
 * struct probe_env, so tests/probe/unit.c checks the table on the host.
 */
#ifndef PROBE_SCENARIOS_H
#define PROBE_SCENARIOS_H

#include "types.h"

enum host_counting { HOST_NONE, HOST_UNPATCHED, HOST_PATCHED };

/*
 * How the host maps guest memory, observed before the scenarios (main.c:
 * detect_paging): EPT (fresh-page touches are EPT violations), shadow paging
 * (they are #PF exceptions KVM intercepts to fill its shadow tables), or
 * unknown (neither, or both). PAGING_NA: not measured (no patched host).
 * The first three index a scenario's expectations.
 */
enum paging_mode { PAGING_EPT, PAGING_SHADOW, PAGING_UNKNOWN, PAGING_NA };
#define PAGING_MODES	3
const char *paging_name(enum paging_mode m);
/* The mode from the exits that touching PAGES fresh pages caused. */
enum paging_mode paging_decide(u32 ept_violations, u32 exceptions, u32 pages);

/*
 * An exit a host setting can switch off (hostset.h): a row gated by one
 * expects none when the probe observed the host not intercepting it.
 * GATE_ALWAYS (0, the default of a row that names none): no such setting.
 */
enum exit_gate { GATE_ALWAYS, GATE_HLT, GATE_MWAIT, GATE_PAUSE, GATE_UMIP,
		 GATE_RDRAND, GATE_RDSEED, EXIT_GATES };

/*
 * How the host virtualizes the local APIC, observed before the scenarios
 * (apic.c: apic_detect): one read of the xAPIC version register after a
 * warm-up read. flexpriority: the APIC-access page is mapped and the read
 * is one APIC_ACCESS exit (virtualize APIC accesses without APIC-register
 * virtualization); apicv: the read does not exit (KVM's enable_apicv:
 * APIC-register virtualization and virtual-interrupt delivery); emulated:
 * the page is not mapped, the read faults into KVM and is emulated (one or
 * two EPT violations, or #PF under shadow paging): what KVM 6.1 and 6.12 do
 * whenever APICv is not active, flexpriority or not (kvm_faultin_pfn
 * returns RET_PF_EMULATE for the APIC-access memslot); unknown: anything
 * else. APIC_NA: not measured. The first four index the APIC rows'
 * expectations.
 */
enum apic_mode { APIC_FLEXPRIORITY, APIC_APICV, APIC_EMULATED, APIC_UNKNOWN, APIC_NA };
#define APIC_MODES	4
const char *apic_mode_name(enum apic_mode m);
/* The mode from the exits one xAPIC register read caused: APIC_ACCESS and
 * emulated-MMIO ones (EPT violation, EPT misconfig, exception). */
enum apic_mode apic_decide(u32 apic_access, u32 mmio);

/* What the probe learnt about the machine before the scenarios. */
struct probe_env {
	enum host_counting counting;
	int kvm;			/* hypervisor signature KVMKVMKVM */
	u32 max_basic;
	u32 f1_ecx, f1_edx, f7_ebx, f7_ecx, f81_edx;
	u64 apicbase;
	u64 xcr0;			/* valid when CR4.OSXSAVE was set */
	int osxsave;
	u32 mem_end;			/* end of RAM contiguous from 1 MiB */
	int timer_ok;			/* PIT interrupts arrive */
	u32 scratch;			/* 64-byte aligned scratch memory */
	enum paging_mode paging;
	u32 gate[EXIT_GATES];		/* enum gate_state, by enum exit_gate */
	enum apic_mode apic;
	u32 apic_base;			/* xAPIC MMIO base, 0 if unusable */
	u32 apic_id;			/* xAPIC ID register (bits 31:24) */
	/* The TSC-deadline timer observed before the window (apic.c):
	 * PREEMPTION_TIMER exits of one expiry, ~0 if not measured. */
	u32 deadline_preempt;
	const char *deadline_detail;	/* what that observation saw */
	/* x2APIC mode entered and left twice before the window (apic.c):
	 * the x2APIC rows switch per row. */
	int x2apic_ok;
};

/*
 * EXPECT_UNDECIDED: no expectation holds in every paging mode and the mode
 * is unknown, so the check is a SKIP (only in the PAGING_UNKNOWN column).
 */
enum expect_kind { EXPECT_EXACT, EXPECT_ATLEAST, EXPECT_ATMOST, EXPECT_NONE,
		   EXPECT_UNDECIDED };

struct expect {
	enum expect_kind kind;
	u32 n;				/* exact: per iteration; atleast/atmost:
					 * per sample, 0 meaning "iters" */
};

/*
 * A CPUID feature bit a scenario needs, declared in its row: the table code
 * (scenario_cannot_run) tests it, the SKIP line says why. Leaf 7 words read
 * 0 when the maximum basic leaf is below 7 (main.c reads them only then).
 */
enum cpuid_word { CPUID_NONE, CPUID_1_ECX, CPUID_1_EDX, CPUID_7_EBX, CPUID_7_ECX,
		  CPUID_81_EDX };

struct need {
	enum cpuid_word word;
	u32 mask;			/* one bit */
	const char *why;		/* "CPUID.1:EDX.MCE=0, ..." */
};

u32 cpuid_word_value(const struct probe_env *e, enum cpuid_word w);

/* rep outsb / rep insb byte count of the io.outsb / io.insb scenarios. */
#define STRING_IO_COUNT	4
/* The string I/O loops' argument (loops.asm reads it in this order). */
struct string_io {
	u32 buf, count;
};
/* The MMIO write loop's argument (loops.asm reads it in this order). */
struct mmio_write {
	u32 addr, value;
};

/*
 * Which host mode picks a row's expectation column: the paging mode
 * (enum paging_mode, PAGING_MODES columns) or the APIC virtualization mode
 * (enum apic_mode, APIC_MODES columns).
 */
enum mode_axis { BY_PAGING_MODE, BY_APIC_MODE };
#define EXPECT_COLUMNS	4		/* the larger of the two */
u32 axis_columns(enum mode_axis a);
/* The column of the unknown mode, and a column's name for people. */
u32 axis_unknown(enum mode_axis a);
const char *axis_column_text(enum mode_axis a, u32 column);
const char *axis_noun(enum mode_axis a);

struct scenario {
	const char *id;			/* check name, [a-z0-9_.-]+ */
	u32 reason;			/* targeted basic exit reason */
	const char *insn;		/* the instruction, for people */
	/* What KVM does, per host mode of the row's axis. */
	enum mode_axis axis;
	struct expect expect[EXPECT_COLUMNS];
	void (*loop)(u32 n, u32 arg);
	const char *insn_at, *insn_end;
	u32 ok_vectors;			/* exceptions the instruction may raise */
	struct need needs;		/* CPUID_NONE: no CPUID bit needed */
	/* Needs beyond one CPUID bit (timer, RAM, MSR values): NULL if it
	 * can run here, else why not (for the SKIP line). */
	const char *(*cannot_run)(const struct probe_env *e, u32 iters, u32 samples);
	u32 (*arg)(const struct probe_env *e, u32 sample, u32 iters);
	void (*enter)(void), (*leave)(void);
	enum exit_gate gate;		/* a host setting can switch it off */
};

extern const struct scenario scenarios[];
extern const u32 scenario_count;

/* NULL if the scenario can run here (its needs and its cannot_run), else
 * why not. */
const char *scenario_cannot_run(const struct scenario *s, const struct probe_env *e,
				u32 iters, u32 samples);

/*
 * The expectation in column m of the row's axis. A mode that was not
 * measured (PAGING_NA, APIC_NA: no patched host, nothing is checked) shows
 * the first column (EPT, flexpriority).
 */
const struct expect *scenario_expect(const struct scenario *s, u32 m);
/* The column that applies on host e: its mode on the row's axis. */
u32 scenario_mode(const struct scenario *s, const struct probe_env *e);
/* Expected bound for a sample of iters iterations (exact: total). */
u32 scenario_expected(const struct expect *x, u32 iters);
const char *expect_name(enum expect_kind k);

/* Fresh-page pool of the "touch" scenario: one 2 MiB-aligned region per
 * sample starting at 4 MiB, so no sample reuses a (huge)page. */
#define TOUCH_BASE	(4u << 20)
u32 touch_region_size(u32 iters);

/* The paging-mode observation's fresh pages: their own 2 MiB region below
 * TOUCH_BASE and above the image (linked at 1 MiB, ~150 KiB), never used by
 * a scenario. */
#define PAGING_PROBE_BASE	(2u << 20)
#define PAGING_PROBE_PAGES	16u

#endif
