/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's TSC frequency and where it came from, so that the cycle
 * figures of two logs can be compared and the run budget (config: budget=)
 * can be measured in seconds. Pure decisions over CPUID answers and a PIT
 * measurement, host-tested by tests/probe/measure-unit.c.
 */
#ifndef PROBE_TSCFREQ_H
#define PROBE_TSCFREQ_H

#include "types.h"

enum tsc_source {
	TSC_SRC_NONE,		/* nothing said it and the PIT did not tick */
	TSC_SRC_CPUID15,	/* CPUID.15H: crystal Hz x ebx / eax */
	TSC_SRC_HV,		/* hypervisor timing leaf 0x40000010 eax (kHz) */
	TSC_SRC_CPUID16,	/* CPUID.16H eax: base MHz (nominal, labelled so) */
	TSC_SRC_PIT,		/* TSC cycles over PIT periods: an estimate */
};

/* What the probe read; a leaf it could not read is all zero. */
struct tsc_inputs {
	u32 max_basic, hv_max_leaf;
	u32 l15_eax, l15_ebx, l15_ecx;	/* denominator, numerator, crystal Hz */
	u32 l16_eax;			/* base MHz */
	u32 hv10_eax;			/* TSC kHz */
	u64 pit_tsc;			/* TSC cycles over pit_periods, 0: none */
	u32 pit_periods, pit_hz_num, pit_hz_den;	/* PIT rate num/den Hz */
};

struct tsc_freq {
	u64 hz;			/* 0: unknown */
	enum tsc_source source;
};

/* The most exact source the inputs have, in the order of enum tsc_source. */
void tsc_freq_decide(const struct tsc_inputs *in, struct tsc_freq *out);
const char *tsc_source_name(enum tsc_source s);

#endif
