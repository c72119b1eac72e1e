/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe-log check: the verdict on one valid log, re-derived (verify.h), in
 * text for people or TAP13 / JUnit XML / JSON for CI systems.
 */
#ifndef PROBE_LOG_CHECK_H
#define PROBE_LOG_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "parse.h"

enum pl_check_format { PL_CHECK_TEXT, PL_CHECK_TAP, PL_CHECK_JUNIT, PL_CHECK_JSON };

enum pl_outcome {
	PL_OUTCOME_PASS,		/* patched host, nothing failed */
	PL_OUTCOME_SKIPPED,		/* no patched host, nothing failed */
	PL_OUTCOME_FAILED,		/* a check failed (the probe says so) */
	PL_OUTCOME_CONTRADICTED,	/* a check line its record does not support */
};

struct pl_check_opts {
	enum pl_check_format format;
	bool require_patched;	/* a run without a patched host is a failure case */
};

/*
 * Writes the verdict on L (read from PATH) to OUT in the chosen format; in
 * the machine formats each contradiction is also said on ERR, so it shows
 * in a CI job's console. Returns the outcome; the exit status is main's.
 */
enum pl_outcome pl_check(FILE *out, FILE *err, const char *path, const struct pl_log *l,
			 const struct pl_check_opts *o);

#endif /* PROBE_LOG_CHECK_H */
