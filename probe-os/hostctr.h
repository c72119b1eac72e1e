/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-counter client: the leaves of common/exitprobe-abi.h, read
 * through leaf.h so that tests/probe can put a simulated host behind them.
 *
 * A host that answers the identification leaf with the signature speaks
 * ABI version 2: a snapshot is then one SNAPSHOT read (count of the reason,
 * total and async sum from a single exit) plus one SNAPSHOT_CYCLES read.
 * Otherwise the version 1 method: total, every ASYNC count, total again,
 * retried until the two totals bracket only the reads themselves.
 */
#ifndef PROBE_HOSTCTR_H
#define PROBE_HOSTCTR_H

#include "leaf.h"
#include "../common/exitprobe-abi.h"
#include "sdm.h"	/* REASON_CPUID: every leaf read is one exit of it */

/* What the identification leaf said (all zero: no version 2 host). */
struct host_abi {
	u32 version;		/* EXITPROBE_ABI_VERSION or later; 0: use version 1 */
	u32 scope;		/* EXITPROBE_SCOPE_HOST or _VM */
	int counting_on;	/* EXITPROBE_FLAG_COUNTING: the counters move */
	u32 max_reason;		/* highest reason the host defines */
	struct cpuid_regs raw;	/* the answer, for the log's detail text */
};

enum ident_result {
	IDENT_ABSENT,		/* no signature: version 1 host, or no host */
	IDENT_V2,		/* signature, a version and scope we understand */
	IDENT_MALFORMED,	/* signature, but version or scope are not valid */
};

enum ident_result hostctr_ident(struct host_abi *h);

struct snap {
	u32 count;	/* exits of the reason */
	u32 total;	/* exits of all reasons, at the same instant as async */
	u32 async;	/* exits of the ASYNC reasons */
	u64 cycles;	/* host cycles of the reason */
	u32 retries;	/* attempts that were not consistent and read again */
	u32 extra;	/* CPUID exits of those attempts (callers subtract them) */
	int ok;		/* consistent; 0: SNAP_RETRIES hit, do not use */
};

/* Bound on retries: an interrupt storm or a noisy neighbour must not hang
 * the probe; a snapshot still inconsistent after it makes its sample
 * invalid. */
#define SNAP_RETRIES 64

/* A snapshot of reason's counters, by the method h says the host speaks. */
void snap_read(const struct host_abi *h, u32 reason, struct snap *s);

#endif
