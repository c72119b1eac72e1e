/* SPDX-License-Identifier: GPL-2.0 */
/* CPU helpers: CPUID, serialized TSC reads, MSRs, control registers, ports. */
#ifndef PROBE_CPU_H
#define PROBE_CPU_H

#include "types.h"
#include "leaf.h"	/* struct cpuid_regs */

static inline void cpuid2(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	asm volatile("cpuid"
		     : "=a"(r->a), "=b"(r->b), "=c"(r->c), "=d"(r->d)
		     : "a"(leaf), "c"(sub)
		     : "memory");
}

/* lfence orders RDTSC against earlier and later instructions (Intel SDM:
 * "If software requires RDTSC to be executed only after all previous
 * instructions have executed..."); CPUID would serialize too but is itself
 * a VM exit, which is what we measure. Without SSE2 there is no lfence. */
extern int cpu_has_lfence;

static inline u64 rdtsc_serialized(void)
{
	u32 lo, hi;

	if (cpu_has_lfence)
		asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
	else
		asm volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return join64(hi, lo);
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return join64(hi, lo);
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u32 read_cr0(void)
{
	u32 v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline u32 read_cr4(void)
{
	u32 v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(u32 v)
{
	asm volatile("mov %0, %%cr4" :: "r"(v) : "memory");
}

static inline u64 xgetbv(u32 idx)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
	return join64(hi, lo);
}

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cli(void) { asm volatile("cli" ::: "memory"); }
static inline void sti(void) { asm volatile("sti" ::: "memory"); }

static inline void __attribute__((noreturn)) halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#define CR0_MP		(1u << 1)
#define CR4_MCE		(1u << 6)
#define CR4_UMIP	(1u << 11)
#define CR4_OSXSAVE	(1u << 18)

/* CPUID feature bits used to decide which scenarios can run. */
#define F1_EDX_TSC	(1u << 4)
#define F1_EDX_MCE	(1u << 7)
#define F1_EDX_APIC	(1u << 9)
#define F1_EDX_SSE2	(1u << 26)
#define F1_ECX_MONITOR	(1u << 3)
#define F1_ECX_VMX	(1u << 5)
#define F1_ECX_X2APIC	(1u << 21)
#define F1_ECX_TSC_DEADLINE (1u << 24)
#define F1_ECX_XSAVE	(1u << 26)
#define F1_ECX_RDRAND	(1u << 30)
#define F1_ECX_HYPERVISOR (1u << 31)
#define F7_EBX_INVPCID	(1u << 10)
#define F7_EBX_RDSEED	(1u << 18)
#define F7_ECX_UMIP	(1u << 2)
#define F81_EDX_RDTSCP	(1u << 27)

#define MSR_IA32_APICBASE 0x1b
#define MSR_IA32_SYSENTER_CS 0x174
#define APICBASE_X2APIC	(1u << 10)	/* EXTD */
#define APICBASE_ENABLE	(1u << 11)	/* EN */
#define MSR_IA32_TSC_DEADLINE 0x6e0

#endif
