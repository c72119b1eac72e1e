/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: allocation comes from libc. */
#ifndef SHIM_LINUX_SLAB_H
#define SHIM_LINUX_SLAB_H

#include <stdlib.h>

#define GFP_KERNEL 0
/* shim_alloc_fail: the next allocation fails (a test of -ENOMEM paths). */
extern int shim_alloc_fail;

static inline void *kmalloc_array(size_t n, size_t size, int flags)
{
	(void)flags;
	if (shim_alloc_fail) {
		shim_alloc_fail = 0;
		return NULL;
	}
	return calloc(n, size);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#endif
