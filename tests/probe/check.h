/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PASS:/FAIL: line of the probe's host-side unit tests: a case sets ok
 * to 0 through EXPECT(), which keeps the first reason, and result() prints
 * one line and remembers a failure for the exit status (failed).
 */
#ifndef TESTS_PROBE_CHECK_H
#define TESTS_PROBE_CHECK_H

#include <stdio.h>

static int failed;
static char why[1024];

static void result(const char *name, int ok)
{
	printf("%s: %s: %s\n", ok ? "PASS" : "FAIL", name, why[0] ? why : "ok");
	failed |= !ok;
	why[0] = 0;
}

#define EXPECT(cond, ...) do {						\
	if (!(cond)) {							\
		if (!why[0])						\
			snprintf(why, sizeof(why), __VA_ARGS__);	\
		ok = 0;							\
	}								\
} while (0)

#endif
