/* SPDX-License-Identifier: GPL-2.0 */
/* The SDM exit-reason table (common/sdm-exit-reasons.def) and the sweep list. */
#ifndef PROBE_SDM_H
#define PROBE_SDM_H

#include "types.h"
#include "../common/exitprobe-abi.h"

struct sdm_reason {
	u32 nr;
	const char *name;
	int async;
};

/* Each defined reason's number by its SDM identifier (REASON_CPUID,
 * REASON_EPT_VIOLATION, ...), from the one table. */
enum sdm_reason_nr {
#define SDM_EXIT_REASON(nr, ident, cls, desc) REASON_##ident = nr,
#include "../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};

extern const struct sdm_reason sdm_reasons[];
extern const u32 sdm_reason_count;

/* The numbers of the ASYNC reasons (timers, interrupts, events outside the
 * guest's instruction stream), read by every counter snapshot. */
extern const u32 sdm_async[];
extern const u32 sdm_async_count;

/* The entry for nr, or NULL if the SDM does not define nr. */
const struct sdm_reason *sdm_lookup(u32 nr);

/* The sweep: every reason 0..SDM_EXIT_REASON_MAX, then the extra undefined
 * probes (first past the end, 0x7fffffff, 0x80000000 | 10, 0xffffffff). */
#define SWEEP_EXTRA 4
#define SWEEP_COUNT (SDM_EXIT_REASON_MAX + 1 + SWEEP_EXTRA)
extern const u32 sweep_extra[SWEEP_EXTRA];
u32 sweep_reason(u32 i);	/* i < SWEEP_COUNT */

#endif
