// SPDX-License-Identifier: GPL-2.0
/* The guest's backend of leaf.h: the real instructions. */
#include "leaf.h"
#include "cpu.h"

void leaf_read(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	cpuid2(leaf, sub, r);
}

u64 tsc_read(void)
{
	return rdtsc_serialized();
}
