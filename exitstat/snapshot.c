// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "reasons.h"
#include "snapshot.h"

static uint64_t hi_lo(uint32_t hi, uint32_t lo)
{
	return (uint64_t)hi << 32 | lo;
}

static enum row_status abi2_status(uint32_t edx, uint32_t *unknown)
{
	switch (edx) {
	case EXITPROBE_STATUS_OK:
		return ROW_ENABLED;
	case EXITPROBE_STATUS_DISABLED:
		return ROW_NOT_ENABLED;
	case EXITPROBE_STATUS_UNDEFINED:
		return ROW_UNDEFINED;
	default:
		/* A later ABI's status: show the count, say it was not understood. */
		(*unknown)++;
		return ROW_DEFINED;
	}
}

static void read_row_abi2(struct reader *rd, uint32_t nr, struct row *row, uint32_t *unknown)
{
	struct cpuid_regs r;

	/* Count and cycles from one exit: they agree with each other. */
	reader_cpuid(rd, EXITPROBE_LEAF_SNAPSHOT_CYCLES, nr, &r);
	row->status = abi2_status(r.edx, unknown);
	row->count = r.eax;
	row->cycles = hi_lo(r.ebx, r.ecx);
}

static void read_row_abi1(struct reader *rd, uint32_t nr, struct row *row)
{
	struct cpuid_regs count, cycles;

	reader_cpuid(rd, EXITPROBE_LEAF_COUNT, nr, &count);
	reader_cpuid(rd, EXITPROBE_LEAF_REASON_CYCLES, nr, &cycles);
	row->status = count.edx == EXITPROBE_UNDEFINED ? ROW_UNDEFINED : ROW_DEFINED;
	row->count = count.eax;
	row->cycles = hi_lo(cycles.ebx, cycles.ecx);
}

void snapshot_read(struct reader *rd, const struct host_info *info, struct snapshot *snap)
{
	struct cpuid_regs total;
	uint32_t nr;

	memset(snap, 0, sizeof(*snap));
	snap->time_ns = rd->ops->now_ns();
	for (nr = 0; nr < NR_ROWS; nr++) {
		snap->row_read_at[nr] = rd->cpuids;
		if (info->kind == HOST_ABI2)
			read_row_abi2(rd, nr, &snap->s.row[nr], &snap->s.unknown_status);
		else
			read_row_abi1(rd, nr, &snap->s.row[nr]);
	}
	/* Total exits and cycles from one exit (both ABI versions). */
	snap->total_read_at = rd->cpuids;
	reader_cpuid(rd, EXITPROBE_LEAF_TOTAL, 0, &total);
	snap->s.total_count = total.eax;
	snap->s.total_cycles = hi_lo(total.ebx, total.ecx);
	/*
	 * Since the scope began, every CPUID exitstat ran before a read is in
	 * it (none when the host does not count).
	 */
	snap->counting = info->counting;
	if (snap->counting) {
		snap->s.own_cpuid = snap->row_read_at[SDM_REASON_CPUID];
		snap->s.own_total = snap->total_read_at;
	}
}

void stats_delta(const struct snapshot *before, const struct snapshot *after,
		 struct stats *out)
{
	uint32_t nr;

	memset(out, 0, sizeof(*out));
	for (nr = 0; nr < NR_ROWS; nr++) {
		const struct row *a = &before->s.row[nr], *b = &after->s.row[nr];

		out->row[nr].status = b->status;
		out->row[nr].count = (uint32_t)(b->count - a->count);
		out->row[nr].cycles = b->cycles - a->cycles;
	}
	out->total_count = (uint32_t)(after->s.total_count - before->s.total_count);
	out->total_cycles = after->s.total_cycles - before->s.total_cycles;
	if (after->counting) {
		out->own_cpuid = after->row_read_at[SDM_REASON_CPUID] -
				 before->row_read_at[SDM_REASON_CPUID];
		out->own_total = after->total_read_at - before->total_read_at;
	}
	out->unknown_status = after->s.unknown_status;
}

const char *row_status_name(enum row_status status)
{
	switch (status) {
	case ROW_ENABLED:
		return "enabled";
	case ROW_DEFINED:
		return "defined";
	case ROW_NOT_ENABLED:
		return "not_enabled";
	default:
		return "undefined";
	}
}
