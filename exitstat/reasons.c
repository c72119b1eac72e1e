// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#include "exitprobe-abi.h"
#include "reasons.h"

struct reason_row {
	uint32_t nr;
	const char *name;
	enum reason_class cls;
};

static const struct reason_row rows[] = {
#define SDM_EXIT_REASON(nr, ident, cls, desc) { nr, #ident, REASON_##cls },
#include "sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};

static const struct reason_row *lookup(uint32_t nr)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].nr == nr)
			return &rows[i];
	return NULL;
}

const char *reason_name(uint32_t nr)
{
	const struct reason_row *r = lookup(nr);

	return r ? r->name : NULL;
}

enum reason_class reason_class(uint32_t nr)
{
	const struct reason_row *r = lookup(nr);

	return r ? r->cls : REASON_UNDEFINED;
}

const char *reason_class_name(enum reason_class cls)
{
	switch (cls) {
	case REASON_SYNC:
		return "sync";
	case REASON_ASYNC:
		return "async";
	default:
		return "-";
	}
}

uint32_t reason_first_undefined(void)
{
	uint32_t nr;

	for (nr = 0; nr <= SDM_EXIT_REASON_MAX; nr++)
		if (!lookup(nr))
			return nr;
	/* Every number defined: past the end is undefined by definition. */
	return SDM_EXIT_REASON_MAX + 1;
}
