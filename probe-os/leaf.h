/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measurement code's only window on the machine: a leaf read (CPUID)
 * and a serialized TSC read. In the guest, leaf.c runs the instructions;
 * the host-side unit tests (tests/probe/fakehost.c) link their own
 * definitions and answer from a simulated host, so hostctr.c and measure.c
 * are tested unchanged, retries and neighbours included.
 */
#ifndef PROBE_LEAF_H
#define PROBE_LEAF_H

#include "types.h"

struct cpuid_regs {
	u32 a, b, c, d;
};

/* CPUID(eax = leaf, ecx = sub): on a patched host one VM exit. */
void leaf_read(u32 leaf, u32 sub, struct cpuid_regs *r);
/* The guest's TSC, ordered against the instructions around it. */
u64 tsc_read(void);

#endif
