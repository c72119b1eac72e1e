/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: the helpers of linux/kernel.h, linux/bits.h,
 * linux/kconfig.h and linux/kstrtox.h that exit_stats.c uses.
 */
#ifndef SHIM_LINUX_KERNEL_H
#define SHIM_LINUX_KERNEL_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/compiler.h>
#include <linux/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))

/*
 * A run-time switch instead of the kernel's compile-time one, so that one
 * binary can test both the x86-64 build and what an i386 build would do.
 * Only the options the code under test asks about exist.
 */
extern bool shim_config_x86_64;
#define CONFIG_X86_64_SHIM shim_config_x86_64
#define IS_ENABLED(option) READ_ONCE(option##_SHIM)

/* linux/kstrtox.h: y/Y/t/T/1/on true, n/N/f/F/0/off false, else -EINVAL. */
int kstrtobool(const char *s, bool *res);

#endif
