// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "reasons.h"

#define NS_PER_S 1e9

static int has_count(const struct row *row)
{
	return row->status == ROW_ENABLED || row->status == ROW_DEFINED;
}

/* Rows in the order the report asks for. */
static const struct stats *sort_stats;

static int by_count_desc(const void *x, const void *y)
{
	const struct row *a = &sort_stats->row[*(const uint32_t *)x];
	const struct row *b = &sort_stats->row[*(const uint32_t *)y];

	/* Rows without a count go last; then most exits first; then by number. */
	if (has_count(a) != has_count(b))
		return has_count(b) - has_count(a);
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static void row_order(const struct report *rep, const struct stats *st, uint32_t order[NR_ROWS])
{
	uint32_t nr;

	for (nr = 0; nr < NR_ROWS; nr++)
		order[nr] = nr;
	if (rep->args->sort == SORT_COUNT) {
		sort_stats = st;
		qsort(order, NR_ROWS, sizeof(order[0]), by_count_desc);
	}
}

static const char *mode_name(enum mode mode)
{
	return mode == MODE_COMMAND ? "command" : mode == MODE_INTERVAL ? "interval" : "snapshot";
}

static double seconds(uint64_t ns)
{
	return (double)ns / NS_PER_S;
}

/* ---- text -------------------------------------------------------------- */

static int name_width(void)
{
	int w = 4, nr;

	for (nr = 0; nr < NR_ROWS; nr++) {
		const char *n = reason_name((uint32_t)nr);

		if (n && (int)strlen(n) > w)
			w = (int)strlen(n);
	}
	return w;
}

static void text_begin(FILE *out, const struct report *rep)
{
	const struct host_info *h = rep->host;

	fprintf(out, "exitstat: host answers exitprobe ABI %" PRIu32 ", scope %s: %s\n",
		h->abi_version, host_scope_name(h->scope), host_scope_meaning(h->scope));
	if (!h->counting)
		fprintf(out, "exitstat: counting is off on the host (kvm_intel.exit_stats=0): the counters do not move\n");
}

static void text_count(FILE *out, const struct row *row, double total, int share)
{
	if (!has_count(row)) {
		fprintf(out, " %12s %16s %12s%s\n",
			row->status == ROW_UNDEFINED ? "undefined" : "not enabled", "-", "-",
			share ? "       -" : "");
		return;
	}
	fprintf(out, " %12" PRIu64 " %16" PRIu64, row->count, row->cycles);
	if (row->count)
		fprintf(out, " %12.1f", (double)row->cycles / (double)row->count);
	else
		fprintf(out, " %12s", "-");
	if (share)
		fprintf(out, " %6.2f%%", total > 0 ? 100.0 * (double)row->count / total : 0.0);
	fputc('\n', out);
}

static void text_stats(FILE *out, const struct report *rep, const struct stats *st)
{
	int delta = rep->args->mode != MODE_SNAPSHOT, w = name_width();
	uint32_t order[NR_ROWS], i, hidden_zero = 0, hidden_status = 0;
	struct row total = { ROW_ENABLED, st->total_count, st->total_cycles };

	if (rep->args->mode == MODE_COMMAND) {
		fprintf(out, "command exit status %d, wall time %.3f s (fork to wait)\n",
			rep->command_status, seconds(rep->elapsed_ns));
		fprintf(out, "exits between the snapshots before and after the command:\n");
	} else if (rep->args->mode == MODE_INTERVAL) {
		fprintf(out, "interval %" PRIu64 ": %.3f s, ending %.3f s after the first snapshot\n",
			rep->interval, seconds(rep->elapsed_ns), seconds(rep->since_start_ns));
	} else {
		fprintf(out, "counters since the scope began (VM created, module loaded or view reset):\n");
	}
	fprintf(out, "%6s %-*s %-5s %12s %16s %12s  share\n", "reason", w, "name", "class",
		"count", "cycles", "cycles/exit");
	row_order(rep, st, order);
	for (i = 0; i < NR_ROWS; i++) {
		uint32_t nr = order[i];
		const struct row *row = &st->row[nr];
		const char *name = reason_name(nr);

		/* A delta lists what happened; -a lists everything. */
		if (delta && !rep->args->all_rows) {
			if (!has_count(row)) {
				hidden_status++;
				continue;
			}
			if (!row->count) {
				hidden_zero++;
				continue;
			}
		}
		fprintf(out, "%6" PRIu32 " %-*s %-5s", nr, w, name ? name : "-",
			reason_class_name(reason_class(nr)));
		text_count(out, row, (double)st->total_count, 1);
	}
	fprintf(out, "%6s %-*s %-5s", "", w, "total", "");
	text_count(out, &total, (double)st->total_count, 1);
	fprintf(out, "of which exitstat's own CPUID reads: %" PRIu64 " in the CPUID row, %" PRIu64
		" in the total\n", st->own_cpuid, st->own_total);
	if (hidden_zero || hidden_status)
		fprintf(out, "not shown: %" PRIu32 " reasons without exits, %" PRIu32
			" undefined or not enabled (-a shows them)\n", hidden_zero, hidden_status);
	if (st->unknown_status)
		fprintf(out, "warning: %" PRIu32 " reasons had a status this exitstat does not know (shown as counted)\n",
			st->unknown_status);
	if (rep->args->mode == MODE_INTERVAL)
		fputc('\n', out);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			/* Bytes, not characters: arguments need not be UTF-8. */
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void json_number_or_null(FILE *out, int has, uint64_t v)
{
	if (has)
		fprintf(out, "%" PRIu64, v);
	else
		fputs("null", out);
}

static void json_per_exit(FILE *out, int has, uint64_t count, uint64_t cycles)
{
	if (has && count)
		fprintf(out, "%.1f", (double)cycles / (double)count);
	else
		fputs("null", out);
}

static void json_stats(FILE *out, const struct report *rep, const struct stats *st)
{
	const struct host_info *h = rep->host;
	uint32_t order[NR_ROWS], i;
	char *const *c;

	fprintf(out, "{\"exitstat\":1,\"mode\":\"%s\",\"host\":{\"abi\":%" PRIu32 ",\"scope\":\"%s\","
		"\"counting\":%s,\"vendor\":", mode_name(rep->args->mode), h->abi_version,
		host_scope_name(h->scope), h->counting ? "true" : "false");
	json_string(out, h->vendor);
	fputs(",\"hypervisor\":", out);
	json_string(out, h->hypervisor);
	fputs(",\"detail\":", out);
	json_string(out, h->detail);
	fputs(",\"counts\":", out);
	json_string(out, host_scope_meaning(h->scope));
	fputc('}', out);
	if (rep->args->mode == MODE_COMMAND) {
		fputs(",\"command\":[", out);
		for (c = rep->args->command; *c; c++) {
			if (c != rep->args->command)
				fputc(',', out);
			json_string(out, *c);
		}
		fprintf(out, "],\"exit_status\":%d,\"seconds\":%.6f", rep->command_status,
			seconds(rep->elapsed_ns));
	} else if (rep->args->mode == MODE_INTERVAL) {
		fprintf(out, ",\"interval\":%" PRIu64 ",\"seconds\":%.6f,\"end_seconds\":%.6f",
			rep->interval, seconds(rep->elapsed_ns), seconds(rep->since_start_ns));
	}
	fputs(",\"reasons\":[", out);
	row_order(rep, st, order);
	for (i = 0; i < NR_ROWS; i++) {
		uint32_t nr = order[i];
		const struct row *row = &st->row[nr];
		const char *name = reason_name(nr);

		fprintf(out, "%s{\"reason\":%" PRIu32 ",\"name\":", i ? "," : "", nr);
		if (name)
			json_string(out, name);
		else
			fputs("null", out);
		fputs(",\"class\":", out);
		if (name)
			json_string(out, reason_class_name(reason_class(nr)));
		else
			fputs("null", out);
		fprintf(out, ",\"status\":\"%s\",\"count\":", row_status_name(row->status));
		json_number_or_null(out, has_count(row), row->count);
		fputs(",\"cycles\":", out);
		json_number_or_null(out, has_count(row), row->cycles);
		fputs(",\"cycles_per_exit\":", out);
		json_per_exit(out, has_count(row), row->count, row->cycles);
		fputc('}', out);
	}
	fprintf(out, "],\"total\":{\"count\":%" PRIu64 ",\"cycles\":%" PRIu64 ",\"cycles_per_exit\":",
		st->total_count, st->total_cycles);
	json_per_exit(out, 1, st->total_count, st->total_cycles);
	fprintf(out, "},\"own_reads\":{\"cpuid_row\":%" PRIu64 ",\"total\":%" PRIu64
		"},\"unknown_status\":%" PRIu32 "}\n", st->own_cpuid, st->own_total, st->unknown_status);
}

/* ---- CSV ----------------------------------------------------------------- */

static void csv_begin(FILE *out)
{
	fputs("mode,interval,seconds,reason,name,class,status,count,cycles,cycles_per_exit,own_reads\n", out);
}

static void csv_row(FILE *out, const struct report *rep, const char *reason, const char *name,
		    const char *cls, const char *status, const struct row *row, uint64_t own)
{
	fprintf(out, "%s,", mode_name(rep->args->mode));
	if (rep->args->mode == MODE_INTERVAL)
		fprintf(out, "%" PRIu64, rep->interval);
	fputc(',', out);
	if (rep->args->mode != MODE_SNAPSHOT)
		fprintf(out, "%.6f", seconds(rep->elapsed_ns));
	fprintf(out, ",%s,%s,%s,%s,", reason, name, cls, status);
	/* Empty fields, not zeros, where there is no count. */
	if (has_count(row)) {
		fprintf(out, "%" PRIu64 ",%" PRIu64 ",", row->count, row->cycles);
		if (row->count)
			fprintf(out, "%.1f", (double)row->cycles / (double)row->count);
	} else {
		fputs(",,", out);
	}
	fprintf(out, ",%" PRIu64 "\n", own);
}

static void csv_stats(FILE *out, const struct report *rep, const struct stats *st)
{
	struct row total = { ROW_ENABLED, st->total_count, st->total_cycles };
	uint32_t order[NR_ROWS], i;
	char nrbuf[16];

	row_order(rep, st, order);
	for (i = 0; i < NR_ROWS; i++) {
		uint32_t nr = order[i];
		const char *name = reason_name(nr);

		snprintf(nrbuf, sizeof(nrbuf), "%" PRIu32, nr);
		csv_row(out, rep, nrbuf, name ? name : "", reason_class_name(reason_class(nr)),
			row_status_name(st->row[nr].status), &st->row[nr],
			nr == SDM_REASON_CPUID ? st->own_cpuid : 0);
	}
	csv_row(out, rep, "total", "", "", "", &total, st->own_total);
}

/* ---- dispatch ---------------------------------------------------------- */

void output_begin(FILE *out, const struct report *rep)
{
	if (rep->args->format == FORMAT_TEXT)
		text_begin(out, rep);
	else if (rep->args->format == FORMAT_CSV)
		csv_begin(out);
}

void output_stats(FILE *out, const struct report *rep, const struct stats *st)
{
	switch (rep->args->format) {
	case FORMAT_JSON:
		json_stats(out, rep, st);
		break;
	case FORMAT_CSV:
		csv_stats(out, rep, st);
		break;
	default:
		text_stats(out, rep, st);
	}
	fflush(out);
}
