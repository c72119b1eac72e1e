/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: annotations and once-accesses. READ_ONCE/WRITE_ONCE
 * are single volatile accesses of the object's own width, as in the kernel,
 * so a 64-bit counter is read and written in one instruction on x86-64.
 */
#ifndef SHIM_LINUX_COMPILER_H
#define SHIM_LINUX_COMPILER_H

#include <linux/types.h>

#define __user
#define __aligned(x) __attribute__((aligned(x)))
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))

#endif
