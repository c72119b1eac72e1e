/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-counter client: the four leaves of common/exitprobe-abi.h.
 * A snapshot is three CPUIDs (count of one reason, total, cycles of that
 * reason); the calibration measures what a before/after pair of snapshots
 * adds, which is then subtracted from every scenario.
 */
#ifndef PROBE_HOSTCTR_H
#define PROBE_HOSTCTR_H

#include "cpu.h"
#include "../common/exitprobe-abi.h"

struct snap {
	u32 count;	/* exits of the reason */
	u32 total;	/* exits of all reasons */
	u64 cycles;	/* host cycles of the reason */
};

static inline void snap_read(u32 reason, struct snap *s)
{
	struct cpuid_regs r;

	cpuid2(EXITPROBE_LEAF_COUNT, reason, &r);
	s->count = r.a;
	cpuid2(EXITPROBE_LEAF_TOTAL, 0, &r);
	s->total = r.a;
	cpuid2(EXITPROBE_LEAF_REASON_CYCLES, reason, &r);
	s->cycles = join64(r.b, r.c);
}

#endif
