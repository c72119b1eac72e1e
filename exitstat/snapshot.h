/* SPDX-License-Identifier: GPL-2.0 */
/* One reading of every reason's counters, and the difference of two. */
#ifndef EXITSTAT_SNAPSHOT_H
#define EXITSTAT_SNAPSHOT_H

#include "detect.h"
#include "exitprobe-abi.h"

#define NR_ROWS (SDM_EXIT_REASON_MAX + 1)

enum row_status {
	ROW_ENABLED,		/* ABI 2: defined and enabled in KVM */
	ROW_DEFINED,		/* ABI 1: defined; enabled or not, ABI 1 cannot tell */
	ROW_NOT_ENABLED,	/* ABI 2: defined, KVM has no handler: never counted */
	ROW_UNDEFINED,		/* the host says the SDM does not define it */
};

struct row {
	enum row_status status;
	uint64_t count;		/* low 32 bits of the host's counter, or a difference */
	uint64_t cycles;
};

/* What a report shows: counters since the scope began, or a difference. */
struct stats {
	struct row row[NR_ROWS];
	uint64_t total_count;
	uint64_t total_cycles;
	/* exitstat's own CPUID executions inside the CPUID row and the total */
	uint64_t own_cpuid;
	uint64_t own_total;
	uint32_t unknown_status;	/* rows whose status word was not understood */
};

struct snapshot {
	struct stats s;
	uint64_t row_read_at[NR_ROWS];	/* reader->cpuids before each row's read */
	uint64_t total_read_at;
	uint64_t time_ns;
	int counting;			/* reads move the counters (own reads count) */
};

void snapshot_read(struct reader *rd, const struct host_info *info, struct snapshot *snap);
/* after - before; counts modulo 2^32 (the leaves carry 32 bits). */
void stats_delta(const struct snapshot *before, const struct snapshot *after,
		 struct stats *out);
const char *row_status_name(enum row_status status);

#endif /* EXITSTAT_SNAPSHOT_H */
