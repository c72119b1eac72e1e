/* SPDX-License-Identifier: GPL-2.0 */
/* probe-log: allocation that ends the program (exit 2) when memory runs out. */
#ifndef PROBE_LOG_XALLOC_H
#define PROBE_LOG_XALLOC_H

#include <stddef.h>

void *pl_xcalloc(size_t n, size_t size);	/* never NULL; n == 0 is 1 */

#endif /* PROBE_LOG_XALLOC_H */
