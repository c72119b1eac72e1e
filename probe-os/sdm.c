// SPDX-License-Identifier: GPL-2.0
#include "sdm.h"

#define SDM_CLASS_SYNC	0
#define SDM_CLASS_ASYNC	1

const struct sdm_reason sdm_reasons[] = {
#define SDM_EXIT_REASON(nr, ident, cls, desc) { nr, #ident, SDM_CLASS_##cls },
#include "../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};
const u32 sdm_reason_count = ARRAY_SIZE(sdm_reasons);

/* The ASYNC rows only, in table order (the leaves read per snapshot). */
#define SDM_ASYNC_NR_SYNC(nr)
#define SDM_ASYNC_NR_ASYNC(nr) nr,
const u32 sdm_async[] = {
#define SDM_EXIT_REASON(nr, ident, cls, desc) SDM_ASYNC_NR_##cls(nr)
#include "../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};
const u32 sdm_async_count = ARRAY_SIZE(sdm_async);

const struct sdm_reason *sdm_lookup(u32 nr)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(sdm_reasons); i++)
		if (sdm_reasons[i].nr == nr)
			return &sdm_reasons[i];
	return NULL;
}

const u32 sweep_extra[SWEEP_EXTRA] = {
	SDM_EXIT_REASON_MAX + 1,	/* first past the end */
	0x7fffffffu,
	0x80000000u | 10,		/* CPUID's number with the high bit set */
	0xffffffffu,
};

u32 sweep_reason(u32 i)
{
	return i <= SDM_EXIT_REASON_MAX ? i : sweep_extra[i - SDM_EXIT_REASON_MAX - 1];
}
