// SPDX-License-Identifier: GPL-2.0
#include "cmdline.h"

static int word_is(const char *w, u32 len, const char *key)
{
	u32 i;

	for (i = 0; key[i]; i++)
		if (i >= len || w[i] != key[i])
			return 0;
	return i < len && w[i] == '=';
}

/* Strict decimal in [1, max]; no sign, no spaces, no leading '+'. */
static int parse_u32(const char *s, u32 len, u32 max, u32 *out)
{
	u64 v = 0;
	u32 i;

	if (len == 0 || len > 10)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (u32)(s[i] - '0');
	}
	if (v < 1 || v > max)
		return 0;
	*out = (u32)v;
	return 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

u32 cmdline_parse(const char *p, struct config *cfg, cmdline_bad_fn bad)
{
	u32 rejected = 0;
	int first = 1;

	if (!p)
		return 0;
	for (;;) {
		const char *w;
		u32 len = 0, i;
		int has_eq = 0;

		while (is_space(*p))
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && !is_space(*p))
			p++, len++;
		for (i = 0; i < len; i++)
			has_eq |= w[i] == '=';
		if (first && !has_eq) {
			first = 0;
			continue;	/* the image path */
		}
		first = 0;
		if (word_is(w, len, "iters")) {
			if (parse_u32(w + 6, len - 6, MAX_ITERS, &cfg->iters))
				continue;
			bad("bad value", w, len);
		} else if (word_is(w, len, "samples")) {
			if (parse_u32(w + 8, len - 8, MAX_SAMPLES, &cfg->samples))
				continue;
			bad("bad value", w, len);
		} else if (word_is(w, len, "budget")) {
			if (parse_u32(w + 7, len - 7, MAX_BUDGET, &cfg->budget))
				continue;
			bad("bad value", w, len);
		} else {
			bad("unknown option", w, len);
		}
		rejected++;
	}
	return rejected;
}
