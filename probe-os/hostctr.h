/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-counter client: the four leaves of common/exitprobe-abi.h.
 *
 * A snapshot reads the total, the count of every ASYNC reason, the total
 * again (a consistent pair: see snap_read), then the count and cycles of the
 * measured reason. The calibration measures what a before/after pair of
 * snapshots adds, which is then subtracted from every scenario.
 */
#ifndef PROBE_HOSTCTR_H
#define PROBE_HOSTCTR_H

#include "cpu.h"
#include "sdm.h"
#include "../common/exitprobe-abi.h"

struct snap {
	u32 count;	/* exits of the reason */
	u32 total;	/* exits of all reasons */
	u32 async;	/* exits of the ASYNC reasons, at the same instant as total */
	u32 extra;	/* CPUID exits of retried reads (see snap_read) */
	u64 cycles;	/* host cycles of the reason */
};

/* Bound on retries: an interrupt storm must not hang the probe. */
#define SNAP_RETRIES 64

/*
 * total and async must describe the same instant, or an async exit landing
 * between the two reads would be counted in one and not the other, and
 * "other" (total minus async minus the reason's own) would be off by one.
 * Read total (T1), every async count, total (T2): the reads in between are
 * sdm_async_count + 1 CPUID exits (a leaf read counts the previous reads, not
 * itself), so T2 - T1 is exactly that when no other exit happened between
 * T1 and T2; then the async sum is the one at T1. Otherwise retry, and keep
 * the CPUID exits of the failed attempts in extra so callers subtract them
 * exactly (they are reason 10 exits inside the measurement window).
 */
static inline void snap_read(u32 reason, struct snap *s)
{
	struct cpuid_regs r;
	u32 t1, t2, sum, i, tries = 0;

	for (;;) {
		cpuid2(EXITPROBE_LEAF_TOTAL, 0, &r);
		t1 = r.a;
		for (sum = 0, i = 0; i < sdm_async_count; i++) {
			cpuid2(EXITPROBE_LEAF_COUNT, sdm_async[i], &r);
			sum += r.a;
		}
		cpuid2(EXITPROBE_LEAF_TOTAL, 0, &r);
		t2 = r.a;
		if (t2 - t1 == sdm_async_count + 1 || ++tries > SNAP_RETRIES)
			break;
	}
	s->total = t1;
	s->async = sum;
	if (tries > SNAP_RETRIES)
		tries = SNAP_RETRIES;
	s->extra = tries * (sdm_async_count + 2);
	cpuid2(EXITPROBE_LEAF_COUNT, reason, &r);
	s->count = r.a;
	cpuid2(EXITPROBE_LEAF_REASON_CYCLES, reason, &r);
	s->cycles = join64(r.b, r.c);
}

#endif
