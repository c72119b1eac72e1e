// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* One day: longer intervals are a typo, not a measurement. */
#define INTERVAL_MAX_NS		(86400ull * 1000000000ull)
/* Below a millisecond the reads themselves are most of the interval. */
#define INTERVAL_MIN_NS		1000000ull
#define COUNT_MAX		1000000000ull

static int fail(char *err, unsigned long errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Seconds as a plain decimal with at most 9 fractional digits, converted
 * exactly to nanoseconds (no floating point: "0.1" is 100000000 ns).
 */
static int parse_seconds(const char *s, uint64_t *ns)
{
	uint64_t whole = 0, frac = 0, scale = 1000000000ull;
	const char *p = s;
	int digits = 0;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (whole > INTERVAL_MAX_NS / 1000000000ull)
			return -1;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			if (scale == 1)
				return -1;
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p || !digits || whole > INTERVAL_MAX_NS / 1000000000ull)
		return -1;
	*ns = whole * 1000000000ull + frac;
	return 0;
}

static int parse_count(const char *s, uint64_t *n)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0 || v > COUNT_MAX)
		return -1;
	*n = v;
	return 0;
}

/*
 * "-x VALUE", "-xVALUE", "--long VALUE" or "--long=VALUE": returns the
 * value and advances *i past it, or NULL when the option is not this one.
 * *missing is set when it is but its value is absent.
 */
static const char *opt_value(int argc, char **argv, int *i, char shortopt,
			     const char *longopt, int *missing)
{
	const char *arg = argv[*i];
	size_t len = strlen(longopt);

	if (shortopt && arg[0] == '-' && arg[1] == shortopt) {
		if (arg[2])
			return arg + 2;
	} else if (!strncmp(arg, "--", 2) && !strncmp(arg + 2, longopt, len) &&
		   (arg[2 + len] == '=' || !arg[2 + len])) {
		if (arg[2 + len] == '=')
			return arg + 3 + len;
	} else {
		return NULL;
	}
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int args_parse(int argc, char **argv, struct args *a, char *err, unsigned long errlen)
{
	int i, missing = 0, have_count = 0, have_interval = 0;
	const char *v;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || !arg[1])
			break;	/* the command starts here */
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			a->help = 1;
		} else if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
			a->version = 1;
		} else if (!strcmp(arg, "--json")) {
			if (a->format == FORMAT_CSV)
				return fail(err, errlen, "--json and --csv exclude each other");
			a->format = FORMAT_JSON;
		} else if (!strcmp(arg, "--csv")) {
			if (a->format == FORMAT_JSON)
				return fail(err, errlen, "--json and --csv exclude each other");
			a->format = FORMAT_CSV;
		} else if (!strcmp(arg, "-a") || !strcmp(arg, "--all")) {
			a->all_rows = 1;
		} else if ((v = opt_value(argc, argv, &i, 's', "sort", &missing))) {
			if (!strcmp(v, "count"))
				a->sort = SORT_COUNT;
			else if (!strcmp(v, "reason"))
				a->sort = SORT_REASON;
			else
				return fail(err, errlen, "--sort takes \"count\" or \"reason\", not \"%s\"", v);
		} else if (!missing && (v = opt_value(argc, argv, &i, 'i', "interval", &missing))) {
			if (parse_seconds(v, &a->interval_ns) || a->interval_ns < INTERVAL_MIN_NS ||
			    a->interval_ns > INTERVAL_MAX_NS)
				return fail(err, errlen,
					    "-i takes seconds from 0.001 to 86400 (like 1 or 0.5), not \"%s\"", v);
			have_interval = 1;
		} else if (!missing && (v = opt_value(argc, argv, &i, 'n', "count", &missing))) {
			if (parse_count(v, &a->count))
				return fail(err, errlen, "-n takes a count from 1 to %llu, not \"%s\"",
					    COUNT_MAX, v);
			have_count = 1;
		} else if (!missing && (v = opt_value(argc, argv, &i, 'o', "output", &missing))) {
			if (!*v)
				return fail(err, errlen, "-o needs a file name");
			a->output = v;
		} else if (missing) {
			return fail(err, errlen, "%s needs a value", arg);
		} else {
			return fail(err, errlen, "unknown option \"%s\"", arg);
		}
		if (missing)
			return fail(err, errlen, "%s needs a value", arg);
	}
	if (a->help || a->version)
		return 0;
	if (i < argc) {
		a->mode = MODE_COMMAND;
		a->command = argv + i;
	} else if (i > 1 && !strcmp(argv[i - 1], "--") && !have_interval) {
		return fail(err, errlen, "\"--\" must be followed by a command");
	}
	if (have_interval && a->mode == MODE_COMMAND)
		return fail(err, errlen, "-i and a command exclude each other");
	if (have_count && !have_interval)
		return fail(err, errlen, "-n counts intervals: it needs -i");
	if (have_interval)
		a->mode = MODE_INTERVAL;
	return 0;
}
