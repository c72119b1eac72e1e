// SPDX-License-Identifier: GPL-2.0
#include "tscfreq.h"
#include "fmt.h"	/* udiv64 */

#define HV_TIMING_LEAF	0x40000010u

void tsc_freq_decide(const struct tsc_inputs *in, struct tsc_freq *out)
{
	out->hz = 0;
	out->source = TSC_SRC_NONE;
	/*
	 * CPUID.15H is the architectural statement (SDM Vol. 3, "Determining
	 * the Processor Base Frequency"); it is usable only when all three
	 * of denominator, numerator and crystal frequency are given.
	 */
	if (in->max_basic >= 0x15 && in->l15_eax && in->l15_ebx && in->l15_ecx) {
		out->hz = udiv64((u64)in->l15_ecx * in->l15_ebx, in->l15_eax, NULL);
		out->source = TSC_SRC_CPUID15;
		return;
	}
	/* What the hypervisor says the guest's TSC runs at. */
	if (in->hv_max_leaf >= HV_TIMING_LEAF && in->hv10_eax) {
		out->hz = (u64)in->hv10_eax * 1000;
		out->source = TSC_SRC_HV;
		return;
	}
	/* Base frequency: equal to the TSC on invariant-TSC Intel parts,
	 * but only nominal; the source name says so. */
	if (in->max_basic >= 0x16 && (in->l16_eax & 0xffff)) {
		out->hz = (u64)(in->l16_eax & 0xffff) * 1000000;
		out->source = TSC_SRC_CPUID16;
		return;
	}
	/* hz = tsc / (periods / pit_hz) = tsc * num / (periods * den). */
	if (in->pit_tsc && in->pit_periods && in->pit_hz_num && in->pit_hz_den &&
	    in->pit_tsc < (1ull << 40)) {
		u64 p = (u64)in->pit_periods * in->pit_hz_den;

		if (p <= 0xffffffffu) {
			out->hz = udiv64(in->pit_tsc * in->pit_hz_num, (u32)p, NULL);
			out->source = TSC_SRC_PIT;
		}
	}
}

const char *tsc_source_name(enum tsc_source s)
{
	switch (s) {
	case TSC_SRC_CPUID15: return "cpuid15";
	case TSC_SRC_HV: return "hv_leaf";
	case TSC_SRC_CPUID16: return "cpuid16";
	case TSC_SRC_PIT: return "pit";
	default: return "-";
	}
}
