/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe-log verify: judges a parsed log again instead of taking its word.
 * Every PASS:/FAIL:/SKIP: line that judges a record (a scenario: record's
 * count against its expect=, a sweep: record's edx) is re-derived from that
 * record and the host: line's counting and paging modes; a line the record
 * does not support is a contradiction. So a log edited to say PASS over a
 * count that fails its expectation is caught, whatever its SUMMARY says.
 */
#ifndef PROBE_LOG_VERIFY_H
#define PROBE_LOG_VERIFY_H

#include "parse.h"

#define PL_WHY_LEN	320

/* One check line of the log, judged again. */
struct pl_judged {
	const struct pl_check *check;
	const char *record;		/* the record line it judges, or NULL */
	unsigned record_line;		/* 0 when none */
	bool contradicted;
	char why[PL_WHY_LEN];		/* when contradicted */
};

/* A contradiction not carried by a check line (a record without its check). */
struct pl_orphan {
	unsigned line;
	char why[PL_WHY_LEN];
};

struct pl_review {
	struct pl_judged *checks;	/* one per check line, in log order */
	size_t nchecks;
	struct pl_orphan *orphans;
	size_t norphans;
	size_t ncontradictions;		/* contradicted checks + orphans */
};

/* Fills R for the valid log L (which must outlive R); pl_review_free() it. */
void pl_review(const struct pl_log *l, struct pl_review *r);
void pl_review_free(struct pl_review *r);

#endif /* PROBE_LOG_VERIFY_H */
