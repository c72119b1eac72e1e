// SPDX-License-Identifier: GPL-2.0
/*
 * probe-log commands: diff (record by record) and table (per-reason
 * Markdown / CSV / JSON). check lives in check.c, plotting in main.c
 * because it runs an external program.
 */
#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "xalloc.h"


static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(pl_xcalloc(n, 1), s, n);
}

__attribute__((format(printf, 1, 2)))
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = pl_xcalloc((size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* ---- diff ---- */

/*
 * One difference. Cells hold whole values: a cut could hide exactly the
 * part that differs (two brand strings alike in their first 40 bytes).
 */
struct row {
	const char *tag;	/* the record's tag without ':', for --ignore */
	char *rec, *field, *a, *b, *note;
};

struct rows {
	struct row *v;
	size_t n, cap;
	const struct pl_diff_opts *opts;
	size_t ignored;
};

/* --ignore=FIELD or --ignore=TAG.FIELD */
static bool ignored(const struct pl_diff_opts *o, const char *tag, const char *field)
{
	size_t i, t = strlen(tag);

	for (i = 0; i < o->nignore; i++) {
		const char *g = o->ignore[i];

		if (!strcmp(g, field) ||
		    (!strncmp(g, tag, t) && g[t] == '.' && !strcmp(g + t + 1, field)))
			return true;
	}
	return false;
}

static void add(struct rows *r, const char *tag, const char *rec, const char *field,
		const char *a, const char *b, const char *note)
{
	struct row *w;

	if (field[0] != '(' && ignored(r->opts, tag, field)) {
		r->ignored++;
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		if (!r->v) {
			fputs("probe-log: out of memory\n", stderr);
			exit(2);
		}
	}
	w = &r->v[r->n++];
	w->tag = tag;
	w->rec = xstrdup(rec);
	w->field = xstrdup(field);
	w->a = xstrdup(a);
	w->b = xstrdup(b);
	w->note = xstrdup(note);
}

static void free_rows(struct rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].rec);
		free(r->v[i].field);
		free(r->v[i].a);
		free(r->v[i].b);
		free(r->v[i].note);
	}
	free(r->v);
}

static void num_text(char *buf, size_t n, struct pl_num v)
{
	if (v.set)
		snprintf(buf, n, "%" PRIu64, v.v);
	else
		snprintf(buf, n, "-");
}

static void frac_text(char *buf, size_t n, struct pl_num v)
{
	if (v.set)
		snprintf(buf, n, "%" PRIu64 ".%03u", v.v / 1000, (unsigned)(v.v % 1000));
	else
		snprintf(buf, n, "-");
}

/* Where a difference is: the record's tag and its label in the table. */
struct where {
	struct rows *r;
	const char *tag;
	const char *rec;
};

static void d_str(const struct where *w, const char *field, const char *a, const char *b)
{
	if (!a)
		a = "-";
	if (!b)
		b = "-";
	if (strcmp(a, b))
		add(w->r, w->tag, w->rec, field, a, b, "differs");
}

static void d_u64(const struct where *w, const char *field, uint64_t a, uint64_t b, bool hex)
{
	char x[32], y[32];

	if (a == b)
		return;
	snprintf(x, sizeof(x), hex ? "0x%08" PRIx64 : "%" PRIu64, a);
	snprintf(y, sizeof(y), hex ? "0x%08" PRIx64 : "%" PRIu64, b);
	add(w->r, w->tag, w->rec, field, x, y, "differs");
}

static void d_hex(const struct where *w, const char *field, struct pl_num a, struct pl_num b)
{
	char x[32] = "-", y[32] = "-";

	if (a.set == b.set && (!a.set || a.v == b.v))
		return;
	if (a.set)
		snprintf(x, sizeof(x), "0x%08" PRIx64, a.v);
	if (b.set)
		snprintf(y, sizeof(y), "0x%08" PRIx64, b.v);
	add(w->r, w->tag, w->rec, field, x, y,
	    a.set != b.set ? "measured in one log only" : "differs");
}

static void d_num(const struct where *w, const char *field, struct pl_num a, struct pl_num b,
		  const char *note)
{
	char x[32], y[32];

	if (a.set == b.set && (!a.set || a.v == b.v))
		return;
	if (a.set != b.set)
		note = "measured in one log only";
	num_text(x, sizeof(x), a);
	num_text(y, sizeof(y), b);
	add(w->r, w->tag, w->rec, field, x, y, note);
}

/*
 * A cycle field differs when B is more than TOL percent of A away from A and
 * more than MIN cycles away: a few cycles of TSC-read jitter on a tiny figure
 * are not a regression.
 */
static void d_cycles(const struct where *w, const char *field, struct pl_num a,
		     struct pl_num b)
{
	const struct pl_tolerance *tol = &w->r->opts->tol;
	char x[32], y[32], note[64];
	uint64_t d;
	double rel;

	if (a.set != b.set) {
		snprintf(note, sizeof(note), "measured in one log only");
	} else if (!a.set || a.v == b.v) {
		return;
	} else {
		d = a.v > b.v ? a.v - b.v : b.v - a.v;
		if (d <= tol->min_cycles)
			return;
		if (a.v == 0) {
			snprintf(note, sizeof(note), "was 0");
		} else {
			rel = ((double)b.v - (double)a.v) * 100.0 / (double)a.v;
			if (fabs(rel) <= tol->pct)
				return;
			snprintf(note, sizeof(note), "%+.0f%% (tolerance %g%%)", rel, tol->pct);
		}
	}
	num_text(x, sizeof(x), a);
	num_text(y, sizeof(y), b);
	add(w->r, w->tag, w->rec, field, x, y, note);
}

static void diff_scenario(struct rows *r, const struct pl_scenario *a,
			  const struct pl_scenario *b)
{
	char *rec = xasprintf("scenario %s", a->id), x[32], y[32];
	struct where w = { r, "scenario", rec };

	d_u64(&w, "reason", a->reason, b->reason, false);
	d_str(&w, "name", a->name, b->name);
	d_str(&w, "insn", a->insn, b->insn);
	d_u64(&w, "iters", a->iters, b->iters, false);
	d_str(&w, "expect", a->expect, b->expect);
	d_num(&w, "exits", a->exits, b->exits, "count differs");
	if (a->per_iter.set != b->per_iter.set || a->per_iter.v != b->per_iter.v) {
		frac_text(x, sizeof(x), a->per_iter);
		frac_text(y, sizeof(y), b->per_iter);
		add(r, w.tag, rec, "per_iter", x, y, a->per_iter.set != b->per_iter.set ?
		    "measured in one log only" : "count differs");
	}
	d_num(&w, "other", a->other, b->other, "count differs");
	/* Format 2: every sample's count is stable, so its range is too. */
	if (a->has_range && b->has_range) {
		d_num(&w, "min", a->min, b->min, "count differs");
		d_num(&w, "max", a->max, b->max, "count differs");
	}
	/*
	 * Format 2 computes a scenario's cycles only over clean samples (no
	 * asynchronous exit, no retry), and which samples are clean is as
	 * volatile as the cycles (clean=): a figure present in one log only is
	 * then not a difference. Two figures are compared as before.
	 */
	if (a->has_range && b->has_range &&
	    (a->host_cycles.set != b->host_cycles.set ||
	     a->guest_cycles.set != b->guest_cycles.set) &&
	    (!a->clean.set || !b->clean.set || !a->clean.v || !b->clean.v)) {
		if (a->host_cycles.set && b->host_cycles.set)
			d_cycles(&w, "host_cycles", a->host_cycles, b->host_cycles);
		if (a->guest_cycles.set && b->guest_cycles.set)
			d_cycles(&w, "guest_cycles", a->guest_cycles, b->guest_cycles);
		free(rec);
		return;
	}
	d_cycles(&w, "host_cycles", a->host_cycles, b->host_cycles);
	d_cycles(&w, "guest_cycles", a->guest_cycles, b->guest_cycles);
	free(rec);
}

static void diff_sweep(struct rows *r, const struct pl_sweep *a, const struct pl_sweep *b)
{
	char *rec = xasprintf("sweep %" PRIu64 " %s", a->reason, a->name);
	struct where w = { r, "sweep", rec };

	d_str(&w, "name", a->name, b->name);
	d_str(&w, "class", a->class_word, b->class_word);
	/*
	 * An async reason's count is volatile (docs/serial-log.md), and so is
	 * its cycle total, a sum over that many exits.
	 */
	if (a->cls != PL_CLASS_ASYNC && b->cls != PL_CLASS_ASYNC) {
		d_num(&w, "count", a->count, b->count, "count differs");
		d_cycles(&w, "cycles", a->cycles, b->cycles);
	}
	d_hex(&w, "edx", a->edx, b->edx);
	free(rec);
}

static const struct pl_sweep *find_sweep(const struct pl_log *l, uint64_t reason)
{
	size_t i;

	for (i = 0; i < l->nsweep; i++)
		if (l->sweep[i].reason == reason)
			return &l->sweep[i];
	return NULL;
}

const struct pl_scenario *pl_find_scenario(const struct pl_log *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->nscen; i++)
		if (!strcmp(l->scen[i].id, id))
			return &l->scen[i];
	return NULL;
}

/* The K-th (from 0) check called NAME, or NULL. */
static const struct pl_check *find_check(const struct pl_log *l, const char *name, size_t k)
{
	size_t i;

	for (i = 0; i < l->nchecks; i++)
		if (!strcmp(l->checks[i].name, name) && k-- == 0)
			return &l->checks[i];
	return NULL;
}

static size_t check_occurrence(const struct pl_log *l, size_t idx)
{
	size_t i, k = 0;

	for (i = 0; i < idx; i++)
		if (!strcmp(l->checks[i].name, l->checks[idx].name))
			k++;
	return k;
}

static char *check_rec(const struct pl_log *l, size_t i)
{
	size_t k = check_occurrence(l, i);

	if (k)
		return xasprintf("check %s #%zu", l->checks[i].name, k + 1);
	return xasprintf("check %s", l->checks[i].name);
}

static void diff_presence(struct rows *r, const struct pl_input *a, const struct pl_input *b)
{
	const struct pl_log *la = &a->log, *lb = &b->log;
	char *rec;
	size_t i;

	for (i = 0; i < lb->nscen; i++)
		if (!pl_find_scenario(la, lb->scen[i].id)) {
			rec = xasprintf("scenario %s", lb->scen[i].id);
			add(r, "scenario", rec, "(record)", "missing", "present", "only in B");
			free(rec);
		}
	for (i = 0; i < lb->nchecks; i++)
		if (!find_check(la, lb->checks[i].name, check_occurrence(lb, i))) {
			rec = check_rec(lb, i);
			add(r, "check", rec, "(record)", "missing",
			    pl_result_word(lb->checks[i].result), "only in B");
			free(rec);
		}
	for (i = 0; i < lb->nsweep; i++)
		if (!find_sweep(la, lb->sweep[i].reason)) {
			rec = xasprintf("sweep %" PRIu64, lb->sweep[i].reason);
			add(r, "sweep", rec, "(record)", "missing", "present", "only in B");
			free(rec);
		}
}

/*
 * Record order is stable (docs/serial-log.md): the scenarios both logs
 * have must come in the same order. One row for the first that does not.
 */
static void diff_order(struct rows *r, const struct pl_log *la, const struct pl_log *lb)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < la->nscen && !pl_find_scenario(lb, la->scen[i].id))
			i++;
		while (j < lb->nscen && !pl_find_scenario(la, lb->scen[j].id))
			j++;
		if (i == la->nscen || j == lb->nscen)
			return;
		if (strcmp(la->scen[i].id, lb->scen[j].id)) {
			add(r, "scenario", "scenario order", "(order)", la->scen[i].id,
			    lb->scen[j].id, "first common scenario out of order");
			return;
		}
		i++;
		j++;
	}
}

static void print_rows(FILE *out, const struct rows *r)
{
	size_t w[5] = { 6, 5, 1, 1, 4 }, i, k;
	const char *head[5] = { "record", "field", "A", "B", "note" };

	for (i = 0; i < r->n; i++) {
		const char *c[5] = { r->v[i].rec, r->v[i].field, r->v[i].a, r->v[i].b, r->v[i].note };

		for (k = 0; k < 5; k++)
			if (strlen(c[k]) > w[k])
				w[k] = strlen(c[k]);
	}
	fprintf(out, "%-*s  %-*s  %*s  %*s  %s\n", (int)w[0], head[0], (int)w[1], head[1],
		(int)w[2], head[2], (int)w[3], head[3], head[4]);
	for (i = 0; i < r->n; i++)
		fprintf(out, "%-*s  %-*s  %*s  %*s  %s\n", (int)w[0], r->v[i].rec,
			(int)w[1], r->v[i].field, (int)w[2], r->v[i].a, (int)w[3], r->v[i].b,
			r->v[i].note);
}

static void print_json(FILE *out, const struct pl_input *a, const struct pl_input *b,
		       const struct rows *r)
{
	const struct pl_diff_opts *o = r->opts;
	size_t i;

	fputs("{\n  \"a\": ", out);
	pl_json_text(out, a->path);
	fputs(",\n  \"b\": ", out);
	pl_json_text(out, b->path);
	fprintf(out, ",\n  \"cycles_tolerance_pct\": %g,\n  \"cycles_min\": %" PRIu64 ",\n  \"ignore\": [",
		o->tol.pct, o->tol.min_cycles);
	for (i = 0; i < o->nignore; i++) {
		fputs(i ? ", " : "", out);
		pl_json_text(out, o->ignore[i]);
	}
	fprintf(out, "],\n  \"ignored\": %zu,\n  \"count\": %zu,\n  \"differences\": [",
		r->ignored, r->n);
	for (i = 0; i < r->n; i++) {
		const struct row *w = &r->v[i];

		fputs(i ? ",\n    {\"tag\": " : "\n    {\"tag\": ", out);
		pl_json_text(out, w->tag);
		fputs(", \"record\": ", out);
		pl_json_text(out, w->rec);
		fputs(", \"field\": ", out);
		pl_json_text(out, w->field);
		fputs(", \"a\": ", out);
		pl_json_text(out, w->a);
		fputs(", \"b\": ", out);
		pl_json_text(out, w->b);
		fputs(", \"note\": ", out);
		pl_json_text(out, w->note);
		fputc('}', out);
	}
	fputs(r->n ? "\n  ]\n}\n" : "]\n}\n", out);
}

size_t pl_diff(FILE *out, const struct pl_input *a, const struct pl_input *b,
	       const struct pl_diff_opts *o)
{
	const struct pl_log *la = &a->log, *lb = &b->log;
	struct rows r = { .opts = o };
	struct where w = { &r, NULL, NULL };
	char *rec;
	size_t i, n;

#define RECORD(t) (w.tag = (t), w.rec = (t), &w)
	d_u64(RECORD("exitprobe-begin"), "format", la->format, lb->format, false);
	d_str(RECORD("exitprobe-begin"), "probe", la->probe, lb->probe);
	d_str(RECORD("cpu"), "vendor", la->vendor, lb->vendor);
	d_u64(RECORD("cpu"), "family", la->family, lb->family, true);
	d_u64(RECORD("cpu"), "model", la->model, lb->model, true);
	d_u64(RECORD("cpu"), "stepping", la->stepping, lb->stepping, true);
	d_str(RECORD("cpu"), "brand", la->brand, lb->brand);
	d_str(RECORD("hypervisor"), "signature", la->hv_signature, lb->hv_signature);
	d_hex(RECORD("hypervisor"), "max_leaf", la->hv_max_leaf, lb->hv_max_leaf);
	d_str(RECORD("host"), "counting", la->counting_word, lb->counting_word);
	d_str(RECORD("host"), "detail", la->host_detail, lb->host_detail);
	/* Added within format 1: an old log has neither field. */
	d_str(RECORD("host"), "paging", la->paging_word ? la->paging_word : "(absent)",
	      lb->paging_word ? lb->paging_word : "(absent)");
	d_str(RECORD("host"), "paging_detail",
	      la->paging_detail ? la->paging_detail : "(absent)",
	      lb->paging_detail ? lb->paging_detail : "(absent)");
	/* Added within format 1 (probe 0.4): what the host says it is. A
	 * scope change makes every count incomparable, so it is shown. */
#define ABSENT(s) ((s) ? (s) : "(absent)")
	d_str(RECORD("host"), "abi", ABSENT(la->abi_word), ABSENT(lb->abi_word));
	d_str(RECORD("host"), "scope", ABSENT(la->scope_word), ABSENT(lb->scope_word));
	d_str(RECORD("host"), "exit_stats", ABSENT(la->exit_stats_word),
	      ABSENT(lb->exit_stats_word));
	/* Format 2: settings that change what an instruction does. */
	d_str(RECORD("host"), "hlt_exits", ABSENT(la->hlt_exits_word), ABSENT(lb->hlt_exits_word));
	d_str(RECORD("host"), "mwait_exits", ABSENT(la->mwait_exits_word),
	      ABSENT(lb->mwait_exits_word));
	d_str(RECORD("host"), "pause_exits", ABSENT(la->pause_exits_word),
	      ABSENT(lb->pause_exits_word));
	d_str(RECORD("host"), "pmu", ABSENT(la->pmu_word), ABSENT(lb->pmu_word));
	d_str(RECORD("host"), "nested", ABSENT(la->nested_word), ABSENT(lb->nested_word));
	d_num(RECORD("host"), "max_reason", la->max_reason, lb->max_reason, "differs");
	d_str(RECORD("coverage"), "list", ABSENT(la->coverage_list), ABSENT(lb->coverage_list));
#undef ABSENT
	d_u64(RECORD("config"), "iters", la->iters, lb->iters, false);
	d_u64(RECORD("config"), "samples", la->samples, lb->samples, false);
	/* budget (format 2) bounds the run; tsc_hz is volatile (a PIT
	 * estimate differs run to run), neither is compared. */
	d_num(RECORD("calibration"), "query_exits", la->cal_query_exits, lb->cal_query_exits,
	      "count differs");
	d_cycles(RECORD("calibration"), "query_cycles", la->cal_query_cycles, lb->cal_query_cycles);
	d_cycles(RECORD("calibration"), "guest_cycles", la->cal_guest_cycles, lb->cal_guest_cycles);
#undef RECORD

	for (i = 0; i < la->nscen; i++) {
		const struct pl_scenario *s = pl_find_scenario(lb, la->scen[i].id);

		if (s) {
			diff_scenario(&r, &la->scen[i], s);
		} else {
			rec = xasprintf("scenario %s", la->scen[i].id);
			add(&r, "scenario", rec, "(record)", "present", "missing", "only in A");
			free(rec);
		}
	}
	for (i = 0; i < la->nchecks; i++) {
		const struct pl_check *k = find_check(lb, la->checks[i].name, check_occurrence(la, i));

		rec = check_rec(la, i);
		if (!k)
			add(&r, "check", rec, "(record)", pl_result_word(la->checks[i].result),
			    "missing", "only in A");
		else if (k->result != la->checks[i].result)
			add(&r, "check", rec, "result", pl_result_word(la->checks[i].result),
			    pl_result_word(k->result), "result differs");
		free(rec);
	}
	for (i = 0; i < la->nsweep; i++) {
		const struct pl_sweep *s = find_sweep(lb, la->sweep[i].reason);

		if (s) {
			diff_sweep(&r, &la->sweep[i], s);
		} else {
			rec = xasprintf("sweep %" PRIu64, la->sweep[i].reason);
			add(&r, "sweep", rec, "(record)", "present", "missing", "only in A");
			free(rec);
		}
	}
	diff_presence(&r, a, b);
	diff_order(&r, la, lb);
	w.tag = w.rec = "exitprobe-end";
	d_str(&w, "result", la->result_word, lb->result_word);

	if (o->json) {
		print_json(out, a, b, &r);
	} else {
		fprintf(out, "A: %s\nB: %s\n", a->path, b->path);
		if (r.n) {
			print_rows(out, &r);
			fprintf(out, "%zu difference%s", r.n, r.n == 1 ? "" : "s");
		} else {
			fprintf(out, "same");
		}
		fprintf(out, " (counts exact; cycles within %g%% of A or %" PRIu64 " cycles; async sweep rows and abs_* not compared",
			o->tol.pct, o->tol.min_cycles);
		if (o->nignore)
			fprintf(out, "; %zu difference%s ignored by --ignore", r.ignored,
				r.ignored == 1 ? "" : "s");
		fputs(")\n", out);
	}
	n = r.n;
	free_rows(&r);
	return n;
}

/* ---- table ---- */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

size_t pl_table(FILE *out, const struct pl_input *in, size_t n, enum pl_table_format fmt,
		bool all)
{
	uint64_t *reasons;
	size_t nr = 0, total = 0, i, j, k;

	for (i = 0; i < n; i++)
		total += in[i].log.nsweep;
	reasons = pl_xcalloc(total, sizeof(*reasons));
	for (i = 0; i < n; i++)
		for (j = 0; j < in[i].log.nsweep; j++) {
			const struct pl_sweep *w = &in[i].log.sweep[j];
			bool keep = all;

			for (k = 0; k < n && !keep; k++) {
				const struct pl_sweep *o = find_sweep(&in[k].log, w->reason);

				keep = o && o->count.set && o->count.v;
			}
			for (k = 0; k < nr && keep; k++)
				if (reasons[k] == w->reason)
					keep = false;
			if (keep)
				reasons[nr++] = w->reason;
		}
	qsort(reasons, nr, sizeof(*reasons), cmp_u64);

	switch (fmt) {
	case PL_TABLE_MARKDOWN:
		fputs("| reason | name |", out);
		for (i = 0; i < n; i++) {
			fputc(' ', out);
			pl_md_text(out, in[i].label);
			fputs(" count | ", out);
			pl_md_text(out, in[i].label);
			fputs(" cycles |", out);
		}
		fputs("\n|---:|---|", out);
		for (i = 0; i < n; i++)
			fputs("---:|---:|", out);
		fputc('\n', out);
		break;
	case PL_TABLE_CSV:
		fputs("reason,name,class", out);
		for (i = 0; i < n; i++) {
			char *h = pl_xcalloc(strlen(in[i].label) + 8, 1);

			sprintf(h, "%s count", in[i].label);
			fputc(',', out);
			pl_csv_text(out, h);
			sprintf(h, "%s cycles", in[i].label);
			fputc(',', out);
			pl_csv_text(out, h);
			free(h);
		}
		fputc('\n', out);
		break;
	case PL_TABLE_JSON:
		fputs("{\n  \"logs\": [", out);
		for (i = 0; i < n; i++) {
			fputs(i ? ",\n    {\"label\": " : "\n    {\"label\": ", out);
			pl_json_text(out, in[i].label);
			fputs(", \"path\": ", out);
			pl_json_text(out, in[i].path);
			fprintf(out, ", \"counting\": \"%s\", \"result\": \"%s\"}",
				in[i].log.counting_word ? in[i].log.counting_word : "-",
				in[i].log.result_word);
		}
		fputs("\n  ],\n  \"reasons\": [", out);
		break;
	}

	for (k = 0; k < nr; k++) {
		const struct pl_sweep *first = NULL;
		const char *cls;

		for (i = 0; i < n && !first; i++)
			first = find_sweep(&in[i].log, reasons[k]);
		cls = first->class_word;
		switch (fmt) {
		case PL_TABLE_MARKDOWN:
			fprintf(out, "| %" PRIu64 " | %s |", reasons[k], first->name);
			break;
		case PL_TABLE_CSV:
			fprintf(out, "%" PRIu64 ",%s,%s", reasons[k], first->name, cls);
			break;
		case PL_TABLE_JSON:
			fprintf(out, "%s\n    {\"reason\": %" PRIu64 ", \"name\": \"%s\", \"class\": \"%s\", ",
				k ? "," : "", reasons[k], first->name, cls);
			break;
		}
		for (j = 0; j < 2; j++) {	/* JSON: counts, then cycles */
			if (fmt == PL_TABLE_JSON)
				fputs(j ? ", \"cycles\": [" : "\"count\": [", out);
			for (i = 0; i < n; i++) {
				const struct pl_sweep *w = find_sweep(&in[i].log, reasons[k]);
				struct pl_num c = { false, 0 }, y = { false, 0 };
				char cb[32], yb[32];

				if (w) {
					c = w->count;
					y = w->cycles;
				}
				num_text(cb, sizeof(cb), c);
				num_text(yb, sizeof(yb), y);
				switch (fmt) {
				case PL_TABLE_MARKDOWN:
					if (j == 0)
						fprintf(out, " %s | %s |", cb, yb);
					break;
				case PL_TABLE_CSV:
					if (j == 0)
						fprintf(out, ",%s,%s", c.set ? cb : "", y.set ? yb : "");
					break;
				case PL_TABLE_JSON:
					if (i)
						fputs(", ", out);
					fputs((j ? y.set : c.set) ? (j ? yb : cb) : "null", out);
					break;
				}
			}
			if (fmt == PL_TABLE_JSON)
				fputc(']', out);
			else
				break;
		}
		fputs(fmt == PL_TABLE_JSON ? "}" : "\n", out);
	}
	if (fmt == PL_TABLE_JSON)
		fputs(nr ? "\n  ]\n}\n" : "]\n}\n", out);
	free(reasons);
	return nr;
}

size_t pl_scenario_union(const struct pl_input *in, size_t n, const char ***ids)
{
	size_t total = 0, nid = 0, i, j, k;
	const char **v;

	for (i = 0; i < n; i++)
		total += in[i].log.nscen;
	v = pl_xcalloc(total, sizeof(*v));
	for (i = 0; i < n; i++)
		for (j = 0; j < in[i].log.nscen; j++) {
			for (k = 0; k < nid; k++)
				if (!strcmp(v[k], in[i].log.scen[j].id))
					break;
			if (k == nid)
				v[nid++] = in[i].log.scen[j].id;
		}
	*ids = v;
	return nid;
}
