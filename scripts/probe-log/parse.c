// SPDX-License-Identifier: GPL-2.0
/*
 * probe-log parser: docs/serial-log.md, format versions 1 and 2 (2 adds
 * fields and the coverage: record; the fields added within format 1 are
 * optional in 1 and required in 2).
 *
 * The log proper runs from the first "exitprobe-begin" record (which may
 * follow noise on the same line, e.g. a boot loader's escape sequences) to
 * the first "exitprobe-end" record after it. Lines before and after are noise
 * and never looked at, except that a second "exitprobe-begin" after the end is
 * an error: two runs in one file would make any verdict ambiguous. Inside the
 * log every line must be a well-formed record of printable ASCII; the first
 * problem found stops the parse with its line number.
 */
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitprobe-abi.h"

/* Bounds on hostile input (a real log has ~20 scenarios, ~130 checks). */
#define PL_MAX_RECORDS		1000000u
#define PL_MAX_SCENARIOS	4096u
#define PL_MAX_CHECKS		8192u
#define PL_MAX_EXTRA_SWEEP	64u

/* ---- the SDM table, from the one source of truth ---- */

#define SYNC  false
#define ASYNC true
static const struct pl_sdm_reason sdm_table[] = {
#define SDM_EXIT_REASON(nr, ident, cls, desc) { nr, #ident, cls, desc },
#include "sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};
#undef SYNC
#undef ASYNC

const struct pl_sdm_reason *pl_sdm_lookup(uint64_t nr)
{
	size_t i;

	for (i = 0; i < sizeof(sdm_table) / sizeof(sdm_table[0]); i++)
		if (sdm_table[i].nr == nr)
			return &sdm_table[i];
	return NULL;
}

const char *pl_result_word(enum pl_result r)
{
	return r == PL_PASS ? "PASS" : r == PL_FAIL ? "FAIL" : "SKIP";
}

/* ---- parse context and errors ---- */

enum phase {
	PH_CPU, PH_HYPERVISOR, PH_HOST, PH_CONFIG, PH_CALIBRATION,
	PH_BODY,	/* scenario: and check lines */
	PH_SWEEP,	/* sweep: and check lines */
	PH_END,		/* after SUMMARY:, only exitprobe-end */
};

static const char *const header_tags[] = {
	"cpu:", "hypervisor:", "host:", "config:", "calibration:",
};

struct ctx {
	struct pl_log *log;
	struct pl_error *err;
	unsigned line;
	enum phase phase;
	unsigned sweep_line;	/* first sweep: line */
	unsigned records;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	c->err->line = c->line;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* For quoting a piece of a record in a message: at most 40 chars. */
#define SHOWN(n)	((int)((n) > 40 ? 40 : (n)))
#define ELLIPSIS(n)	((n) > 40 ? "..." : "")

static char *xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		fputs("probe-log: out of memory\n", stderr);
		exit(2);
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void *grow(void *arr, size_t *cap, size_t n, size_t elem)
{
	void *p;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(arr, *cap * elem);
	if (!p) {
		fputs("probe-log: out of memory\n", stderr);
		exit(2);
	}
	memset((char *)p + n * elem, 0, (*cap - n) * elem);
	return p;
}

static bool eq(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

/* ---- values ---- */

/* Unsigned decimal, no sign, no leading zero, at most 64 bits. */
static int parse_dec(struct ctx *c, const char *key, const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return fail(c, "field %s: empty number", key);
	for (i = 0; i < n; i++) {
		unsigned d;

		if (p[i] < '0' || p[i] > '9')
			return fail(c, "field %s: '%.*s%s' is not an unsigned decimal number",
				    key, SHOWN(n), p, ELLIPSIS(n));
		d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return fail(c, "field %s: number %.*s%s does not fit in 64 bits",
				    key, SHOWN(n), p, ELLIPSIS(n));
		v = v * 10 + d;
	}
	if (n > 1 && p[0] == '0')
		return fail(c, "field %s: number '%.*s%s' has a leading zero",
			    key, SHOWN(n), p, ELLIPSIS(n));
	*out = v;
	return 0;
}

/* "0x" and MIN..MAX lowercase hex digits. */
static int parse_hex(struct ctx *c, const char *key, const char *p, size_t n,
		     size_t min, size_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n < 2 + min || n > 2 + max || p[0] != '0' || p[1] != 'x')
		goto bad;
	for (i = 2; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			v = v * 16 + (uint64_t)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			v = v * 16 + (uint64_t)(p[i] - 'a' + 10);
		else
			goto bad;
	}
	*out = v;
	return 0;
bad:
	if (min == max)
		return fail(c, "field %s: '%.*s%s' is not 0x and %zu lowercase hex digits",
			    key, SHOWN(n), p, ELLIPSIS(n), min);
	return fail(c, "field %s: '%.*s%s' is not 0x and %zu to %zu lowercase hex digits",
		    key, SHOWN(n), p, ELLIPSIS(n), min, max);
}

/* Fixed point with exactly three decimals, kept in thousandths. */
static int parse_frac(struct ctx *c, const char *key, const char *p, size_t n, uint64_t *out)
{
	uint64_t ip, fp;

	if (n < 5 || p[n - 4] != '.')
		return fail(c, "field %s: '%.*s%s' is not a number with three decimals",
			    key, SHOWN(n), p, ELLIPSIS(n));
	if (parse_dec(c, key, p, n - 4, &ip))
		return -1;
	if (p[n - 3] < '0' || p[n - 3] > '9' || p[n - 2] < '0' || p[n - 2] > '9' ||
	    p[n - 1] < '0' || p[n - 1] > '9')
		return fail(c, "field %s: '%.*s%s' is not a number with three decimals",
			    key, SHOWN(n), p, ELLIPSIS(n));
	fp = (uint64_t)(p[n - 3] - '0') * 100 + (uint64_t)(p[n - 2] - '0') * 10 +
	     (uint64_t)(p[n - 1] - '0');
	if (ip > (UINT64_MAX - fp) / 1000)
		return fail(c, "field %s: number %.*s%s does not fit in 64 bits",
			    key, SHOWN(n), p, ELLIPSIS(n));
	*out = ip * 1000 + fp;
	return 0;
}

/* ---- fields ---- */

enum ftype {
	FT_U64,		/* decimal */
	FT_NUM,		/* decimal or "-" */
	FT_HEX32,	/* 0x + 8 hex digits */
	FT_HEX32_NUM,	/* 0x + 8 hex digits or "-" */
	FT_CODE,	/* 0x + 1..8 hex digits */
	FT_FRAC_NUM,	/* n.nnn or "-" */
	FT_STR,		/* bare word or quoted string */
	FT_STR_DASH,	/* same, bare "-" gives NULL */
};

struct fspec {
	const char *key;
	enum ftype type;
	size_t off;
	bool group;	/* starts a group added within format 1: may be absent */
};

static int convert(struct ctx *c, const struct fspec *f, const char *p, size_t n,
		   bool quoted, void *base)
{
	void *dst = (char *)base + f->off;
	bool dash = !quoted && n == 1 && p[0] == '-';

	if (quoted && f->type != FT_STR && f->type != FT_STR_DASH)
		return fail(c, "field %s: a number must not be quoted", f->key);
	switch (f->type) {
	case FT_U64:
		return parse_dec(c, f->key, p, n, dst);
	case FT_NUM:
		((struct pl_num *)dst)->set = !dash;
		return dash ? 0 : parse_dec(c, f->key, p, n, &((struct pl_num *)dst)->v);
	case FT_HEX32:
		return parse_hex(c, f->key, p, n, 8, 8, dst);
	case FT_HEX32_NUM:
		((struct pl_num *)dst)->set = !dash;
		return dash ? 0 : parse_hex(c, f->key, p, n, 8, 8, &((struct pl_num *)dst)->v);
	case FT_CODE:
		return parse_hex(c, f->key, p, n, 1, 8, dst);
	case FT_FRAC_NUM:
		((struct pl_num *)dst)->set = !dash;
		return dash ? 0 : parse_frac(c, f->key, p, n, &((struct pl_num *)dst)->v);
	case FT_STR:
		*(char **)dst = xstrndup(p, n);
		return 0;
	case FT_STR_DASH:
		*(char **)dst = dash ? NULL : xstrndup(p, n);
		return 0;
	}
	return fail(c, "internal error: field type");
}

static bool key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || ch == '_';
}

/*
 * P..END is what follows the tag. Fields in exactly the order of SPEC. The
 * fields from NREQ on were added within format 1: a record may end before
 * them (an older probe's log), but they come all together or not at all.
 */
static int parse_fields_n(struct ctx *c, const char *tag, const char *p, const char *end,
			  const struct fspec *spec, size_t nspec, size_t nreq, void *base,
			  size_t *nparsed)
{
	size_t i, j;

	*nparsed = nspec;
	for (i = 0; i < nspec; i++) {
		const char *key, *val;
		size_t klen, vlen;
		bool quoted = false;

		if (p == end && (i == nreq || spec[i].group)) {
			*nparsed = i;
			return 0;
		}
		if (p == end)
			return fail(c, "%s record: missing field %s", tag, spec[i].key);
		if (*p != ' ')
			return fail(c, "%s record: expected a space before field %s", tag, spec[i].key);
		p++;
		key = p;
		while (p < end && key_char(*p))
			p++;
		klen = (size_t)(p - key);
		if (klen == 0 || p == end || *p != '=') {
			size_t n = (size_t)(end - key);

			return fail(c, "%s record: expected field %s=, found '%.*s%s'", tag,
				    spec[i].key, SHOWN(n), key, ELLIPSIS(n));
		}
		if (!eq(key, klen, spec[i].key)) {
			for (j = 0; j < nspec; j++)
				if (eq(key, klen, spec[j].key))
					return j > i ?
					       fail(c, "%s record: missing field %s (found %s)",
						    tag, spec[i].key, spec[j].key) :
					       fail(c, "%s record: field %s out of order or repeated (expected %s)",
						    tag, spec[j].key, spec[i].key);
			return fail(c, "%s record: unknown field '%.*s%s' (expected %s)", tag,
				    SHOWN(klen), key, ELLIPSIS(klen), spec[i].key);
		}
		p++;	/* '=' */
		if (p < end && *p == '"') {
			const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));

			if (!q)
				return fail(c, "%s record: field %s: unterminated quoted value",
					    tag, spec[i].key);
			val = p + 1;
			vlen = (size_t)(q - val);
			quoted = true;
			p = q + 1;
			if (p < end && *p != ' ')
				return fail(c, "%s record: field %s: characters after the closing quote",
					    tag, spec[i].key);
		} else {
			val = p;
			while (p < end && *p != ' ') {
				if (*p == '"')
					return fail(c, "%s record: field %s: '\"' inside a bare value",
						    tag, spec[i].key);
				p++;
			}
			vlen = (size_t)(p - val);
			if (vlen == 0)
				return fail(c, "%s record: field %s has an empty value",
					    tag, spec[i].key);
		}
		if (convert(c, &spec[i], val, vlen, quoted, base))
			return -1;
	}
	if (p != end) {
		size_t n = (size_t)(end - p);

		if (n == 1 && *p == ' ')
			return fail(c, "%s record: trailing space", tag);
		return fail(c, "%s record: unexpected text after the last field: '%.*s%s'",
			    tag, SHOWN(n), p, ELLIPSIS(n));
	}
	return 0;
}

static int parse_fields_opt(struct ctx *c, const char *tag, const char *p, const char *end,
			    const struct fspec *spec, size_t nspec, size_t nreq, void *base)
{
	size_t n;

	return parse_fields_n(c, tag, p, end, spec, nspec, nreq, base, &n);
}

static int parse_fields(struct ctx *c, const char *tag, const char *p, const char *end,
			const struct fspec *spec, size_t nspec, void *base)
{
	return parse_fields_opt(c, tag, p, end, spec, nspec, nspec, base);
}

#define F(st, key, type) { #key, type, offsetof(struct st, key), false }
#define FL(key, type, member) { #key, type, offsetof(struct pl_log, member), false }
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct fspec begin_spec[] = {
	FL(format, FT_U64, format), FL(probe, FT_STR, probe),
};
static const struct fspec cpu_spec[] = {
	FL(vendor, FT_STR, vendor), FL(family, FT_HEX32, family),
	FL(model, FT_HEX32, model), FL(stepping, FT_HEX32, stepping),
	FL(brand, FT_STR_DASH, brand),
};
static const struct fspec hv_spec[] = {
	FL(signature, FT_STR, hv_signature), FL(max_leaf, FT_HEX32_NUM, hv_max_leaf),
};
static const struct fspec host_spec[] = {
	FL(counting, FT_STR, counting_word), FL(detail, FT_STR, host_detail),
	/* added within format 1 (docs/serial-log.md): optional, both or none */
	FL(paging, FT_STR, paging_word), FL(paging_detail, FT_STR, paging_detail),
	/* added within format 1 (probe 0.4): optional, all three or none */
	{ "abi", FT_STR, offsetof(struct pl_log, abi_word), true },
	FL(scope, FT_STR, scope_word), FL(exit_stats, FT_STR, exit_stats_word),
	/* format 2: the host settings observed before measuring */
	{ "hlt_exits", FT_STR, offsetof(struct pl_log, hlt_exits_word), true },
	FL(mwait_exits, FT_STR, mwait_exits_word), FL(pause_exits, FT_STR, pause_exits_word),
	FL(pmu, FT_STR, pmu_word), FL(nested, FT_STR, nested_word),
	FL(max_reason, FT_NUM, max_reason),
	/* format 2: the host's APIC virtualization (issue 10); optional so
	 * that logs of the first format 2 probes still read */
	{ "apic", FT_STR, offsetof(struct pl_log, apic_word), true },
	/* format 2: UMIP emulated or not (issue 10); optional like apic */
	{ "umip_exits", FT_STR, offsetof(struct pl_log, umip_exits_word), true },
	FL(rdrand_exits, FT_STR, rdrand_exits_word), FL(rdseed_exits, FT_STR, rdseed_exits_word),
};
#define HOST_REQUIRED	2	/* counting, detail */
static const struct fspec config_spec[] = {
	FL(iters, FT_U64, iters), FL(samples, FT_U64, samples),
	/* format 2 */
	{ "budget", FT_U64, offsetof(struct pl_log, budget), true },
};
static const struct fspec cal_spec[] = {
	FL(query_exits, FT_NUM, cal_query_exits),
	FL(query_cycles, FT_NUM, cal_query_cycles),
	FL(guest_cycles, FT_NUM, cal_guest_cycles),
	/* format 2 */
	{ "tsc_hz", FT_NUM, offsetof(struct pl_log, tsc_hz), true },
	FL(tsc_source, FT_STR, tsc_source),
};
static const size_t header_required[] = { 5, 2, HOST_REQUIRED, 2, 3 };
static const struct fspec coverage_spec[] = {
	FL(reasons, FT_U64, coverage_reasons), FL(list, FT_STR, coverage_list),
};
static const struct fspec scen_spec[] = {
	F(pl_scenario, id, FT_STR), F(pl_scenario, reason, FT_U64),
	F(pl_scenario, name, FT_STR), F(pl_scenario, insn, FT_STR),
	F(pl_scenario, iters, FT_U64), F(pl_scenario, expect, FT_STR),
	F(pl_scenario, exits, FT_NUM), F(pl_scenario, per_iter, FT_FRAC_NUM),
	F(pl_scenario, other, FT_NUM), F(pl_scenario, host_cycles, FT_NUM),
	F(pl_scenario, guest_cycles, FT_NUM),
	/* added within format 1 (docs/serial-log.md): optional */
	F(pl_scenario, async, FT_NUM),
	/* added within format 1 (probe 0.4): optional, volatile */
	{ "retries", FT_NUM, offsetof(struct pl_scenario, retries), true },
	/* format 2 */
	{ "min", FT_NUM, offsetof(struct pl_scenario, min), true },
	F(pl_scenario, max, FT_NUM), F(pl_scenario, clean, FT_NUM),
};
#define SCEN_REQUIRED	11	/* id .. guest_cycles */
static const struct fspec sweep_spec[] = {
	F(pl_sweep, reason, FT_U64), F(pl_sweep, name, FT_STR),
	{ "class", FT_STR, offsetof(struct pl_sweep, class_word), false },
	F(pl_sweep, count, FT_NUM), F(pl_sweep, cycles, FT_NUM),
	F(pl_sweep, abs_count, FT_NUM), F(pl_sweep, abs_cycles, FT_NUM),
	F(pl_sweep, edx, FT_HEX32_NUM),
	/* format 2 */
	{ "own", FT_NUM, offsetof(struct pl_sweep, own), true },
};
#define SWEEP_REQUIRED	8	/* reason .. edx */
static const struct fspec end_spec[] = {
	FL(result, FT_STR, result_word), FL(exit_code, FT_CODE, exit_code),
};

/* Every record's field keys, from the same tables the parser reads them by. */
static const struct {
	const char *tag;
	const struct fspec *spec;
	size_t n;
} field_tables[] = {
	{ "exitprobe-begin", begin_spec, N(begin_spec) },
	{ "cpu", cpu_spec, N(cpu_spec) },
	{ "hypervisor", hv_spec, N(hv_spec) },
	{ "host", host_spec, N(host_spec) },
	{ "config", config_spec, N(config_spec) },
	{ "calibration", cal_spec, N(cal_spec) },
	{ "scenario", scen_spec, N(scen_spec) },
	{ "sweep", sweep_spec, N(sweep_spec) },
	{ "coverage", coverage_spec, N(coverage_spec) },
	{ "exitprobe-end", end_spec, N(end_spec) },
};

bool pl_known_field(const char *tag, const char *key)
{
	size_t i, j;

	for (i = 0; i < N(field_tables); i++) {
		if (tag && strcmp(tag, field_tables[i].tag))
			continue;
		for (j = 0; j < field_tables[i].n; j++)
			if (!strcmp(key, field_tables[i].spec[j].key))
				return true;
	}
	return false;
}

bool pl_known_record(const char *tag)
{
	size_t i;

	for (i = 0; i < N(field_tables); i++)
		if (!strcmp(tag, field_tables[i].tag))
			return true;
	return false;
}

/* ---- records ---- */

static bool check_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-';
}

static bool valid_check_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!check_name_char(*s))
			return false;
	return true;
}

/*
 * The words of the enumerated fields, each list in the order of its enum
 * (paging: from PL_PAGING_EPT on), so a word's index is its value.
 */
static const char *const counting_words[] = { "patched", "unpatched", "none", NULL };
static const char *const paging_words[] = { "ept", "shadow", "unknown", "-", NULL };
static const char *const class_words[] = { "sync", "async", "undefined", NULL };
static const char *const result_words[] = { "pass", "fail", "skip", NULL };
/* Index of @word in the NULL-terminated @words, -1 if it is not there. */
static int word_index(const char *word, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (!strcmp(word, words[i]))
			return i;
	return -1;
}

static const char *const scope_words[] = { "vm", "host", "-", NULL };
static const char *const exit_stats_words[] = { "on", "off", "-", NULL };
static const char *const apic_words[] = { "flexpriority", "apicv", "emulated", "unknown", "-", NULL };

/* host: abi, scope, exit_stats (docs/serial-log.md): '-' exactly when not
 * patched; scope only from an ABI version 2 host. */
static int host_abi_fields(struct ctx *c, struct pl_log *l)
{
	bool patched = l->counting == PL_COUNTING_PATCHED;
	int scope = word_index(l->scope_word, scope_words);
	int stats = word_index(l->exit_stats_word, exit_stats_words);
	bool abi_dash = !strcmp(l->abi_word, "-");
	uint64_t abi = 0;

	if (!abi_dash && parse_dec(c, "abi", l->abi_word, strlen(l->abi_word), &abi))
		return -1;
	if (!abi_dash && !abi)
		return fail(c, "host: record: abi=0 is not an ABI version");
	if (scope < 0 || stats < 0)
		return fail(c, "host: record: scope=%.*s%s exit_stats=%.*s%s: scope is vm, host or -, exit_stats on, off or -",
			    SHOWN(strlen(l->scope_word)), l->scope_word,
			    ELLIPSIS(strlen(l->scope_word)),
			    SHOWN(strlen(l->exit_stats_word)), l->exit_stats_word,
			    ELLIPSIS(strlen(l->exit_stats_word)));
	if (abi_dash == patched || (stats == 2) == patched)
		return fail(c, "host: record: abi=%s exit_stats=%s with counting=%s (- exactly when not patched)",
			    l->abi_word, l->exit_stats_word, l->counting_word);
	if ((scope == 2) != (abi < 2))
		return fail(c, "host: record: scope=%s with abi=%s (a scope exactly from ABI version 2 on)",
			    l->scope_word, l->abi_word);
	l->counting_off = stats == 1;
	return 0;
}

static const char *const gate_words[] = { "yes", "no", "-", NULL };

/* "none" or "vN:M" (CPUID.0AH: PMU version N >= 1, M counters). */
static bool pmu_word_valid(const char *w)
{
	const char *p = w;

	if (!strcmp(w, "none"))
		return true;
	if (*p++ != 'v' || *p < '1' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != ':' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return !*p;
}

/*
 * host: settings (format 2): each exit gate is observed through the
 * counters, so it is '-' when they do not move, and otherwise yes or no
 * (or '-' if the observation could not run, e.g. HLT without a timer);
 * max_reason comes from the identification leaf (abi 2 or later).
 */
static int host_settings_fields(struct ctx *c, struct pl_log *l)
{
	const char *const *g[] = {
		(const char *const *)&l->hlt_exits_word,
		(const char *const *)&l->mwait_exits_word,
		(const char *const *)&l->pause_exits_word,
	};
	bool counting = l->counting == PL_COUNTING_PATCHED && !l->counting_off;
	size_t i;

	for (i = 0; i < N(g); i++) {
		int k = word_index(*g[i], gate_words);

		if (k < 0 || (!counting && k != 2))
			return fail(c, "host: record: %s=%.*s%s: yes, no or -, and - without counting",
				    host_spec[HOST_REQUIRED + 5 + i].key, SHOWN(strlen(*g[i])),
				    *g[i], ELLIPSIS(strlen(*g[i])));
	}
	if (!pmu_word_valid(l->pmu_word))
		return fail(c, "host: record: pmu=%.*s%s is not none or vN:M",
			    SHOWN(strlen(l->pmu_word)), l->pmu_word, ELLIPSIS(strlen(l->pmu_word)));
	if (strcmp(l->nested_word, "vmx") && strcmp(l->nested_word, "none"))
		return fail(c, "host: record: nested=%.*s%s is not vmx or none",
			    SHOWN(strlen(l->nested_word)), l->nested_word,
			    ELLIPSIS(strlen(l->nested_word)));
	if (l->max_reason.set != (l->abi_word && strcmp(l->abi_word, "-") &&
				  strcmp(l->abi_word, "1")))
		return fail(c, "host: record: max_reason is measured exactly when abi is 2 or later");
	return 0;
}

/* host: umip_exits, rdrand_exits, rdseed_exits (format 2, issue 10): gates
 * like hlt_exits, observed only while counting. */
static int late_gate_fields(struct ctx *c, struct pl_log *l)
{
	const char *const names[] = { "umip_exits", "rdrand_exits", "rdseed_exits" };
	const char *const words[] = { l->umip_exits_word, l->rdrand_exits_word,
				      l->rdseed_exits_word };
	bool counting = l->counting == PL_COUNTING_PATCHED && !l->counting_off;
	size_t i;

	for (i = 0; i < N(words); i++) {
		int k = words[i] ? word_index(words[i], gate_words) : -1;

		if (k < 0 || (!counting && k != 2))
			return fail(c, "host: record: %s=%.*s%s: yes, no or -, and - without counting",
				    names[i], SHOWN(words[i] ? strlen(words[i]) : 0),
				    words[i] ? words[i] : "", ELLIPSIS(words[i] ? strlen(words[i]) : 0));
	}
	return 0;
}

static const char *const tsc_source_words[] = { "cpuid15", "hv_leaf", "cpuid16", "pit", "-", NULL };

/* calibration: tsc_hz, tsc_source (format 2): '-' together. */
static int tsc_source_field(struct ctx *c, struct pl_log *l)
{
	int k = word_index(l->tsc_source, tsc_source_words);

	if (k < 0)
		return fail(c, "calibration: record: tsc_source=%.*s%s is not cpuid15, hv_leaf, cpuid16, pit or -",
			    SHOWN(strlen(l->tsc_source)), l->tsc_source,
			    ELLIPSIS(strlen(l->tsc_source)));
	if ((k == 4) == (l->tsc_hz.set && l->tsc_hz.v))
		return fail(c, "calibration: record: tsc_hz=- exactly with tsc_source=-, and never 0");
	return 0;
}

static int rec_begin(struct ctx *c, const char *p, const char *end)
{
	/* A future format may change every other field: judge the version first. */
	if (end - p > 8 && memcmp(p, " format=", 8) == 0) {
		const char *v = p + 8, *q = v;
		uint64_t fmt;

		while (q < end && *q != ' ')
			q++;
		if (parse_dec(c, "format", v, (size_t)(q - v), &fmt))
			return -1;
		if (fmt < PL_FORMAT_MIN || fmt > PL_FORMAT)
			return fail(c, "unsupported log format version %llu (probe-log reads versions %d to %d)",
				    (unsigned long long)fmt, PL_FORMAT_MIN, PL_FORMAT);
	}
	return parse_fields(c, "exitprobe-begin", p, end, begin_spec, N(begin_spec), c->log);
}

static int rec_header(struct ctx *c, int which, const char *p, const char *end)
{
	struct pl_log *l = c->log;
	int k;
	static const struct fspec *const specs[] = {
		cpu_spec, hv_spec, host_spec, config_spec, cal_spec,
	};
	static const size_t nspecs[] = {
		N(cpu_spec), N(hv_spec), N(host_spec), N(config_spec), N(cal_spec),
	};

	if ((int)c->phase != which) {
		if ((int)c->phase < which)
			return fail(c, "expected %s record, found %s", header_tags[c->phase],
				    header_tags[which]);
		if (l->header_line[which])
			return fail(c, "second %s record (the first is at line %u)",
				    header_tags[which], l->header_line[which]);
		return fail(c, "%s record out of order", header_tags[which]);
	}
	/* Format 1 stops at its required fields or any group added within it;
	 * format 2 has every field. */
	if (parse_fields_opt(c, header_tags[which], p, end, specs[which], nspecs[which],
			     l->format >= 2 ? nspecs[which] : header_required[which], l))
		return -1;
	if (l->format >= 2 && which == PH_HOST && !l->hlt_exits_word)
		return fail(c, "host: record: format 2 has every field through max_reason");
	l->header_line[which] = c->line;
	c->phase++;

	switch (which) {
	case PH_CPU:
		if (!*l->vendor)
			return fail(c, "cpu: record: empty vendor");
		break;
	case PH_HOST:
		k = word_index(l->counting_word, counting_words);
		if (k < 0)
			return fail(c, "host: record: counting=%.*s%s is not patched, unpatched or none",
				    SHOWN(strlen(l->counting_word)), l->counting_word,
				    ELLIPSIS(strlen(l->counting_word)));
		l->counting = (enum pl_counting)k;
		k = l->paging_word ? word_index(l->paging_word, paging_words) : 0;
		if (k < 0)
			return fail(c, "host: record: paging=%.*s%s is not ept, shadow, unknown or -",
				    SHOWN(strlen(l->paging_word)), l->paging_word,
				    ELLIPSIS(strlen(l->paging_word)));
		/* Absent (older logs) is 0, the words follow it in enum order. */
		l->paging = l->paging_word ? (enum pl_paging)(PL_PAGING_EPT + k)
					   : PL_PAGING_ABSENT;
		if (l->abi_word && host_abi_fields(c, l))
			return -1;
		if (l->hlt_exits_word && host_settings_fields(c, l))
			return -1;
		if (l->umip_exits_word && late_gate_fields(c, l))
			return -1;
		if (l->apic_word && word_index(l->apic_word, apic_words) < 0)
			return fail(c, "host: record: apic=%.*s%s is not flexpriority, apicv, emulated, unknown or -",
				    SHOWN(strlen(l->apic_word)), l->apic_word,
				    ELLIPSIS(strlen(l->apic_word)));
		/* Observed through the counters, like paging. */
		if (l->apic_word && !strcmp(l->apic_word, "-") !=
		    (l->counting != PL_COUNTING_PATCHED || l->counting_off))
			return fail(c, "host: record: apic=%s with counting=%s%s (apic=- exactly when not patched or exit_stats=off)",
				    l->apic_word, l->counting_word,
				    l->counting_off ? " exit_stats=off" : "");
		/* The mode is observed through the counters: only when they move. */
		if (l->paging_word && (l->paging == PL_PAGING_NA) !=
		    (l->counting != PL_COUNTING_PATCHED || l->counting_off))
			return fail(c, "host: record: paging=%s with counting=%s%s (paging=- exactly when not patched or exit_stats=off)",
				    l->paging_word, l->counting_word,
				    l->counting_off ? " exit_stats=off" : "");
		break;
	case PH_CONFIG:
		if (!l->iters || !l->samples)
			return fail(c, "config: record: iters and samples must be at least 1");
		if (l->format >= 2 && !l->budget)
			return fail(c, "config: record: budget must be at least 1 (seconds)");
		break;
	case PH_CALIBRATION:
		if ((l->counting != PL_COUNTING_PATCHED || l->counting_off) &&
		    (l->cal_query_exits.set || l->cal_query_cycles.set))
			return fail(c, "calibration: record: query_exits/query_cycles measured without a patched host (counting=%s)",
				    l->counting_word);
		if (l->format >= 2 && !l->tsc_source)
			return fail(c, "calibration: record: format 2 has tsc_hz and tsc_source");
		if (l->tsc_source && tsc_source_field(c, l))
			return -1;
		break;
	}
	return 0;
}

static int parse_expect(struct ctx *c, struct pl_scenario *s)
{
	static const struct { const char *word; enum pl_expect kind; } kinds[] = {
		{ "exact:", PL_EXPECT_EXACT },
		{ "atleast:", PL_EXPECT_ATLEAST },
		{ "atmost:", PL_EXPECT_ATMOST },
	};
	size_t i;

	if (!strcmp(s->expect, "none")) {
		s->expect_kind = PL_EXPECT_NONE;
		return 0;
	}
	for (i = 0; i < N(kinds); i++) {
		size_t k = strlen(kinds[i].word);

		if (!strncmp(s->expect, kinds[i].word, k)) {
			s->expect_kind = kinds[i].kind;
			return parse_dec(c, "expect", s->expect + k, strlen(s->expect + k),
					 &s->expect_n);
		}
	}
	return fail(c, "scenario: record: expect=%.*s%s is not exact:N, atleast:N, atmost:N or none",
		    SHOWN(strlen(s->expect)), s->expect, ELLIPSIS(strlen(s->expect)));
}

static int rec_scenario(struct ctx *c, const char *p, const char *end)
{
	struct pl_log *l = c->log;
	const struct pl_sdm_reason *r;
	struct pl_scenario *s;
	size_t i, nf;

	if (c->phase < PH_BODY)
		return fail(c, "expected %s record, found scenario:", header_tags[c->phase]);
	if (c->phase == PH_SWEEP)
		return fail(c, "scenario: record after the sweep (which starts at line %u)",
			    c->sweep_line);
	if (l->nscen == PL_MAX_SCENARIOS)
		return fail(c, "more than %u scenario: records", PL_MAX_SCENARIOS);
	l->scen = grow(l->scen, &l->scen_cap, l->nscen, sizeof(*l->scen));
	s = &l->scen[l->nscen++];
	s->line = c->line;
	if (parse_fields_n(c, "scenario:", p, end, scen_spec, N(scen_spec), SCEN_REQUIRED, s,
			   &nf))
		return -1;
	s->has_async = nf > SCEN_REQUIRED;
	s->has_retries = nf > SCEN_REQUIRED + 1;
	s->has_range = nf > SCEN_REQUIRED + 2;
	if (l->format >= 2 && !s->has_range)
		return fail(c, "scenario: record: format 2 has every field through clean");
	if (!valid_check_name(s->id))
		return fail(c, "scenario: record: id '%.*s%s' is not a check name [a-z0-9_.-]+",
			    SHOWN(strlen(s->id)), s->id, ELLIPSIS(strlen(s->id)));
	for (i = 0; i + 1 < l->nscen; i++)
		if (!strcmp(l->scen[i].id, s->id))
			return fail(c, "scenario: record: id %s repeats line %u", s->id,
				    l->scen[i].line);
	r = pl_sdm_lookup(s->reason);
	if (!r)
		return fail(c, "scenario %s: reason %llu is not an SDM exit reason", s->id,
			    (unsigned long long)s->reason);
	if (strcmp(r->ident, s->name))
		return fail(c, "scenario %s: reason %llu is %s in the SDM table, not %.*s%s",
			    s->id, (unsigned long long)s->reason, r->ident,
			    SHOWN(strlen(s->name)), s->name, ELLIPSIS(strlen(s->name)));
	if (!s->iters)
		return fail(c, "scenario %s: iters must be at least 1", s->id);
	if (parse_expect(c, s))
		return -1;
	if ((l->counting != PL_COUNTING_PATCHED || l->counting_off) &&
	    (s->exits.set || s->per_iter.set || s->other.set || s->host_cycles.set ||
	     s->async.set || s->retries.set))
		return fail(c, "scenario %s: exits/per_iter/other/host_cycles/async measured without a patched host (counting=%s%s)",
			    s->id, l->counting_word, l->counting_off ? " exit_stats=off" : "");
	/* Snapshots taken (retries) may all be inconsistent: then no count. */
	if (s->has_retries && s->other.set && !s->retries.set)
		return fail(c, "scenario %s: counts measured but retries is '-'", s->id);
	if (s->has_async && s->async.set != s->other.set)
		return fail(c, "scenario %s: other and async must both be measured or both be '-'",
			    s->id);
	if (s->exits.set != s->per_iter.set)
		return fail(c, "scenario %s: exits and per_iter must both be measured or both be '-'",
			    s->id);
	/* The median lies in the range of the samples it is the median of. */
	if (s->has_range && (s->min.set != s->exits.set || s->max.set != s->exits.set))
		return fail(c, "scenario %s: min and max are measured exactly when exits is", s->id);
	if (s->has_range && s->exits.set &&
	    (s->min.v > s->exits.v || s->exits.v > s->max.v))
		return fail(c, "scenario %s: exits=%llu outside min..max (%llu..%llu)", s->id,
			    (unsigned long long)s->exits.v, (unsigned long long)s->min.v,
			    (unsigned long long)s->max.v);
	if (s->has_range && s->clean.set && s->clean.v > l->samples)
		return fail(c, "scenario %s: clean=%llu is more than samples=%llu", s->id,
			    (unsigned long long)s->clean.v, (unsigned long long)l->samples);
	if (s->exits.set) {
		/* per_iter = exits / iters, rounded or truncated to 1/1000. */
		unsigned __int128 want = (unsigned __int128)s->exits.v * 1000;
		unsigned __int128 got = (unsigned __int128)s->per_iter.v * s->iters;
		unsigned __int128 d = want > got ? want - got : got - want;

		if (d >= s->iters)
			return fail(c, "scenario %s: per_iter is not exits/iters (%llu/%llu)",
				    s->id, (unsigned long long)s->exits.v,
				    (unsigned long long)s->iters);
	}
	/*
	 * No rule ties host_cycles to exits: it is a median over the samples
	 * that had exits, so a median of 0 exits may come with host_cycles.
	 */
	return 0;
}

static int rec_check(struct ctx *c, enum pl_result res, const char *p, const char *end)
{
	struct pl_log *l = c->log;
	struct pl_check *k;
	const char *name = p + 1, *q;

	if (c->phase == PH_END)
		return fail(c, "%s line after SUMMARY:", pl_result_word(res));
	if (p == end || *p != ' ')
		return fail(c, "%s: line: expected one space after the tag", pl_result_word(res));
	for (q = name; q < end && check_name_char(*q); q++)
		;
	if (q == name || end - q < 2 || q[0] != ':' || q[1] != ' ')
		return fail(c, "%s: line: expected a check name [a-z0-9_.-]+ followed by ': '",
			    pl_result_word(res));
	if (l->nchecks == PL_MAX_CHECKS)
		return fail(c, "more than %u check lines", PL_MAX_CHECKS);
	l->checks = grow(l->checks, &l->checks_cap, l->nchecks, sizeof(*l->checks));
	k = &l->checks[l->nchecks++];
	k->line = c->line;
	k->result = res;
	k->name = xstrndup(name, (size_t)(q - name));
	k->text = xstrndup(q + 2, (size_t)(end - q - 2));
	return 0;
}

static int rec_sweep(struct ctx *c, const char *p, const char *end)
{
	struct pl_log *l = c->log;
	const struct pl_sdm_reason *r;
	struct pl_sweep *w;
	int k;
	size_t nf;

	if (c->phase < PH_BODY)
		return fail(c, "expected %s record, found sweep:", header_tags[c->phase]);
	if (l->coverage_line)
		return fail(c, "sweep: record after the coverage: record (line %u)", l->coverage_line);
	if (c->phase == PH_BODY) {
		c->phase = PH_SWEEP;
		c->sweep_line = c->line;
	}
	if (l->nsweep == SDM_EXIT_REASON_MAX + 1 + PL_MAX_EXTRA_SWEEP)
		return fail(c, "more than %u sweep: records past reason %d",
			    PL_MAX_EXTRA_SWEEP, SDM_EXIT_REASON_MAX);
	l->sweep = grow(l->sweep, &l->sweep_cap, l->nsweep, sizeof(*l->sweep));
	w = &l->sweep[l->nsweep++];
	w->line = c->line;
	if (parse_fields_n(c, "sweep:", p, end, sweep_spec, N(sweep_spec), SWEEP_REQUIRED, w,
			   &nf))
		return -1;
	w->has_own = nf > SWEEP_REQUIRED;
	if (l->format >= 2 && !w->has_own)
		return fail(c, "sweep: record: format 2 has the own field");
	if (w->has_own && w->own.set != w->count.set)
		return fail(c, "sweep %llu: own is measured exactly when count is",
			    (unsigned long long)w->reason);
	k = word_index(w->class_word, class_words);
	if (k < 0)
		return fail(c, "sweep %llu: class=%.*s%s is not sync, async or undefined",
			    (unsigned long long)w->reason, SHOWN(strlen(w->class_word)),
			    w->class_word, ELLIPSIS(strlen(w->class_word)));
	w->cls = (enum pl_class)k;

	/* Where this record belongs: 0..MAX in order, then undefined extras. */
	if (l->nsweep - 1 <= SDM_EXIT_REASON_MAX) {
		if (w->reason != l->nsweep - 1)
			return fail(c, "sweep: reason %llu where reason %zu was expected (0..%d in order)",
				    (unsigned long long)w->reason, l->nsweep - 1,
				    SDM_EXIT_REASON_MAX);
	} else {
		size_t i;

		if (w->reason <= SDM_EXIT_REASON_MAX)
			return fail(c, "sweep: reason %llu after the 0..%d sweep (extra probes must be above %d)",
				    (unsigned long long)w->reason, SDM_EXIT_REASON_MAX,
				    SDM_EXIT_REASON_MAX);
		if (w->reason > UINT32_MAX)
			return fail(c, "sweep: reason %llu does not fit in ecx (32 bits)",
				    (unsigned long long)w->reason);
		for (i = SDM_EXIT_REASON_MAX + 1; i + 1 < l->nsweep; i++)
			if (l->sweep[i].reason == w->reason)
				return fail(c, "sweep: reason %llu repeats line %u",
					    (unsigned long long)w->reason, l->sweep[i].line);
	}

	r = pl_sdm_lookup(w->reason);
	if (r) {
		if (strcmp(r->ident, w->name))
			return fail(c, "sweep %llu: the SDM name is %s, not %.*s%s",
				    (unsigned long long)w->reason, r->ident,
				    SHOWN(strlen(w->name)), w->name, ELLIPSIS(strlen(w->name)));
		if (w->cls != (r->async ? PL_CLASS_ASYNC : PL_CLASS_SYNC))
			return fail(c, "sweep %llu %s: class=%s but the SDM table says %s",
				    (unsigned long long)w->reason, r->ident, w->class_word,
				    r->async ? "async" : "sync");
		if ((l->counting == PL_COUNTING_PATCHED) != w->count.set ||
		    (l->counting == PL_COUNTING_PATCHED) != w->cycles.set)
			return fail(c, "sweep %llu %s: count and cycles must be %s with counting=%s",
				    (unsigned long long)w->reason, r->ident,
				    l->counting == PL_COUNTING_PATCHED ? "measured" : "'-'",
				    l->counting_word);
	} else {
		if (strcmp(w->name, "-") || w->cls != PL_CLASS_UNDEFINED)
			return fail(c, "sweep %llu: not an SDM exit reason, so name=- class=undefined expected",
				    (unsigned long long)w->reason);
		if (w->count.set || w->cycles.set)
			return fail(c, "sweep %llu: undefined reason must have count=- cycles=-",
				    (unsigned long long)w->reason);
	}
	if (l->counting == PL_COUNTING_PATCHED && !w->edx.set)
		return fail(c, "sweep %llu: edx not measured with counting=patched",
			    (unsigned long long)w->reason);
	return 0;
}

/*
 * coverage: reasons=N list=A,B,... (format 2), after the sweep's records
 * and checks: N distinct SDM reasons in increasing order, or list=- for 0.
 * probe-log verify computes the list again from the scenarios.
 */
static int rec_coverage(struct ctx *c, const char *p, const char *end)
{
	struct pl_log *l = c->log;
	const char *q;
	uint64_t n = 0;
	long prev = -1;

	if (l->format < 2)
		return fail(c, "coverage: record in a format %llu log (it is format 2)",
			    (unsigned long long)l->format);
	if (l->coverage_line)
		return fail(c, "second coverage: record (the first is at line %u)", l->coverage_line);
	if (c->phase != PH_SWEEP)
		return fail(c, "coverage: record before the sweep");
	if (parse_fields(c, "coverage:", p, end, coverage_spec, N(coverage_spec), l))
		return -1;
	l->coverage_line = c->line;
	if (!strcmp(l->coverage_list, "-"))
		goto counted;
	for (q = l->coverage_list; ; q++) {
		const char *v = q;
		uint64_t r;

		while (*q >= '0' && *q <= '9')
			q++;
		if (parse_dec(c, "coverage list", v, (size_t)(q - v), &r))
			return -1;
		if (r > SDM_EXIT_REASON_MAX || !pl_sdm_lookup(r) || (long)r <= prev)
			return fail(c, "coverage: record: list has %llu, not an SDM reason in increasing order",
				    (unsigned long long)r);
		l->covered[r] = true;
		prev = (long)r;
		n++;
		if (!*q)
			break;
		if (*q != ',')
			return fail(c, "coverage: record: list is reasons separated by ',' or -");
	}
counted:
	if (n != l->coverage_reasons)
		return fail(c, "coverage: record: reasons=%llu but the list has %llu",
			    (unsigned long long)l->coverage_reasons, (unsigned long long)n);
	return 0;
}

/* "N passed, N failed, N skipped" */
static int rec_summary(struct ctx *c, const char *p, const char *end)
{
	static const char *const words[] = { " passed,", " failed,", " skipped" };
	struct pl_log *l = c->log;
	uint64_t v[3], have[3] = { 0, 0, 0 };
	size_t i;

	if (c->phase == PH_END)
		return fail(c, "second SUMMARY: line (the first is at line %u)", l->summary_line);
	for (i = 0; i < 3; i++) {
		const char *q;

		if (p == end || *p != ' ')
			goto bad;
		q = ++p;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (parse_dec(c, "SUMMARY", p, (size_t)(q - p), &v[i]))
			return -1;
		p = q;
		if ((size_t)(end - p) < strlen(words[i]) ||
		    memcmp(p, words[i], strlen(words[i])))
			goto bad;
		p += strlen(words[i]);
	}
	if (p != end)
		goto bad;
	for (i = 0; i < l->nchecks; i++)
		have[l->checks[i].result]++;
	if (v[0] != have[PL_PASS] || v[1] != have[PL_FAIL] || v[2] != have[PL_SKIP])
		return fail(c, "SUMMARY: says %llu passed, %llu failed, %llu skipped but the log has %llu PASS:, %llu FAIL:, %llu SKIP: lines",
			    (unsigned long long)v[0], (unsigned long long)v[1],
			    (unsigned long long)v[2], (unsigned long long)have[PL_PASS],
			    (unsigned long long)have[PL_FAIL], (unsigned long long)have[PL_SKIP]);
	l->passed = v[0];
	l->failed = v[1];
	l->skipped = v[2];
	l->summary_line = c->line;
	l->early = c->phase < PH_BODY || l->nsweep < SDM_EXIT_REASON_MAX + 1u;
	if (l->format >= 2 && !l->early && !l->coverage_line)
		return fail(c, "SUMMARY: line without a coverage: record after the sweep (format 2)");
	c->phase = PH_END;
	return 0;
bad:
	return fail(c, "SUMMARY: line is not 'SUMMARY: N passed, N failed, N skipped'");
}

static int rec_end(struct ctx *c, const char *p, const char *end)
{
	struct pl_log *l = c->log;
	enum pl_result want;
	int k;

	if (c->phase != PH_END)
		return fail(c, "exitprobe-end before the SUMMARY: line");
	if (parse_fields(c, "exitprobe-end", p, end, end_spec, N(end_spec), l))
		return -1;
	k = word_index(l->result_word, result_words);
	if (k < 0)
		return fail(c, "exitprobe-end: result=%.*s%s is not pass, fail or skip",
			    SHOWN(strlen(l->result_word)), l->result_word,
			    ELLIPSIS(strlen(l->result_word)));
	l->result = (enum pl_result)k;
	if (l->exit_code != 0x10u + (unsigned)l->result)
		return fail(c, "exitprobe-end: result=%s needs exit_code=0x%x, not 0x%llx",
			    l->result_word, 0x10u + (unsigned)l->result,
			    (unsigned long long)l->exit_code);
	/* Only a failed run may stop early (the probe's panic path). */
	if (l->early && !l->failed) {
		int i;

		c->line = l->summary_line;
		for (i = 0; i < PH_BODY; i++)
			if (!l->header_line[i])
				return fail(c, "SUMMARY: before any %s record: the log stops early, but no check failed",
					    header_tags[i]);
		return fail(c, "the sweep stops before reason %zu (reasons 0..%d expected)",
			    l->nsweep, SDM_EXIT_REASON_MAX);
	}
	want = l->failed ? PL_FAIL :
	       l->counting != PL_COUNTING_PATCHED || l->counting_off ? PL_SKIP : PL_PASS;
	if (l->result != want)
		return fail(c, "exitprobe-end: result=%s contradicts the log (%llu failed, counting=%s: result=%s expected)",
			    l->result_word, (unsigned long long)l->failed,
			    l->counting_word ? l->counting_word : "?",
			    want == PL_PASS ? "pass" : want == PL_FAIL ? "fail" : "skip");
	return 0;
}

/* One line of the log proper, P..END, all printable ASCII. */
static int record(struct ctx *c, const char *p, const char *end, bool *is_end)
{
	const char *t = p;
	size_t n;

	while (t < end && *t != ' ')
		t++;
	n = (size_t)(t - p);
	/* probe-os/report.c marks a line cut at its buffer's end this way. */
	if ((size_t)(end - p) >= 6 && !memcmp(end - 6, " <cut>", 6))
		return fail(c, "the probe cut this line (' <cut>': longer than its line buffer)");
	if (++c->records > PL_MAX_RECORDS)
		return fail(c, "more than %u records: not a probe log", PL_MAX_RECORDS);
	*is_end = false;

	if (eq(p, n, "exitprobe-begin"))
		return fail(c, "second exitprobe-begin inside the log (the first is at line %u)",
			    c->log->begin_line);
	if (eq(p, n, "exitprobe-end")) {
		*is_end = true;
		return rec_end(c, t, end);
	}
	/* The record as written, for reports that show what a check judged. */
	if (eq(p, n, "scenario:")) {
		if (rec_scenario(c, t, end))
			return -1;
		c->log->scen[c->log->nscen - 1].raw = xstrndup(p, (size_t)(end - p));
		return 0;
	}
	if (eq(p, n, "sweep:")) {
		if (rec_sweep(c, t, end))
			return -1;
		c->log->sweep[c->log->nsweep - 1].raw = xstrndup(p, (size_t)(end - p));
		return 0;
	}
	if (eq(p, n, "coverage:"))
		return rec_coverage(c, t, end);
	if (c->log->coverage_line && !eq(p, n, "SUMMARY:"))
		return fail(c, "only SUMMARY: may follow the coverage: record");
	if (eq(p, n, "PASS:"))
		return rec_check(c, PL_PASS, t, end);
	if (eq(p, n, "FAIL:"))
		return rec_check(c, PL_FAIL, t, end);
	if (eq(p, n, "SKIP:"))
		return rec_check(c, PL_SKIP, t, end);
	if (eq(p, n, "SUMMARY:"))
		return rec_summary(c, t, end);
	for (int i = 0; i < (int)N(header_tags); i++)
		if (eq(p, n, header_tags[i]))
			return rec_header(c, i, t, end);
	if (n == 0)
		return fail(c, end == p ? "empty line inside the log" :
			    "line starts with a space inside the log");
	return fail(c, "unknown record '%.*s%s' (noise inside the log? the log runs from exitprobe-begin to exitprobe-end)",
		    SHOWN(n), p, ELLIPSIS(n));
}

/*
 * Offset of the begin record in the line P..P+N, or -1: "exitprobe-begin" as
 * a whole word at the start of the line, or later in it (after a boot
 * loader's escape sequences) when followed by " format=", so that a console
 * line merely mentioning the tag is not taken for the log.
 */
static long find_begin(const char *p, size_t n)
{
	static const char tag[] = "exitprobe-begin", fmt[] = " format=";
	const size_t k = sizeof(tag) - 1, f = sizeof(fmt) - 1;
	size_t i;

	if (n >= k && !memcmp(p, tag, k) && (n == k || p[k] == ' '))
		return 0;
	for (i = 1; i + k + f <= n; i++)
		if (p[i] == 'e' && !memcmp(p + i, tag, k) && !memcmp(p + i + k, fmt, f))
			return (long)i;
	return -1;
}

/*
 * A file's last line may lack its newline (an editor or a capture that stops
 * right after exitprobe-end): when it is a complete record it counts. When it
 * is not, the likeliest story is a log cut in the middle of a line, and the
 * error says so rather than only what is malformed.
 */
static int unterminated_last_line(struct ctx *c)
{
	char why[sizeof(c->err->msg)];

	memcpy(why, c->err->msg, sizeof(why));
	c->err->truncated = true;
	snprintf(c->err->msg, sizeof(c->err->msg),
		 "log truncated: the last line has no line end and is not a complete record (%.200s)",
		 why);
	return -1;
}

int pl_parse(const char *buf, size_t len, struct pl_log *log, struct pl_error *err)
{
	struct ctx c = { .log = log, .err = err };
	enum { BEFORE, INSIDE, AFTER } where = BEFORE;
	size_t pos = 0;

	memset(log, 0, sizeof(*log));
	memset(err, 0, sizeof(*err));
	if (len > PL_MAX_INPUT)
		return fail(&c, "input larger than %u MiB: not a probe log", PL_MAX_INPUT >> 20);

	while (pos < len) {
		const char *p = buf + pos, *nl = memchr(p, '\n', len - pos);
		const char *end = nl ? nl : buf + len, *start = p;
		bool is_end = false;
		long at;

		c.line++;
		pos = nl ? (size_t)(nl - buf) + 1 : len;
		if (end > p && end[-1] == '\r')
			end--;
		if (where != INSIDE) {
			at = find_begin(p, (size_t)(end - p));
			if (at < 0)
				continue;
			if (where == AFTER)
				return fail(&c, "a second log begins here (the first ended at line %u): give one log per file",
					    log->end_line);
			p += at;
			where = INSIDE;
			log->begin_line = c.line;
		}
		if (end - p > PL_MAX_LINE)
			return fail(&c, "line longer than %d bytes", PL_MAX_LINE);
		for (const char *q = p; q < end; q++)
			if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
				return fail(&c, "byte 0x%02x at column %zu is not printable ASCII (binary junk in the log?)",
					    (unsigned char)*q, (size_t)(q - start) + 1);
		if (c.line == log->begin_line) {
			if (rec_begin(&c, p + strlen("exitprobe-begin"), end))
				return nl ? -1 : unterminated_last_line(&c);
			continue;
		}
		if (record(&c, p, end, &is_end))
			return nl ? -1 : unterminated_last_line(&c);
		if (is_end) {
			where = AFTER;
			log->end_line = c.line;
		}
	}
	if (where == BEFORE) {
		unsigned lines = c.line;

		c.line = 0;
		return fail(&c, "no exitprobe-begin line in %u lines of input: not a probe log", lines);
	}
	if (where == INSIDE) {
		err->truncated = true;
		return fail(&c, "log truncated after line %u: no exitprobe-end line", c.line);
	}
	return 0;
}

void pl_free(struct pl_log *l)
{
	size_t i;

	free(l->probe);
	free(l->vendor);
	free(l->brand);
	free(l->hv_signature);
	free(l->counting_word);
	free(l->host_detail);
	free(l->paging_word);
	free(l->paging_detail);
	free(l->abi_word);
	free(l->apic_word);
	free(l->umip_exits_word);
	free(l->rdrand_exits_word);
	free(l->rdseed_exits_word);
	free(l->scope_word);
	free(l->exit_stats_word);
	free(l->hlt_exits_word);
	free(l->mwait_exits_word);
	free(l->pause_exits_word);
	free(l->pmu_word);
	free(l->nested_word);
	free(l->tsc_source);
	free(l->coverage_list);
	free(l->result_word);
	for (i = 0; i < l->nscen; i++) {
		free(l->scen[i].id);
		free(l->scen[i].name);
		free(l->scen[i].insn);
		free(l->scen[i].expect);
		free(l->scen[i].raw);
	}
	free(l->scen);
	for (i = 0; i < l->nchecks; i++) {
		free(l->checks[i].name);
		free(l->checks[i].text);
	}
	free(l->checks);
	for (i = 0; i < l->nsweep; i++) {
		free(l->sweep[i].name);
		free(l->sweep[i].class_word);
		free(l->sweep[i].raw);
	}
	free(l->sweep);
	memset(l, 0, sizeof(*l));
}
