/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: array_index_nospec() with the kernel's generic mask
 * (all ones when index < size, else zero), computed without a branch.
 */
#ifndef SHIM_LINUX_NOSPEC_H
#define SHIM_LINUX_NOSPEC_H

static inline unsigned long array_index_mask_nospec(unsigned long index,
						    unsigned long size)
{
	return ~(long)(index | (size - 1UL - index)) >> (sizeof(long) * 8 - 1);
}

#define array_index_nospec(index, size)					\
({									\
	__typeof__(index) _i = (index);					\
	__typeof__(size) _s = (size);					\
	unsigned long _mask = array_index_mask_nospec(_i, _s);		\
	(__typeof__(_i))(_i & _mask);					\
})

#endif
