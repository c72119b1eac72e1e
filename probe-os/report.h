/* SPDX-License-Identifier: GPL-2.0 */
/* Records and check lines of the serial log (docs/serial-log.md). */
#ifndef PROBE_REPORT_H
#define PROBE_REPORT_H

#include "fmt.h"

enum check_result { CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

extern u32 checks_passed, checks_failed, checks_skipped;

/* Starts a record line "tag" (e.g. "scenario:"). */
struct line *rec(const char *tag);
/* Starts a check line "PASS: name: "; the caller appends the text. */
struct line *check(enum check_result r, const char *name);
/* Ends the current line with '\n' and writes it out. */
void emit(void);

void report_finish(int patched) __attribute__((noreturn));
void report_panic(u32 vector, u32 eip, u32 error) __attribute__((noreturn));

#endif
