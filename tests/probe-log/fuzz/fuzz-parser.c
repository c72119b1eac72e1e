// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the probe-log parser and the commands behind it.
 * Any input must give either a parse error with a message, or a log that
 * check (in every format), diff (against itself: must find no difference,
 * as text and JSON) and all three table formats handle. Crashes, sanitizer reports and a non-empty self-diff abort.
 *
 *   make fuzz-probe-log            fuzz for FUZZ_SECONDS
 *   build/probe-log.d/fuzz-parser FILE...   replay inputs (what the tests do)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"
#include "report.h"

static FILE *sink;

static void two_logs(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_input in[2] = { { .path = "a", .label = "a" }, { .path = "b", .label = "b|\"," } };
	static const char *const ignore[] = { "brand", "cpu.model", "check.result" };
	static const struct pl_diff_opts exact = { { 0.0, 0 }, ignore, 3, false };
	static const struct pl_diff_opts exact_json = { { 0.0, 0 }, NULL, 0, true };
	static const enum pl_check_format formats[] = {
		PL_CHECK_TEXT, PL_CHECK_TAP, PL_CHECK_JUNIT, PL_CHECK_JSON,
	};
	size_t f;
	struct pl_error err;
	int r;

	if (!sink)
		sink = fopen("/dev/null", "w");
	two_logs(data, size);
	r = pl_parse((const char *)data, size, &in[0].log, &err);
	if (r) {
		/* Every error says what is wrong. */
		if (!err.msg[0])
			abort();
		if (strlen(err.msg) >= sizeof(err.msg))
			abort();
		pl_free(&in[0].log);
		return 0;
	}
	/* A valid log parses the same way twice. */
	if (pl_parse((const char *)data, size, &in[1].log, &err))
		abort();
	/* Every format reaches the same outcome; a failed log never passes. */
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		struct pl_check_opts o = { formats[f], f & 1 };
		enum pl_outcome oc = pl_check(sink, sink, "a", &in[0].log, &o);

		if (in[0].log.failed && oc != PL_OUTCOME_FAILED && oc != PL_OUTCOME_CONTRADICTED)
			abort();
		if (!in[0].log.failed && oc == PL_OUTCOME_FAILED)
			abort();
	}
	if (pl_diff(sink, &in[0], &in[1], &exact) != 0)
		abort();
	if (pl_diff(sink, &in[0], &in[1], &exact_json) != 0)
		abort();
	pl_table(sink, in, 2, PL_TABLE_MARKDOWN, false);
	pl_table(sink, in, 2, PL_TABLE_CSV, true);
	pl_table(sink, in, 2, PL_TABLE_JSON, true);
	pl_free(&in[0].log);
	pl_free(&in[1].log);
	return 0;
}

/*
 * Two logs in one input, split at the first form feed: both parsed, then
 * diffed and tabulated together, so the fuzzer reaches the paths where the
 * logs differ. Seeds: corpus files named pair-*.
 */
static void two_logs(const uint8_t *data, size_t size)
{
	static const struct pl_diff_opts tol = { { 50.0, 16 }, NULL, 0, false };
	static const struct pl_diff_opts tol_json = { { 50.0, 16 }, NULL, 0, true };
	struct pl_input in[2] = { { .path = "a", .label = "a" }, { .path = "b", .label = "b" } };
	const uint8_t *ff = memchr(data, '\f', size);
	struct pl_error err;

	if (!ff)
		return;
	if (!pl_parse((const char *)data, (size_t)(ff - data), &in[0].log, &err) &&
	    !pl_parse((const char *)ff + 1, size - (size_t)(ff - data) - 1, &in[1].log, &err)) {
		pl_diff(sink, &in[0], &in[1], &tol);
		pl_diff(sink, &in[1], &in[0], &tol_json);
		pl_table(sink, in, 2, PL_TABLE_MARKDOWN, false);
		pl_table(sink, in, 2, PL_TABLE_JSON, false);
	}
	pl_free(&in[0].log);
	pl_free(&in[1].log);
}
