// SPDX-License-Identifier: GPL-2.0
/* The per-thread fake TSC and how often it was read. */
#include <asm/msr.h>

__thread u64 shim_tsc;
__thread unsigned long shim_tsc_reads;
