/* SPDX-License-Identifier: GPL-2.0 */
/* Fixed-width types for the freestanding probe (also built on the host). */
#ifndef PROBE_TYPES_H
#define PROBE_TYPES_H

#include <stdint.h>
#include <stddef.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A 64-bit value the host returns split high:low over two registers. */
static inline u64 join64(u32 hi, u32 lo)
{
	return ((u64)hi << 32) | lo;
}

#endif
