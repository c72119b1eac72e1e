// SPDX-License-Identifier: GPL-2.0
/*
 * probe-log commands: check (verdict), diff (record by record) and table
 * (per-reason Markdown / CSV / JSON). Plotting lives in main.c because it
 * runs an external program.
 */
#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fputs("probe-log: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

/* ---- check ---- */

static const char *counting_text(const struct pl_log *l)
{
	if (!l->counting_word)
		return "host not detected (the log stops early)";
	switch (l->counting) {
	case PL_COUNTING_PATCHED:
		return l->counting_off ? "patched host, counting off (exit_stats=off)" :
		       "patched host";
	case PL_COUNTING_UNPATCHED:
		return "no patched host (counting=unpatched)";
	case PL_COUNTING_NONE:
		break;
	}
	return "no patched host (counting=none)";
}

int pl_check(FILE *out, const char *path, const struct pl_log *l)
{
	size_t i;

	fprintf(out, "%s: format %" PRIu64 ", probe %s, log at lines %u-%u: %zu scenarios, %zu sweep records, %zu checks\n",
		path, l->format, l->probe, l->begin_line, l->end_line, l->nscen,
		l->nsweep, l->nchecks);
	if (l->early)
		fprintf(out, "%s:%u: the log stops early: %s (the probe gave up after a failure)\n",
			path, l->summary_line, l->nsweep ? "the sweep is incomplete" : "no sweep");
	for (i = 0; i < l->nchecks; i++)
		if (l->checks[i].result == PL_FAIL)
			fprintf(out, "%s:%u: FAIL: %s: %s\n", path, l->checks[i].line,
				l->checks[i].name, l->checks[i].text);
	fprintf(out, "%s: verdict: %s, %s: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped%s\n",
		path,
		l->result == PL_FAIL ? "FAIL" : l->result == PL_SKIP ? "SKIPPED" : "PASS",
		counting_text(l), l->passed, l->failed, l->skipped,
		l->result == PL_SKIP ? " (count checks skipped, nothing failed)" : "");
	return l->failed ? 1 : 0;
}

/* ---- diff ---- */

#define CELL 44	/* a cell shows at most 40 characters and "..." */

struct row {
	char rec[CELL], field[24], a[CELL], b[CELL], note[CELL];
};

struct rows {
	struct row *v;
	size_t n, cap;
};

/* Copy S into a cell, cut with "..." if too long. */
static void cell(char *dst, const char *s)
{
	size_t n = strlen(s);

	if (n < CELL) {
		memcpy(dst, s, n + 1);
	} else {
		memcpy(dst, s, CELL - 4);
		memcpy(dst + CELL - 4, "...", 4);
	}
}

static void add(struct rows *r, const char *rec, const char *field, const char *a,
		const char *b, const char *note)
{
	struct row *w;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		if (!r->v) {
			fputs("probe-log: out of memory\n", stderr);
			exit(2);
		}
	}
	w = &r->v[r->n++];
	cell(w->rec, rec);
	cell(w->field, field);
	cell(w->a, a);
	cell(w->b, b);
	cell(w->note, note);
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

static void d_str(struct rows *r, const char *rec, const char *field, const char *a,
		  const char *b)
{
	if (!a)
		a = "-";
	if (!b)
		b = "-";
	if (strcmp(a, b))
		add(r, rec, field, a, b, "differs");
}

static void d_u64(struct rows *r, const char *rec, const char *field, uint64_t a, uint64_t b,
		  bool hex)
{
	char x[32], y[32];

	if (a == b)
		return;
	snprintf(x, sizeof(x), hex ? "0x%08" PRIx64 : "%" PRIu64, a);
	snprintf(y, sizeof(y), hex ? "0x%08" PRIx64 : "%" PRIu64, b);
	add(r, rec, field, x, y, "differs");
}

static void d_hex(struct rows *r, const char *rec, const char *field, struct pl_num a,
		  struct pl_num b)
{
	char x[32] = "-", y[32] = "-";

	if (a.set == b.set && (!a.set || a.v == b.v))
		return;
	if (a.set)
		snprintf(x, sizeof(x), "0x%08" PRIx64, a.v);
	if (b.set)
		snprintf(y, sizeof(y), "0x%08" PRIx64, b.v);
	add(r, rec, field, x, y, a.set != b.set ? "measured in one log only" : "differs");
}

static void d_num(struct rows *r, const char *rec, const char *field, struct pl_num a,
		  struct pl_num b, const char *note)
{
	char x[32], y[32];

	if (a.set == b.set && (!a.set || a.v == b.v))
		return;
	if (a.set != b.set)
		note = "measured in one log only";
	num_text(x, sizeof(x), a);
	num_text(y, sizeof(y), b);
	add(r, rec, field, x, y, note);
}

/*
 * A cycle field differs when B is more than TOL percent of A away from A and
 * more than MIN cycles away: a few cycles of TSC-read jitter on a tiny figure
 * are not a regression.
 */
static void d_cycles(struct rows *r, const char *rec, const char *field, struct pl_num a,
		     struct pl_num b, const struct pl_tolerance *tol)
{
	char x[32], y[32], note[CELL];
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
	add(r, rec, field, x, y, note);
}

static void diff_scenario(struct rows *r, const struct pl_scenario *a,
			  const struct pl_scenario *b, const struct pl_tolerance *tol)
{
	char rec[CELL], x[32], y[32];

	snprintf(rec, sizeof(rec), "scenario %s", a->id);
	d_u64(r, rec, "reason", a->reason, b->reason, false);
	d_str(r, rec, "name", a->name, b->name);
	d_str(r, rec, "insn", a->insn, b->insn);
	d_u64(r, rec, "iters", a->iters, b->iters, false);
	d_str(r, rec, "expect", a->expect, b->expect);
	d_num(r, rec, "exits", a->exits, b->exits, "count differs");
	if (a->per_iter.set != b->per_iter.set || a->per_iter.v != b->per_iter.v) {
		frac_text(x, sizeof(x), a->per_iter);
		frac_text(y, sizeof(y), b->per_iter);
		add(r, rec, "per_iter", x, y, a->per_iter.set != b->per_iter.set ?
		    "measured in one log only" : "count differs");
	}
	d_num(r, rec, "other", a->other, b->other, "count differs");
	d_cycles(r, rec, "host_cycles", a->host_cycles, b->host_cycles, tol);
	d_cycles(r, rec, "guest_cycles", a->guest_cycles, b->guest_cycles, tol);
}

static void diff_sweep(struct rows *r, const struct pl_sweep *a, const struct pl_sweep *b,
		       const struct pl_tolerance *tol)
{
	char rec[CELL];

	snprintf(rec, sizeof(rec), "sweep %" PRIu64 " %s", a->reason, a->name);
	d_str(r, rec, "name", a->name, b->name);
	d_str(r, rec, "class", a->class_word, b->class_word);
	/*
	 * An async reason's count is volatile (docs/serial-log.md), and so is
	 * its cycle total, a sum over that many exits.
	 */
	if (a->cls != PL_CLASS_ASYNC && b->cls != PL_CLASS_ASYNC) {
		d_num(r, rec, "count", a->count, b->count, "count differs");
		d_cycles(r, rec, "cycles", a->cycles, b->cycles, tol);
	}
	d_hex(r, rec, "edx", a->edx, b->edx);
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

static void check_rec(char *rec, const struct pl_log *l, size_t i)
{
	size_t k = check_occurrence(l, i);

	if (k)
		snprintf(rec, CELL, "check %s #%zu", l->checks[i].name, k + 1);
	else
		snprintf(rec, CELL, "check %s", l->checks[i].name);
}

static void diff_presence(struct rows *r, const struct pl_input *a, const struct pl_input *b)
{
	const struct pl_log *la = &a->log, *lb = &b->log;
	char rec[CELL];
	size_t i;

	for (i = 0; i < lb->nscen; i++)
		if (!pl_find_scenario(la, lb->scen[i].id)) {
			snprintf(rec, sizeof(rec), "scenario %s", lb->scen[i].id);
			add(r, rec, "(record)", "missing", "present", "only in B");
		}
	for (i = 0; i < lb->nchecks; i++)
		if (!find_check(la, lb->checks[i].name, check_occurrence(lb, i))) {
			check_rec(rec, lb, i);
			add(r, rec, "(record)", "missing", pl_result_word(lb->checks[i].result),
			    "only in B");
		}
	for (i = 0; i < lb->nsweep; i++)
		if (!find_sweep(la, lb->sweep[i].reason)) {
			snprintf(rec, sizeof(rec), "sweep %" PRIu64, lb->sweep[i].reason);
			add(r, rec, "(record)", "missing", "present", "only in B");
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
			add(r, "scenario order", "(order)", la->scen[i].id, lb->scen[j].id,
			    "first common scenario out of order");
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

size_t pl_diff(FILE *out, const struct pl_input *a, const struct pl_input *b,
	       const struct pl_tolerance *tol)
{
	const struct pl_log *la = &a->log, *lb = &b->log;
	struct rows r = { 0 };
	char rec[CELL];
	size_t i, n;

	d_u64(&r, "exitprobe-begin", "format", la->format, lb->format, false);
	d_str(&r, "exitprobe-begin", "probe", la->probe, lb->probe);
	d_str(&r, "cpu", "vendor", la->vendor, lb->vendor);
	d_u64(&r, "cpu", "family", la->family, lb->family, true);
	d_u64(&r, "cpu", "model", la->model, lb->model, true);
	d_u64(&r, "cpu", "stepping", la->stepping, lb->stepping, true);
	d_str(&r, "cpu", "brand", la->brand, lb->brand);
	d_str(&r, "hypervisor", "signature", la->hv_signature, lb->hv_signature);
	d_hex(&r, "hypervisor", "max_leaf", la->hv_max_leaf, lb->hv_max_leaf);
	d_str(&r, "host", "counting", la->counting_word, lb->counting_word);
	d_str(&r, "host", "detail", la->host_detail, lb->host_detail);
	/* Added within format 1: an old log has neither field. */
	d_str(&r, "host", "paging", la->paging_word ? la->paging_word : "(absent)",
	      lb->paging_word ? lb->paging_word : "(absent)");
	d_str(&r, "host", "paging_detail",
	      la->paging_detail ? la->paging_detail : "(absent)",
	      lb->paging_detail ? lb->paging_detail : "(absent)");
	/* Added within format 1 (probe 0.4): what the host says it is. A
	 * scope change makes every count incomparable, so it is shown. */
#define ABSENT(s) ((s) ? (s) : "(absent)")
	d_str(&r, "host", "abi", ABSENT(la->abi_word), ABSENT(lb->abi_word));
	d_str(&r, "host", "scope", ABSENT(la->scope_word), ABSENT(lb->scope_word));
	d_str(&r, "host", "exit_stats", ABSENT(la->exit_stats_word), ABSENT(lb->exit_stats_word));
#undef ABSENT
	d_u64(&r, "config", "iters", la->iters, lb->iters, false);
	d_u64(&r, "config", "samples", la->samples, lb->samples, false);
	d_num(&r, "calibration", "query_exits", la->cal_query_exits, lb->cal_query_exits,
	      "count differs");
	d_cycles(&r, "calibration", "query_cycles", la->cal_query_cycles, lb->cal_query_cycles, tol);
	d_cycles(&r, "calibration", "guest_cycles", la->cal_guest_cycles, lb->cal_guest_cycles, tol);

	for (i = 0; i < la->nscen; i++) {
		const struct pl_scenario *s = pl_find_scenario(lb, la->scen[i].id);

		if (s) {
			diff_scenario(&r, &la->scen[i], s, tol);
		} else {
			snprintf(rec, sizeof(rec), "scenario %s", la->scen[i].id);
			add(&r, rec, "(record)", "present", "missing", "only in A");
		}
	}
	for (i = 0; i < la->nchecks; i++) {
		const struct pl_check *k = find_check(lb, la->checks[i].name, check_occurrence(la, i));

		check_rec(rec, la, i);
		if (!k)
			add(&r, rec, "(record)", pl_result_word(la->checks[i].result), "missing",
			    "only in A");
		else if (k->result != la->checks[i].result)
			add(&r, rec, "result", pl_result_word(la->checks[i].result),
			    pl_result_word(k->result), "result differs");
	}
	for (i = 0; i < la->nsweep; i++) {
		const struct pl_sweep *w = find_sweep(lb, la->sweep[i].reason);

		if (w) {
			diff_sweep(&r, &la->sweep[i], w, tol);
		} else {
			snprintf(rec, sizeof(rec), "sweep %" PRIu64, la->sweep[i].reason);
			add(&r, rec, "(record)", "present", "missing", "only in A");
		}
	}
	diff_presence(&r, a, b);
	diff_order(&r, la, lb);
	d_str(&r, "exitprobe-end", "result", la->result_word, lb->result_word);

	fprintf(out, "A: %s\nB: %s\n", a->path, b->path);
	if (r.n) {
		print_rows(out, &r);
		fprintf(out, "%zu difference%s", r.n, r.n == 1 ? "" : "s");
	} else {
		fprintf(out, "same");
	}
	fprintf(out, " (counts exact; cycles within %g%% of A or %" PRIu64 " cycles; async sweep rows and abs_* not compared)\n",
		tol->pct, tol->min_cycles);
	n = r.n;
	free(r.v);
	return n;
}

/* ---- table ---- */

static void md_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\')
			fputc('\\', out);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, out);
	}
}

static void csv_text(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void json_text(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

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
	reasons = xcalloc(total, sizeof(*reasons));
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
			md_text(out, in[i].label);
			fputs(" count | ", out);
			md_text(out, in[i].label);
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
			char *h = xcalloc(strlen(in[i].label) + 8, 1);

			sprintf(h, "%s count", in[i].label);
			fputc(',', out);
			csv_text(out, h);
			sprintf(h, "%s cycles", in[i].label);
			fputc(',', out);
			csv_text(out, h);
			free(h);
		}
		fputc('\n', out);
		break;
	case PL_TABLE_JSON:
		fputs("{\n  \"logs\": [", out);
		for (i = 0; i < n; i++) {
			fputs(i ? ",\n    {\"label\": " : "\n    {\"label\": ", out);
			json_text(out, in[i].label);
			fputs(", \"path\": ", out);
			json_text(out, in[i].path);
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
	v = xcalloc(total, sizeof(*v));
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
