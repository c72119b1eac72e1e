// SPDX-License-Identifier: GPL-2.0
/*
 * probe-log check: the verdict on one log in four formats. Every format
 * shows the same test cases: one per check line of the log (failed when
 * the probe says FAIL or when its record contradicts it), one per
 * contradiction no check line carries, and with --require-patched one
 * "host.patched" case.
 */
#include "check.h"

#include <inttypes.h>
#include <string.h>

#include "escape.h"
#include "verify.h"

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

static enum pl_outcome outcome(const struct pl_log *l, const struct pl_review *r)
{
	if (r->ncontradictions)
		return PL_OUTCOME_CONTRADICTED;
	if (l->failed)
		return PL_OUTCOME_FAILED;
	return l->result == PL_SKIP ? PL_OUTCOME_SKIPPED : PL_OUTCOME_PASS;
}

static const char *outcome_word(enum pl_outcome o)
{
	switch (o) {
	case PL_OUTCOME_PASS:
		return "PASS";
	case PL_OUTCOME_SKIPPED:
		return "SKIPPED";
	case PL_OUTCOME_FAILED:
		break;
	case PL_OUTCOME_CONTRADICTED:
		return "CONTRADICTED";
	}
	return "FAIL";
}

/* The one-line account of the probe's own lines. */
static void own_counts(FILE *out, const struct pl_log *l)
{
	fprintf(out, "%s: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped",
		counting_text(l), l->passed, l->failed, l->skipped);
}

/* ---- one test case, whatever the format ---- */

enum tc_status { TC_PASS, TC_FAIL, TC_SKIP };

struct tc {
	const char *classname;	/* what kind of check */
	const char *name;
	enum tc_status status;
	const char *message;	/* why it failed or skipped; NULL for a pass */
	unsigned line;		/* of the check line, 0 if none */
	const char *result;	/* the check line's tag: PASS, FAIL or SKIP */
	const char *text;	/* the check line's text, or NULL */
	unsigned record_line;
	const char *record;	/* the record it judges, or NULL */
};

static void tc_of_check(struct tc *t, const struct pl_judged *j, char *msg, size_t msglen)
{
	const struct pl_check *k = j->check;

	t->classname = j->record && !strncmp(j->record, "sweep:", 6) ? "exitprobe.sweep" :
		       j->record ? "exitprobe.scenario" : "exitprobe.check";
	t->name = k->name;
	t->line = k->line;
	t->result = pl_result_word(k->result);
	t->text = k->text;
	t->record_line = j->record_line;
	t->record = j->record;
	t->message = NULL;
	if (j->contradicted) {
		snprintf(msg, msglen, "contradiction: %s", j->why);
		t->status = TC_FAIL;
		t->message = msg;
	} else if (k->result == PL_FAIL) {
		t->status = TC_FAIL;
		t->message = k->text;
	} else if (k->result == PL_SKIP) {
		t->status = TC_SKIP;
		t->message = k->text;
	} else {
		t->status = TC_PASS;
	}
}

static void tc_of_orphan(struct tc *t, const struct pl_orphan *o, char *name, size_t n)
{
	snprintf(name, n, "verify.line-%u", o->line);
	memset(t, 0, sizeof(*t));
	t->classname = "exitprobe.verify";
	t->name = name;
	t->status = TC_FAIL;
	t->message = o->why;
	t->record_line = o->line;
}

static void tc_host_patched(struct tc *t, const struct pl_log *l, char *msg, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->classname = "exitprobe.verify";
	t->name = "host.patched";
	if (l->counting_word && l->counting == PL_COUNTING_PATCHED) {
		t->status = TC_PASS;
	} else {
		snprintf(msg, n, "%s, and --require-patched asks for one", counting_text(l));
		t->status = TC_FAIL;
		t->message = msg;
	}
}

/*
 * Calls EMIT for every test case in order: check lines, orphans, then
 * host.patched. Returns how many there are.
 */
typedef void (*tc_fn)(FILE *out, const struct tc *t, size_t index, void *state);

static size_t each_tc(FILE *out, const struct pl_log *l, const struct pl_review *r,
		      const struct pl_check_opts *o, tc_fn emit, void *state)
{
	char msg[PL_WHY_LEN + 32], name[48];
	size_t i, n = 0;
	struct tc t;

	for (i = 0; i < r->nchecks; i++) {
		tc_of_check(&t, &r->checks[i], msg, sizeof(msg));
		if (emit)
			emit(out, &t, n, state);
		n++;
	}
	for (i = 0; i < r->norphans; i++) {
		tc_of_orphan(&t, &r->orphans[i], name, sizeof(name));
		if (emit)
			emit(out, &t, n, state);
		n++;
	}
	if (o->require_patched) {
		tc_host_patched(&t, l, msg, sizeof(msg));
		if (emit)
			emit(out, &t, n, state);
		n++;
	}
	return n;
}

struct tally {
	size_t fail, skip;
};

static void count_tc(FILE *out, const struct tc *t, size_t i, void *state)
{
	struct tally *k = state;

	(void)out;
	(void)i;
	k->fail += t->status == TC_FAIL;
	k->skip += t->status == TC_SKIP;
}

/* ---- text ---- */

static void check_text(FILE *out, const char *path, const struct pl_log *l,
		       const struct pl_review *r, const struct pl_check_opts *o,
		       enum pl_outcome oc)
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
	for (i = 0; i < r->nchecks; i++) {
		const struct pl_judged *j = &r->checks[i];

		if (!j->contradicted)
			continue;
		fprintf(out, "%s:%u: contradiction: %s: %s: %s", path, j->check->line,
			pl_result_word(j->check->result), j->check->name, j->why);
		if (j->record_line)
			fprintf(out, " (record at line %u)", j->record_line);
		fputc('\n', out);
	}
	for (i = 0; i < r->norphans; i++)
		fprintf(out, "%s:%u: contradiction: %s\n", path, r->orphans[i].line,
			r->orphans[i].why);

	fprintf(out, "%s: verdict: ", path);
	if (oc == PL_OUTCOME_CONTRADICTED) {
		fprintf(out, "FAIL, the log contradicts itself in %zu place%s (its own lines say: ",
			r->ncontradictions, r->ncontradictions == 1 ? "" : "s");
		own_counts(out, l);
		fputs(")\n", out);
		return;
	}
	fprintf(out, "%s, ", outcome_word(oc));
	own_counts(out, l);
	if (oc == PL_OUTCOME_SKIPPED)
		fputs(o->require_patched ?
		      " (nothing failed, but --require-patched asks for a patched host)" :
		      " (count checks skipped, nothing failed)", out);
	fputc('\n', out);
}

/* ---- TAP version 13 (what kvm-unit-tests' run_tests.sh -t prints) ---- */

/* A TAP description ends at '#', which starts a directive. */
static void tap_words(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void tap_tc(FILE *out, const struct tc *t, size_t i, void *state)
{
	(void)state;
	fprintf(out, "%s %zu - ", t->status == TC_FAIL ? "not ok" : "ok", i + 1);
	tap_words(out, t->name);
	if (t->status == TC_SKIP) {
		fputs(" # SKIP ", out);
		tap_words(out, t->message);
	}
	fputs("\n  ---\n", out);
	fprintf(out, "  classname: %s\n", t->classname);
	if (t->status == TC_FAIL) {
		fputs("  message: ", out);
		pl_yaml_text(out, t->message);
		fputc('\n', out);
	}
	if (t->line) {
		fprintf(out, "  line: %u\n  text: ", t->line);
		pl_yaml_text(out, t->text);
		fputc('\n', out);
	}
	if (t->record) {
		fprintf(out, "  record_line: %u\n  record: ", t->record_line);
		pl_yaml_text(out, t->record);
		fputc('\n', out);
	}
	fputs("  ...\n", out);
}

static void check_tap(FILE *out, const char *path, const struct pl_log *l,
		      const struct pl_review *r, const struct pl_check_opts *o)
{
	size_t n = each_tc(out, l, r, o, NULL, NULL);

	fputs("TAP version 13\n# exitprobe log ", out);
	tap_words(out, path);
	fprintf(out, ": probe %s, ", l->probe);
	own_counts(out, l);
	fprintf(out, "\n1..%zu\n", n);
	each_tc(out, l, r, o, tap_tc, NULL);
}

/* ---- JUnit XML (the de facto schema of Jenkins, GitLab, GitHub actions) ---- */

static void junit_tc(FILE *out, const struct tc *t, size_t i, void *state)
{
	(void)i;
	(void)state;
	fputs("    <testcase classname=\"", out);
	pl_xml_text(out, t->classname);
	fputs("\" name=\"", out);
	pl_xml_text(out, t->name);
	fputs("\">\n", out);
	if (t->status != TC_PASS) {
		fputs(t->status == TC_FAIL ? "      <failure message=\"" : "      <skipped message=\"", out);
		pl_xml_text(out, t->message);
		fputs("\"/>\n", out);
	}
	if (t->record || t->line) {
		fputs("      <system-out>", out);
		if (t->record) {
			fprintf(out, "line %u: ", t->record_line);
			pl_xml_text(out, t->record);
			fputc('\n', out);
		}
		if (t->line) {
			fprintf(out, "line %u: %s: ", t->line, t->result);
			pl_xml_text(out, t->name);
			fputs(": ", out);
			pl_xml_text(out, t->text);
			fputc('\n', out);
		}
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
}

static void xml_property(FILE *out, const char *name, const char *value)
{
	fprintf(out, "      <property name=\"%s\" value=\"", name);
	pl_xml_text(out, value ? value : "-");
	fputs("\"/>\n", out);
}

static void check_junit(FILE *out, const char *path, const struct pl_log *l,
			const struct pl_review *r, const struct pl_check_opts *o,
			enum pl_outcome oc)
{
	struct tally k = { 0, 0 };
	size_t n = each_tc(out, l, r, o, count_tc, &k);
	char fmt[24];

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"exitprobe\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\">\n",
		n, k.fail, k.skip);
	fputs("  <testsuite name=\"", out);
	pl_xml_text(out, path);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\">\n",
		n, k.fail, k.skip);
	fputs("    <properties>\n", out);
	snprintf(fmt, sizeof(fmt), "%" PRIu64, l->format);
	xml_property(out, "format", fmt);
	xml_property(out, "probe", l->probe);
	xml_property(out, "counting", l->counting_word);
	xml_property(out, "paging", l->paging_word ? l->paging_word : "(absent)");
	xml_property(out, "verdict", outcome_word(oc));
	fputs("    </properties>\n", out);
	each_tc(out, l, r, o, junit_tc, NULL);
	fputs("  </testsuite>\n</testsuites>\n", out);
}

/* ---- JSON ---- */

static void json_tc(FILE *out, const struct tc *t, size_t i, void *state)
{
	static const char *const words[] = { "pass", "fail", "skip" };

	(void)state;
	fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
	pl_json_text(out, t->name);
	fputs(", \"classname\": ", out);
	pl_json_text(out, t->classname);
	fprintf(out, ", \"status\": \"%s\", \"message\": ", words[t->status]);
	if (t->message)
		pl_json_text(out, t->message);
	else
		fputs("null", out);
	if (t->line) {
		fprintf(out, ", \"line\": %u, \"text\": ", t->line);
		pl_json_text(out, t->text);
	} else {
		fputs(", \"line\": null, \"text\": null", out);
	}
	if (t->record) {
		fprintf(out, ", \"record_line\": %u, \"record\": ", t->record_line);
		pl_json_text(out, t->record);
	} else {
		fputs(", \"record_line\": null, \"record\": null", out);
	}
	fputc('}', out);
}

static void check_json(FILE *out, const char *path, const struct pl_log *l,
		       const struct pl_review *r, const struct pl_check_opts *o,
		       enum pl_outcome oc)
{
	struct tally k = { 0, 0 };
	size_t n = each_tc(out, l, r, o, count_tc, &k);

	fputs("{\n  \"file\": ", out);
	pl_json_text(out, path);
	fprintf(out, ",\n  \"format\": %" PRIu64 ",\n  \"probe\": ", l->format);
	pl_json_text(out, l->probe);
	fputs(",\n  \"counting\": ", out);
	if (l->counting_word)
		pl_json_text(out, l->counting_word);
	else
		fputs("null", out);
	fputs(",\n  \"paging\": ", out);
	if (l->paging_word)
		pl_json_text(out, l->paging_word);
	else
		fputs("null", out);
	fprintf(out, ",\n  \"verdict\": \"%s\",\n  \"require_patched\": %s,\n",
		outcome_word(oc), o->require_patched ? "true" : "false");
	fprintf(out, "  \"probe_summary\": {\"passed\": %" PRIu64 ", \"failed\": %" PRIu64 ", \"skipped\": %" PRIu64 "},\n",
		l->passed, l->failed, l->skipped);
	fprintf(out, "  \"tests\": %zu, \"failures\": %zu, \"skipped\": %zu, \"contradictions\": %zu,\n",
		n, k.fail, k.skip, r->ncontradictions);
	fputs("  \"cases\": [", out);
	each_tc(out, l, r, o, json_tc, NULL);
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
}

enum pl_outcome pl_check(FILE *out, FILE *err, const char *path, const struct pl_log *l,
			 const struct pl_check_opts *o)
{
	struct pl_review r;
	enum pl_outcome oc;
	size_t i;

	pl_review(l, &r);
	oc = outcome(l, &r);
	switch (o->format) {
	case PL_CHECK_TEXT:
		check_text(out, path, l, &r, o, oc);
		break;
	case PL_CHECK_TAP:
		check_tap(out, path, l, &r, o);
		break;
	case PL_CHECK_JUNIT:
		check_junit(out, path, l, &r, o, oc);
		break;
	case PL_CHECK_JSON:
		check_json(out, path, l, &r, o, oc);
		break;
	}
	/* The machine formats go to a file; a CI console still learns why. */
	if (o->format != PL_CHECK_TEXT && err) {
		for (i = 0; i < r.nchecks; i++)
			if (r.checks[i].contradicted)
				fprintf(err, "probe-log: %s:%u: contradiction: %s: %s: %s\n", path,
					r.checks[i].check->line,
					pl_result_word(r.checks[i].check->result),
					r.checks[i].check->name, r.checks[i].why);
		for (i = 0; i < r.norphans; i++)
			fprintf(err, "probe-log: %s:%u: contradiction: %s\n", path,
				r.orphans[i].line, r.orphans[i].why);
	}
	pl_review_free(&r);
	return oc;
}
