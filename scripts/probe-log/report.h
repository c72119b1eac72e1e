/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe-log commands over parsed logs. They only write to the FILE given, so
 * the fuzz target can run them too.
 */
#ifndef PROBE_LOG_REPORT_H
#define PROBE_LOG_REPORT_H

#include <stdio.h>

#include "parse.h"

/* Default cycle tolerances, measured and argued in docs/probe-log.md. */
#define PL_DEFAULT_TOLERANCE	50.0	/* percent of A */
#define PL_DEFAULT_MIN_CYCLES	16	/* never a difference at or below this */

struct pl_tolerance {
	double pct;
	uint64_t min_cycles;
};

struct pl_input {
	const char *path;
	const char *label;
	struct pl_log log;
};

enum pl_table_format { PL_TABLE_MARKDOWN, PL_TABLE_CSV, PL_TABLE_JSON };

struct pl_diff_opts {
	struct pl_tolerance tol;
	const char *const *ignore;	/* FIELD or TAG.FIELD, e.g. "brand", "cpu.model" */
	size_t nignore;
	bool json;			/* JSON instead of the text table */
};

/*
 * Differences between A (the reference) and B, as a table or JSON. Counts
 * and all stable fields exactly; cycle fields within the tolerance;
 * volatile fields and the fields O ignores not at all. Returns the number
 * of differences.
 */
size_t pl_diff(FILE *out, const struct pl_input *a, const struct pl_input *b,
	       const struct pl_diff_opts *o);

/*
 * Per-reason sweep table over N logs. ALL: every sweep record, else only
 * reasons counted at least once in some log. Returns the number of rows.
 */
size_t pl_table(FILE *out, const struct pl_input *in, size_t n,
		enum pl_table_format fmt, bool all);

/* The scenario ids of N logs, first-seen order; returns how many. */
size_t pl_scenario_union(const struct pl_input *in, size_t n, const char ***ids);
const struct pl_scenario *pl_find_scenario(const struct pl_log *l, const char *id);

#endif /* PROBE_LOG_REPORT_H */
