/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: rdtsc() reads a per-thread fake TSC that the tests
 * advance by hand, so every window has a known length. Each thread is one
 * CPU; a thread may set its TSC behind another's, like a migration to a CPU
 * whose TSC lags.
 */
#ifndef SHIM_ASM_MSR_H
#define SHIM_ASM_MSR_H

#include <linux/types.h>

extern __thread u64 shim_tsc;
extern __thread unsigned long shim_tsc_reads;

static inline u64 rdtsc(void)
{
	shim_tsc_reads++;
	return shim_tsc;
}

#endif
