/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Number formatting and line building for the serial log. Pure code: no I/O,
 * no libc, no 64-bit division by the compiler (i386 would need libgcc), so the
 * same file is unit-tested on the host (tests/probe/unit.c).
 */
#ifndef PROBE_FMT_H
#define PROBE_FMT_H

#include "types.h"

#define LINE_MAX 512

struct line {
	char buf[LINE_MAX];
	u32 len;
	int overflow;		/* something did not fit: the line is cut */
};

/* n / d and n % d for 64-bit n, 32-bit d != 0 (shift-subtract). */
u64 udiv64(u64 n, u32 d, u32 *rem);

void line_reset(struct line *l);
void line_char(struct line *l, char c);
/* Appends a string; bytes outside 0x20..0x7e become '?' (the log is ASCII). */
void line_str(struct line *l, const char *s);
void line_strn(struct line *l, const char *s, u32 n);
void line_u64(struct line *l, u64 v);			/* unsigned decimal */
void line_hex32(struct line *l, u32 v);			/* 0x%08x */
/* num/den with exactly three decimals, rounded half up; den != 0. */
void line_fixed3(struct line *l, u64 num, u32 den);

/* " key=" then the value; the _opt forms print '-' when !have. */
void kv_str(struct line *l, const char *key, const char *v);
void kv_quoted(struct line *l, const char *key, const char *v);
void kv_u64(struct line *l, const char *key, u64 v);
void kv_u64_opt(struct line *l, const char *key, int have, u64 v);
void kv_hex32(struct line *l, const char *key, u32 v);

/* NUL-terminated view of the line (for tests). */
const char *line_cstr(struct line *l);
/* Copies the line's text into dst (size > 0 bytes), cut to fit, NUL-ended:
 * for a detail kept after the line is reused. */
void line_copy(struct line *l, char *dst, u32 size);

#endif
