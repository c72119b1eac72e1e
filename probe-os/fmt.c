// SPDX-License-Identifier: GPL-2.0
/* Number formatting and line building; see fmt.h. */
#include "fmt.h"

u64 udiv64(u64 n, u32 d, u32 *rem)
{
	u32 hi = (u32)(n >> 32), lo = (u32)n;
	u64 q;
	u32 r = 0;
	int i;

	if (hi == 0) {
		/* Common case: a plain 32-bit division, no loop. */
		if (rem)
			*rem = lo % d;
		return lo / d;
	}
	q = 0;
	for (i = 63; i >= 0; i--) {
		/* r < d <= 2^32 - 1, so 2r + 1 fits in 33 bits: keep the carry. */
		u64 r2 = ((u64)r << 1) | ((n >> i) & 1);

		q <<= 1;
		if (r2 >= d) {
			r2 -= d;
			q |= 1;
		}
		r = (u32)r2;
	}
	if (rem)
		*rem = r;
	return q;
}

void line_reset(struct line *l)
{
	l->len = 0;
	l->overflow = 0;
	l->buf[0] = 0;
}

void line_char(struct line *l, char c)
{
	if (l->len + 1 >= LINE_MAX) {
		l->overflow = 1;
		return;
	}
	if (c < 0x20 || c > 0x7e)
		c = '?';
	l->buf[l->len++] = c;
	l->buf[l->len] = 0;
}

void line_strn(struct line *l, const char *s, u32 n)
{
	while (n-- && *s)
		line_char(l, *s++);
}

void line_str(struct line *l, const char *s)
{
	while (*s)
		line_char(l, *s++);
}

void line_u64(struct line *l, u64 v)
{
	char tmp[21];
	int i = 0;

	do {
		u32 r;

		v = udiv64(v, 10, &r);
		tmp[i++] = (char)('0' + r);
	} while (v);
	while (i--)
		line_char(l, tmp[i]);
}

void line_hex32(struct line *l, u32 v)
{
	static const char digits[] = "0123456789abcdef";
	int shift;

	line_str(l, "0x");
	for (shift = 28; shift >= 0; shift -= 4)
		line_char(l, digits[(v >> shift) & 0xf]);
}

void line_fixed3(struct line *l, u64 num, u32 den)
{
	/* round(num * 1000 / den); num * 1000 must not overflow: callers pass
	 * counts well below 2^54. */
	u64 milli = udiv64(num * 1000 + den / 2, den, NULL);
	u32 frac;
	u64 whole = udiv64(milli, 1000, &frac);

	line_u64(l, whole);
	line_char(l, '.');
	line_char(l, (char)('0' + frac / 100));
	line_char(l, (char)('0' + frac / 10 % 10));
	line_char(l, (char)('0' + frac % 10));
}

static void key(struct line *l, const char *k)
{
	line_char(l, ' ');
	line_str(l, k);
	line_char(l, '=');
}

void kv_str(struct line *l, const char *k, const char *v)
{
	key(l, k);
	line_str(l, v);
}

void kv_quoted(struct line *l, const char *k, const char *v)
{
	key(l, k);
	line_char(l, '"');
	for (; *v; v++)
		line_char(l, *v == '"' ? '\'' : *v);
	line_char(l, '"');
}

void kv_u64(struct line *l, const char *k, u64 v)
{
	key(l, k);
	line_u64(l, v);
}

void kv_u64_opt(struct line *l, const char *k, int have, u64 v)
{
	key(l, k);
	if (have)
		line_u64(l, v);
	else
		line_char(l, '-');
}

void kv_hex32(struct line *l, const char *k, u32 v)
{
	key(l, k);
	line_hex32(l, v);
}

const char *line_cstr(struct line *l)
{
	l->buf[l->len] = 0;
	return l->buf;
}

void line_copy(struct line *l, char *dst, u32 size)
{
	const char *src = line_cstr(l);
	u32 i;

	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}
