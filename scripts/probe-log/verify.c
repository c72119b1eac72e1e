// SPDX-License-Identifier: GPL-2.0
/*
 * probe-log verify: re-derives the result of every check line that judges a
 * record, from that record alone (see verify.h). The rules mirror what the
 * probe does (probe-os/main.c, run_scenario and sweep_report) and nothing
 * more: where the probe decides from something the log does not show, both
 * outcomes it could have printed are accepted, and the comment says which.
 */
#include "verify.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitprobe-abi.h"
#include "xalloc.h"


__attribute__((format(printf, 2, 3)))
static void contradict(struct pl_judged *j, const char *fmt, ...)
{
	va_list ap;

	j->contradicted = true;
	va_start(ap, fmt);
	vsnprintf(j->why, sizeof(j->why), fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void orphan(struct pl_review *r, unsigned line, const char *fmt, ...)
{
	struct pl_orphan *o;
	va_list ap;

	r->orphans = realloc(r->orphans, (r->norphans + 1) * sizeof(*r->orphans));
	if (!r->orphans) {
		fputs("probe-log: out of memory\n", stderr);
		exit(2);
	}
	o = &r->orphans[r->norphans++];
	o->line = line;
	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
}

/* What expect= asks of one sample, in words, e.g. "exactly 50 (exact:1 x 50 iterations)". */
static void expect_text(char *buf, size_t n, const struct pl_scenario *s)
{
	switch (s->expect_kind) {
	case PL_EXPECT_EXACT:
		snprintf(buf, n, "exactly %" PRIu64 " x %" PRIu64 " iterations",
			 s->expect_n, s->iters);
		break;
	case PL_EXPECT_ATLEAST:
		snprintf(buf, n, "at least %" PRIu64, s->expect_n);
		break;
	case PL_EXPECT_ATMOST:
		snprintf(buf, n, "at most %" PRIu64, s->expect_n);
		break;
	case PL_EXPECT_NONE:
		snprintf(buf, n, "none");
		break;
	}
}

/*
 * exact:N is per iteration, atleast:N and atmost:N per sample, as the log
 * writes them (docs/serial-log.md, "scenario: fields").
 */
static bool count_met(const struct pl_scenario *s, uint64_t e)
{
	switch (s->expect_kind) {
	case PL_EXPECT_EXACT:
		return (unsigned __int128)e == (unsigned __int128)s->expect_n * s->iters;
	case PL_EXPECT_ATLEAST:
		return e >= s->expect_n;
	case PL_EXPECT_ATMOST:
		return e <= s->expect_n;
	case PL_EXPECT_NONE:
		break;
	}
	return e == 0;
}

/*
 * Format 2 judges every valid sample: the expectations are intervals, so
 * the range's two ends decide. Format 1 logs show only the median.
 */
static bool expectation_met(const struct pl_scenario *s)
{
	if (s->has_range)
		return count_met(s, s->min.v) && count_met(s, s->max.v);
	return count_met(s, s->exits.v);
}

/* The probe's FAIL for an exception, which it writes on every host. */
static bool names_exception(const struct pl_check *k)
{
	return strstr(k->text, " raised ") || !strncmp(k->text, "aborted by ", 11);
}

static void judge_scenario(const struct pl_log *l, const struct pl_scenario *s,
			   struct pl_judged *j)
{
	enum pl_result got = j->check->result;
	char want[96];
	bool met;

	/*
	 * Without a patched host the probe SKIPs every count check; an
	 * exception the instruction must not raise FAILs on every host.
	 */
	if (l->counting != PL_COUNTING_PATCHED) {
		if (got == PL_PASS || (got == PL_FAIL && !names_exception(j->check)))
			contradict(j, "%s without a patched host (counting=%s): every count check is SKIP there",
				   pl_result_word(got), l->counting_word);
		return;
	}
	/*
	 * Not measured on a patched host: the scenario could not run here
	 * (SKIP) or a fault aborted it (FAIL). Never a PASS.
	 */
	if (!s->exits.set) {
		if (got == PL_PASS)
			contradict(j, "PASS but its record measured nothing (exits=-)");
		return;
	}
	met = expectation_met(s);
	expect_text(want, sizeof(want), s);
	switch (got) {
	case PL_PASS:
		if (!met)
			contradict(j, "PASS but exits=%" PRIu64 " (samples %" PRIu64 "..%" PRIu64 ") does not meet expect=%s (%s)",
				   s->exits.v, s->has_range ? s->min.v : s->exits.v,
				   s->has_range ? s->max.v : s->exits.v, s->expect, want);
		break;
	case PL_FAIL:
		/*
		 * The one failure the counts do not show: the instruction
		 * raised an exception it should not have; the probe's FAIL
		 * text then says "raised".
		 */
		if (met && !strstr(j->check->text, " raised "))
			contradict(j, "FAIL but exits=%" PRIu64 " meets expect=%s (%s) and no fault is named",
				   s->exits.v, s->expect, want);
		break;
	case PL_SKIP:
		/*
		 * With paging=unknown or apic=unknown a scenario whose
		 * expectation depends on that mode is skipped; which ones do
		 * is the probe's table, not the log's, so any SKIP is
		 * accepted there.
		 */
		if (l->paging != PL_PAGING_UNKNOWN &&
		    !(l->apic_word && !strcmp(l->apic_word, "unknown")))
			contradict(j, "SKIP but its record was measured (exits=%" PRIu64 ") on a patched host with paging=%s apic=%s",
				   s->exits.v, l->paging_word ? l->paging_word : "(absent)",
				   l->apic_word ? l->apic_word : "(absent)");
		break;
	}
}

/*
 * The sweep checks read eax..edx of both counter leaves; the log shows the
 * count leaf's edx. A wrong edx is a FAIL for sure; the right one may still
 * FAIL on a register the log does not show.
 */
static void judge_sweep(const struct pl_log *l, const struct pl_sweep *w, struct pl_judged *j)
{
	enum pl_result got = j->check->result;
	uint64_t want = pl_sdm_lookup(w->reason) ? 0 : EXITPROBE_UNDEFINED;

	if (l->counting != PL_COUNTING_PATCHED) {
		if (got != PL_SKIP)
			contradict(j, "%s without a patched host (counting=%s): every sweep check is SKIP there",
				   pl_result_word(got), l->counting_word);
		return;
	}
	if (got == PL_SKIP)
		contradict(j, "SKIP on a patched host: the sweep checks always run there");
	else if (got == PL_PASS && w->edx.v != want)
		contradict(j, "PASS but edx=0x%08" PRIx64 " where reason %" PRIu64 " must answer edx=0x%08" PRIx64,
			   w->edx.v, w->reason, want);
}

/*
 * coverage: (format 2) must list exactly the reasons of the scenarios whose
 * count check PASSed with an exact or bounded expectation and a non-zero
 * count: the same rule as the probe's, from the records and their checks.
 */
static void judge_coverage(const struct pl_log *l, struct pl_review *r)
{
	bool want[SDM_EXIT_REASON_MAX + 1] = { false };
	size_t i, k;

	if (!l->coverage_line)
		return;
	for (i = 0; i < l->nscen; i++) {
		const struct pl_scenario *s = &l->scen[i];

		if (s->expect_kind == PL_EXPECT_NONE || !s->exits.set || !s->exits.v ||
		    s->reason > SDM_EXIT_REASON_MAX)
			continue;
		for (k = 0; k < r->nchecks; k++)
			if (r->checks[k].record_line == s->line &&
			    r->checks[k].check->result == PL_PASS)
				want[s->reason] = true;
	}
	for (i = 0; i <= SDM_EXIT_REASON_MAX; i++)
		if (want[i] != l->covered[i]) {
			orphan(r, l->coverage_line, "coverage: reason %zu is %s the list, but %s",
			       i, l->covered[i] ? "in" : "not in",
			       want[i] ? "a scenario of it passed with a non-zero count" :
					 "no scenario of it passed with a non-zero count");
			return;
		}
}

/* Index of the first check line called NAME in lines (FROM, TO), or -1. */
static long find_check(const struct pl_log *l, const char *name, unsigned from, unsigned to)
{
	size_t i;

	for (i = 0; i < l->nchecks; i++)
		if (l->checks[i].line > from && l->checks[i].line < to &&
		    !strcmp(l->checks[i].name, name))
			return (long)i;
	return -1;
}

static bool any_check_named(const struct pl_log *l, const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < l->nchecks; i++)
		if (!strncmp(l->checks[i].name, prefix, n))
			return true;
	return false;
}

static bool is_scenario_id(const struct pl_log *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nscen; i++)
		if (!strcmp(l->scen[i].id, name))
			return true;
	return false;
}

void pl_review(const struct pl_log *l, struct pl_review *r)
{
	unsigned stop = l->summary_line ? l->summary_line : l->end_line;
	bool has_kind[2];
	size_t i;

	memset(r, 0, sizeof(*r));
	r->nchecks = l->nchecks;
	r->checks = pl_xcalloc(l->nchecks, sizeof(*r->checks));
	for (i = 0; i < l->nchecks; i++)
		r->checks[i].check = &l->checks[i];

	/* A scenario's check follows it, before the next scenario or the sweep. */
	for (i = 0; i < l->nscen; i++) {
		const struct pl_scenario *s = &l->scen[i];
		unsigned next = i + 1 < l->nscen ? l->scen[i + 1].line :
				l->nsweep ? l->sweep[0].line : stop;
		long k = find_check(l, s->id, s->line, next);

		if (k < 0) {
			/* A panic may cut the log anywhere: it fails anyway. */
			if (!l->early)
				orphan(r, s->line, "scenario %s has no check line of its own before line %u",
				       s->id, next);
			continue;
		}
		r->checks[k].record = s->raw;
		r->checks[k].record_line = s->line;
		judge_scenario(l, s, &r->checks[k]);
	}

	/*
	 * A sweep record's check follows it: sdm.defined.N or sdm.undefined.N.
	 * The first probes checked only the undefined reasons: a missing
	 * check counts only where the log checks that kind of reason at all.
	 */
	has_kind[0] = any_check_named(l, "sdm.undefined.");
	has_kind[1] = any_check_named(l, "sdm.defined.");
	for (i = 0; i < l->nsweep; i++) {
		const struct pl_sweep *w = &l->sweep[i];
		unsigned next = i + 1 < l->nsweep ? l->sweep[i + 1].line : stop;
		char name[48];
		long k;

		bool defined = pl_sdm_lookup(w->reason) != NULL;

		snprintf(name, sizeof(name), "sdm.%s.%" PRIu64,
			 defined ? "defined" : "undefined", w->reason);
		k = find_check(l, name, w->line, next);
		if (k < 0) {
			if (!l->early && has_kind[defined])
				orphan(r, w->line, "sweep record of reason %" PRIu64 " has no check line %s before line %u",
				       w->reason, name, next);
			continue;
		}
		r->checks[k].record = w->raw;
		r->checks[k].record_line = w->line;
		judge_sweep(l, w, &r->checks[k]);
	}

	/*
	 * A check line named after a scenario or the sweep that judges none
	 * (a copy pasted elsewhere) would count in SUMMARY unjudged.
	 */
	for (i = 0; i < l->nchecks; i++) {
		struct pl_judged *j = &r->checks[i];

		if (!j->record && (is_scenario_id(l, j->check->name) ||
				   !strncmp(j->check->name, "sdm.", 4)))
			contradict(j, "%s: %s judges no record: it is not right after the record it is named after",
				   pl_result_word(j->check->result), j->check->name);
	}

	judge_coverage(l, r);
	for (i = 0; i < l->nchecks; i++)
		r->ncontradictions += r->checks[i].contradicted;
	r->ncontradictions += r->norphans;
}

void pl_review_free(struct pl_review *r)
{
	free(r->checks);
	free(r->orphans);
	memset(r, 0, sizeof(*r));
}
