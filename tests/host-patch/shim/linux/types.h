/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the kernel's fixed-width types. */
#ifndef SHIM_LINUX_TYPES_H
#define SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
/* unsigned long long, as on x86-64 kernels, so %llu matches. */
typedef unsigned long long u64;
typedef long long s64;

#endif
