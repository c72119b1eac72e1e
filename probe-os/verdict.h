/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The count verdict of a scenario: PASS, FAIL or SKIP and the check line's
 * text, from its expectation and the summary of its samples. Pure: the
 * caller writes the line (report.c); tests/probe checks the text.
 */
#ifndef PROBE_VERDICT_H
#define PROBE_VERDICT_H

#include "fmt.h"
#include "report.h"
#include "measure.h"
#include "scenarios.h"

/*
 * For a scenario that ran to its end on a host that counts: x is the
 * expectation for the host's paging mode (EXPECT_UNDECIDED when unknown,
 * then the EPT and shadow columns are named). cal is the calibration the
 * summary was made with. Writes the text after "RESULT: id: " into t.
 */
enum check_result count_verdict(const struct scenario *sc, const struct expect *x,
				u32 iters, const struct summary *s,
				const struct calibration *cal, struct line *t);

int expectation_met(const struct expect *x, u32 iters, s64 exits);

#endif
