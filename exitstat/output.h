/* SPDX-License-Identifier: GPL-2.0 */
/* The three report formats: aligned text (default), JSON, CSV. */
#ifndef EXITSTAT_OUTPUT_H
#define EXITSTAT_OUTPUT_H

#include <stdio.h>

#include "args.h"
#include "detect.h"
#include "snapshot.h"

/* Everything a report says besides the counters. */
struct report {
	const struct args *args;
	const struct host_info *host;
	uint64_t interval;	/* MODE_INTERVAL: 1, 2, ... */
	uint64_t elapsed_ns;	/* MODE_COMMAND: wall time; MODE_INTERVAL: interval length */
	uint64_t since_start_ns;	/* MODE_INTERVAL: end of this interval, from the start */
	int command_status;	/* MODE_COMMAND */
};

/* Once, before any stats (text: the host line; CSV: the header). */
void output_begin(FILE *out, const struct report *rep);
/* One snapshot, one command's delta or one interval's delta. */
void output_stats(FILE *out, const struct report *rep, const struct stats *st);

#endif /* EXITSTAT_OUTPUT_H */
