// SPDX-License-Identifier: GPL-2.0
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>

void *pl_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fputs("probe-log: out of memory\n", stderr);
		exit(2);
	}
	return p;
}
