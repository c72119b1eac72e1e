// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the probe's freestanding code: probe-os/fmt.c,
 * cmdline.c, sdm.c and scentab.c are compiled unchanged for the host and
 * compared against libc and against common/sdm-exit-reasons.def.
 * Output: one PASS:/FAIL: line per check; exit status 1 if any failed.
 */
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include "check.h"
#include "../../probe-os/fmt.h"
#include "../../probe-os/cmdline.h"
#include "../../probe-os/sdm.h"
#include "../../probe-os/scenarios.h"
#include "../../probe-os/apic.h"
#include "../../probe-os/loops.h"
#include "../../probe-os/cpu.h"

/* The loops the table points at are stubs (tests/probe/stubs.c). */


static u64 lcg_state = 0x243f6a8885a308d3ull;
static u64 rnd64(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return lcg_state ^ (lcg_state >> 29);
}

static void test_udiv64(void)
{
	static const u64 ns[] = { 0, 1, 9, 10, 0xffffffffull, 0x100000000ull,
				  0xffffffffffffffffull, 1000000000000ull };
	static const u32 ds[] = { 1, 2, 3, 10, 1000, 0x7fffffffu, 0xffffffffu };
	int ok = 1, i, j;

	for (i = 0; i < (int)ARRAY_SIZE(ns); i++)
		for (j = 0; j < (int)ARRAY_SIZE(ds); j++) {
			u32 r;
			u64 q = udiv64(ns[i], ds[j], &r);

			EXPECT(q == ns[i] / ds[j] && r == ns[i] % ds[j],
			       "%" PRIu64 "/%u gave %" PRIu64 " r %u", ns[i], ds[j], q, r);
		}
	for (i = 0; i < 100000; i++) {
		u64 n = rnd64() >> (rnd64() & 63);
		u32 d = (u32)(rnd64() >> (rnd64() & 31)) | 1, r;
		u64 q = udiv64(n, d, &r);

		EXPECT(q == n / d && r == n % d, "%" PRIu64 "/%u gave %" PRIu64, n, d, q);
	}
	result("fmt.udiv64", ok);
}

static void test_u64(void)
{
	static const u64 vs[] = { 0, 1, 9, 10, 99, 100, 4294967295ull,
				  4294967296ull, 18446744073709551615ull };
	struct line l;
	char want[32];
	int ok = 1, i;

	for (i = 0; i < (int)ARRAY_SIZE(vs) + 20000; i++) {
		u64 v = i < (int)ARRAY_SIZE(vs) ? vs[i] : rnd64() >> (rnd64() & 63);

		line_reset(&l);
		line_u64(&l, v);
		snprintf(want, sizeof(want), "%" PRIu64, v);
		EXPECT(!strcmp(line_cstr(&l), want), "%s printed as %s", want, line_cstr(&l));
	}
	result("fmt.decimal", ok);
}

static void test_hex(void)
{
	static const u32 vs[] = { 0, 1, 0xa, 0xdeadbeef, 0xffffffff, 0x80000000 };
	struct line l;
	char want[16];
	int ok = 1, i;

	for (i = 0; i < (int)ARRAY_SIZE(vs); i++) {
		line_reset(&l);
		line_hex32(&l, vs[i]);
		snprintf(want, sizeof(want), "0x%08x", vs[i]);
		EXPECT(!strcmp(line_cstr(&l), want), "%s printed as %s", want, line_cstr(&l));
	}
	result("fmt.hex32", ok);
}

static void test_fixed3(void)
{
	static const struct { u64 n; u32 d; const char *want; } cases[] = {
		{ 1, 1, "1.000" }, { 1, 4, "0.250" }, { 2, 3, "0.667" },
		{ 1, 3, "0.333" }, { 0, 5, "0.000" }, { 200, 200, "1.000" },
		{ 400, 200, "2.000" }, { 1, 2000, "0.001" }, { 1, 2001, "0.000" },
		{ 12345678, 1000, "12345.678" }, { 999999, 1000000, "1.000" },
	};
	struct line l;
	int ok = 1, i;

	for (i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		line_reset(&l);
		line_fixed3(&l, cases[i].n, cases[i].d);
		EXPECT(!strcmp(line_cstr(&l), cases[i].want), "%" PRIu64 "/%u printed as %s, want %s",
		       cases[i].n, cases[i].d, line_cstr(&l), cases[i].want);
	}
	result("fmt.fixed3", ok);
}

static void test_line(void)
{
	struct line l;
	int ok = 1, i;

	line_reset(&l);
	kv_quoted(&l, "brand", "a \"b\"\x01");
	kv_u64_opt(&l, "exits", 0, 5);
	kv_u64_opt(&l, "other", 1, 7);
	EXPECT(!strcmp(line_cstr(&l), " brand=\"a 'b'?\" exits=- other=7"), "got [%s]", line_cstr(&l));
	for (i = 0; i < 2 * LINE_MAX; i++)
		line_char(&l, 'x');
	EXPECT(l.overflow && l.len == LINE_MAX - 1 && strlen(line_cstr(&l)) == LINE_MAX - 1,
	       "overflow not contained: len %u", l.len);
	result("fmt.line", ok);
}

/* line_copy: whole when it fits, cut and NUL-ended when not, never past
 * size (a canary byte after it stays). */
static void test_line_copy(void)
{
	struct line l;
	char buf[8];
	int ok = 1;

	line_reset(&l);
	line_str(&l, "abc");
	memset(buf, '#', sizeof(buf));
	line_copy(&l, buf, sizeof(buf));
	EXPECT(!strcmp(buf, "abc"), "fits: got [%s]", buf);
	line_str(&l, "defghijk");
	memset(buf, '#', sizeof(buf));
	line_copy(&l, buf, 5);
	EXPECT(!strcmp(buf, "abcd") && buf[5] == '#', "cut to 5: got [%s], canary %c", buf, buf[5]);
	memset(buf, '#', sizeof(buf));
	line_copy(&l, buf, 1);
	EXPECT(buf[0] == 0 && buf[1] == '#', "size 1: not just the NUL");
	result("fmt.line-copy", ok);
}

static void test_join64(void)
{
	int ok = 1;

	EXPECT(join64(0, 0) == 0, "0:0");
	EXPECT(join64(1, 2) == 0x100000002ull, "1:2 gave %" PRIx64, join64(1, 2));
	EXPECT(join64(0xffffffff, 0xffffffff) == ~0ull, "max");
	EXPECT(join64(0x80000000, 0) == 0x8000000000000000ull, "high bit");
	EXPECT(join64(0, 0xffffffff) == 0xffffffffull, "low only (no sign extension)");
	result("abi.join64", ok);
}

static char bad_log[256];
static void bad(const char *w, const char *word, u32 len)
{
	size_t o = strlen(bad_log);

	snprintf(bad_log + o, sizeof(bad_log) - o, "[%s %.*s]", w, (int)len, word);
}

static void cmdline_case_b(int *ok, const char *in, u32 iters, u32 samples, u32 budget,
			   const char *bads)
{
	struct config c = { DEFAULT_ITERS, DEFAULT_SAMPLES, DEFAULT_BUDGET };

	bad_log[0] = 0;
	cmdline_parse(in, &c, bad);
	if (c.iters != iters || c.samples != samples || c.budget != budget ||
	    strcmp(bad_log, bads)) {
		if (!why[0])
			snprintf(why, sizeof(why), "\"%s\": iters=%u samples=%u budget=%u rejected=%s",
				 in ? in : "(null)", c.iters, c.samples, c.budget, bad_log);
		*ok = 0;
	}
}

static void cmdline_case(int *ok, const char *in, u32 iters, u32 samples, const char *bads)
{
	cmdline_case_b(ok, in, iters, samples, DEFAULT_BUDGET, bads);
}

static void test_cmdline(void)
{
	int ok = 1;
	u32 I = DEFAULT_ITERS, S = DEFAULT_SAMPLES;

	cmdline_case(&ok, NULL, I, S, "");
	cmdline_case(&ok, "", I, S, "");
	cmdline_case(&ok, "build/probe.elf", I, S, "");
	cmdline_case(&ok, "/boot/probe.elf iters=7 samples=3", 7, 3, "");
	cmdline_case(&ok, "iters=9", 9, S, "");
	cmdline_case(&ok, "  probe.elf \t iters=12\n", 12, S, "");
	cmdline_case(&ok, "probe.elf iters=0", I, S, "[bad value iters=0]");
	cmdline_case(&ok, "probe.elf iters=abc", I, S, "[bad value iters=abc]");
	cmdline_case(&ok, "probe.elf iters=", I, S, "[bad value iters=]");
	cmdline_case(&ok, "probe.elf iters=1000001", I, S, "[bad value iters=1000001]");
	cmdline_case(&ok, "probe.elf iters=99999999999", I, S, "[bad value iters=99999999999]");
	cmdline_case(&ok, "probe.elf iters=1000000", 1000000, S, "");
	cmdline_case(&ok, "probe.elf samples=31", I, 31, "");
	cmdline_case(&ok, "probe.elf samples=32", I, S, "[bad value samples=32]");
	cmdline_case(&ok, "probe.elf iter=5 foo", I, S, "[unknown option iter=5][unknown option foo]");
	cmdline_case(&ok, "probe.elf itersx=5", I, S, "[unknown option itersx=5]");
	cmdline_case(&ok, "probe.elf iters=4 iters=6", 6, S, "");
	cmdline_case_b(&ok, "probe.elf budget=20", I, S, 20, "");
	cmdline_case_b(&ok, "probe.elf budget=86400", I, S, 86400, "");
	cmdline_case(&ok, "probe.elf budget=86401", I, S, "[bad value budget=86401]");
	cmdline_case(&ok, "probe.elf budget=0", I, S, "[bad value budget=0]");
	cmdline_case(&ok, "probe.elf budget=1s", I, S, "[bad value budget=1s]");
	result("cmdline.parse", ok);
}

static int valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

/* The table straight from the .def, independently of probe-os/sdm.c. */
static int def_defined[SDM_EXIT_REASON_MAX + 1];
static const char *def_name[SDM_EXIT_REASON_MAX + 1];
static int def_async[SDM_EXIT_REASON_MAX + 1];
static void load_def(void)
{
#define SYNC 0
#define ASYNC 1
#define SDM_EXIT_REASON(nr, ident, cls, desc) \
	def_defined[nr] = 1, def_name[nr] = #ident, def_async[nr] = cls;
#include "../../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
#undef SYNC
#undef ASYNC
}

static void test_sdm(void)
{
	int ok = 1;
	u32 n, i, defined = 0, prev = 0;

	for (n = 0; n <= SDM_EXIT_REASON_MAX + 2; n++) {
		const struct sdm_reason *r = sdm_lookup(n);
		int d = n <= SDM_EXIT_REASON_MAX && def_defined[n];

		EXPECT(!!r == d, "reason %u: lookup %s but .def %s", n, r ? "found" : "missing",
		       d ? "defines it" : "does not");
		if (r && d)
			EXPECT(!strcmp(r->name, def_name[n]) && r->async == def_async[n],
			       "reason %u: name/class differ", n);
		defined += d;
	}
	EXPECT(sdm_reason_count == defined, "table has %u rows, .def %u", sdm_reason_count, defined);
	for (i = 0; i < sdm_reason_count; i++) {
		EXPECT(i == 0 || sdm_reasons[i].nr > prev, "rows not strictly increasing at %u", sdm_reasons[i].nr);
		prev = sdm_reasons[i].nr;
	}
	EXPECT(prev == SDM_EXIT_REASON_MAX, "highest row %u but SDM_EXIT_REASON_MAX %u", prev,
	       SDM_EXIT_REASON_MAX);
	EXPECT(!sdm_lookup(0xffffffffu) && !sdm_lookup(0x8000000au), "high numbers must be undefined");
	result("sdm.table", ok);
}

/* The async list a snapshot reads: exactly the .def's ASYNC rows, in order. */
static void test_sdm_async(void)
{
	int ok = 1;
	u32 n, i = 0;

	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++) {
		if (!def_defined[n] || !def_async[n])
			continue;
		EXPECT(i < sdm_async_count && sdm_async[i] == n,
		       "async row %u: .def has reason %u, list has %u", i, n,
		       i < sdm_async_count ? sdm_async[i] : 0xffffffffu);
		i++;
	}
	EXPECT(i == sdm_async_count, "list has %u reasons, .def %u ASYNC rows", sdm_async_count, i);
	result("sdm.async", ok);
}

static void test_sweep(void)
{
	int ok = 1;
	u32 i;

	EXPECT(SWEEP_COUNT == SDM_EXIT_REASON_MAX + 1 + 4, "sweep has %u entries", (u32)SWEEP_COUNT);
	for (i = 0; i <= SDM_EXIT_REASON_MAX; i++)
		EXPECT(sweep_reason(i) == i, "entry %u is %u", i, sweep_reason(i));
	EXPECT(sweep_reason(SDM_EXIT_REASON_MAX + 1) == SDM_EXIT_REASON_MAX + 1, "first extra");
	EXPECT(sweep_reason(SDM_EXIT_REASON_MAX + 2) == 0x7fffffffu, "0x7fffffff");
	EXPECT(sweep_reason(SDM_EXIT_REASON_MAX + 3) == 0x8000000au, "0x80000000|10");
	EXPECT(sweep_reason(SDM_EXIT_REASON_MAX + 4) == 0xffffffffu, "0xffffffff");
	for (i = SDM_EXIT_REASON_MAX + 1; i < SWEEP_COUNT; i++)
		EXPECT(!sdm_lookup(sweep_reason(i)), "extra %u is defined", sweep_reason(i));
	/* Every defined reason is swept exactly once. */
	for (i = 0; i < sdm_reason_count; i++) {
		u32 k, seen = 0;

		for (k = 0; k < SWEEP_COUNT; k++)
			seen += sweep_reason(k) == sdm_reasons[i].nr;
		EXPECT(seen == 1, "reason %u swept %u times", sdm_reasons[i].nr, seen);
	}
	result("sweep.list", ok);
}

static void test_scenarios(void)
{
	struct probe_env full = {
		.counting = HOST_PATCHED, .kvm = 1, .max_basic = 0x16,
		.f1_ecx = F1_ECX_XSAVE | F1_ECX_RDRAND | F1_ECX_HYPERVISOR |
			  F1_ECX_TSC_DEADLINE | F1_ECX_X2APIC,
		.f1_edx = F1_EDX_TSC | F1_EDX_MCE | F1_EDX_SSE2 | F1_EDX_APIC,
		.f7_ebx = F7_EBX_RDSEED | F7_EBX_INVPCID, .f7_ecx = F7_ECX_UMIP,
		.f81_edx = F81_EDX_RDTSCP,
		.apicbase = 0xfee00900, .xcr0 = 3, .osxsave = 1,
		.mem_end = 64u << 20, .timer_ok = 1, .scratch = 0x200000,
		/* APICv, so that its two rows run too. */
		.apic = APIC_APICV, .apic_base = 0xfee00000, .deadline_preempt = 1,
		.x2apic_ok = 1,
	};
	struct probe_env bare = { 0 };
	u32 reasons[SDM_EXIT_REASON_MAX + 1] = { 0 };
	int ok = 1, hlt = 0;
	u32 i, k, distinct = 0;

	for (i = 0; i < scenario_count; i++) {
		const struct scenario *s = &scenarios[i];
		const struct sdm_reason *r = sdm_lookup(s->reason);

		EXPECT(valid_id(s->id), "bad id '%s'", s->id);
		for (k = 0; k < i; k++)
			EXPECT(strcmp(s->id, scenarios[k].id), "duplicate id '%s'", s->id);
		EXPECT(r != NULL, "%s: reason %u is not defined by the SDM", s->id, s->reason);
		/* Async reasons vary run to run, except the window and
		 * preemption-timer exits that only the row's own APIC
		 * programming requests (no other interrupt source is armed
		 * while it runs). */
		EXPECT(!r || !r->async ||
		       (!strncmp(s->id, "apic.", 5) &&
			(s->reason == 7 || s->reason == 8 || s->reason == 52)),
		       "%s: reason %u is asynchronous: counts would not be stable",
		       s->id, s->reason);
		EXPECT(s->insn && *s->insn && !strchr(s->insn, '"'), "%s: bad insn text", s->id);
		EXPECT(s->loop && s->insn_at && s->insn_end, "%s: no loop", s->id);
		for (k = 0; k < axis_columns(s->axis); k++) {
			const struct expect *x = &s->expect[k];

			EXPECT(x->kind != EXPECT_EXACT || x->n >= 1, "%s: exact 0", s->id);
			EXPECT(x->kind != EXPECT_NONE || x->n == 0, "%s: none with n", s->id);
			EXPECT(x->kind != EXPECT_UNDECIDED || k == axis_unknown(s->axis),
			       "%s: undecided with a known %s mode", s->id, axis_noun(s->axis));
		}
		if (strstr(s->id, ".hidden")) {
			/* Runs exactly where CPUID hides the feature. */
			struct probe_env hid = full;

			hid.f1_ecx &= ~F1_ECX_RDRAND;
			hid.f7_ebx &= ~F7_EBX_RDSEED;
			EXPECT(scenario_cannot_run(s, &full, DEFAULT_ITERS, DEFAULT_SAMPLES) != NULL,
			       "%s: runs although CPUID shows the feature", s->id);
			EXPECT(!scenario_cannot_run(s, &hid, DEFAULT_ITERS, DEFAULT_SAMPLES),
			       "%s: cannot run with the feature hidden: %s", s->id,
			       scenario_cannot_run(s, &hid, DEFAULT_ITERS, DEFAULT_SAMPLES));
		} else {
			EXPECT(!scenario_cannot_run(s, &full, DEFAULT_ITERS, DEFAULT_SAMPLES),
			       "%s: cannot run on a capable patched KVM: %s", s->id,
			       scenario_cannot_run(s, &full, DEFAULT_ITERS, DEFAULT_SAMPLES));
		}
		/* A declared need: one bit, and a reason that names it. */
		if (s->needs.word != CPUID_NONE) {
			u32 m = s->needs.mask;

			EXPECT(m && !(m & (m - 1)), "%s: need mask %#x is not one bit", s->id, m);
			EXPECT(s->needs.why && !strncmp(s->needs.why, "CPUID.", 6) &&
			       strstr(s->needs.why, "=0"), "%s: need reason '%s' does not name the bit",
			       s->id, s->needs.why ? s->needs.why : "(null)");
		} else {
			EXPECT(s->needs.mask == 0 && !s->needs.why, "%s: need without a CPUID word", s->id);
		}
		/* An instruction whose #UD is expected is caught, not stray. */
		EXPECT(!(s->ok_vectors & ~(1u << 3 | 1u << 6 | 1u << 13)),
		       "%s: ok_vectors %#x beyond #BP/#UD/#GP", s->id, s->ok_vectors);
		EXPECT(!!s->enter == !!s->leave, "%s: enter without leave", s->id);
		EXPECT(i == 0 || s->reason >= scenarios[i - 1].reason, "%s: table not in reason order", s->id);
		if (r && !reasons[s->reason]++)
			distinct++;
		hlt |= s->reason == 12 && s->enter != NULL;
	}
	EXPECT(distinct >= 15, "only %u distinct exit reasons", distinct);
	/* Leaf 7 words count only when leaf 7 exists. */
	{
		struct probe_env old = full;

		old.max_basic = 6;
		EXPECT(cpuid_word_value(&old, CPUID_7_EBX) == 0 &&
		       cpuid_word_value(&old, CPUID_7_ECX) == 0, "leaf 7 read below max_basic 7");
		EXPECT(cpuid_word_value(&full, CPUID_7_ECX) == F7_ECX_UMIP &&
		       cpuid_word_value(&full, CPUID_81_EDX) == F81_EDX_RDTSCP &&
		       cpuid_word_value(&full, CPUID_NONE) == 0, "cpuid words");
	}
	EXPECT(hlt, "no HLT scenario with a wake-up source");
	/* The feature-gated rows really are gated. */
	for (i = 0; i < scenario_count; i++) {
		const struct scenario *s = &scenarios[i];
		static const char *const gated[] = { "hlt", "mwait", "ept.touch", "rdtscp",
						     "xsetbv", "rdrand", "rdseed", "cr.cr4",
						     "invpcid", "desc.sgdt-umip", "desc.sidt-umip",
						     "desc.sldt-umip", "desc.str-umip" ,
						     "apic.irqwin", "apic.nmiwin", "apic.deadline",
						     "apic.tpr", "apic.read",
						     "apic.eoiexit", "apic.preempt",
						     "apic.apicwrite", "apic.mmioread", "apic.mmiowrite",
						     "apic.x2ipi", "apic.x2tpr" };

		for (k = 0; k < ARRAY_SIZE(gated); k++)
			if (!strcmp(s->id, gated[k]))
				EXPECT(scenario_cannot_run(s, &bare, DEFAULT_ITERS, DEFAULT_SAMPLES),
				       "%s runs without its precondition", s->id);
		/* Each declared need alone decides: the capable machine minus
		 * that one bit cannot run the row. */
		if (s->needs.word != CPUID_NONE) {
			struct probe_env less = full;
			u32 *w = s->needs.word == CPUID_1_ECX ? &less.f1_ecx :
				 s->needs.word == CPUID_1_EDX ? &less.f1_edx :
				 s->needs.word == CPUID_7_EBX ? &less.f7_ebx :
				 s->needs.word == CPUID_7_ECX ? &less.f7_ecx : &less.f81_edx;

			*w &= ~s->needs.mask;
			EXPECT(scenario_cannot_run(s, &less, DEFAULT_ITERS, DEFAULT_SAMPLES) == s->needs.why,
			       "%s runs without CPUID bit %#x", s->id, s->needs.mask);
		}
	}
	/*
	 * Default budget: scenarios x samples x expected exits stays < 20,000
	 * on every host (cmdline.h: about 3.4 s of exits under Bochs). A host has one APIC mode: an APIC row counts with
	 * that mode's expectation (every mode's worst with an unknown mode,
	 * where it runs all the same), and not at all where it cannot run
	 * (the APICv-only rows elsewhere); a paging row with its worst mode.
	 */
	{
		u64 budget = 0;
		u32 m;

		for (m = 0; m < APIC_MODES; m++) {
			struct probe_env host = full;
			u64 b = 0;

			host.apic = (enum apic_mode)m;
			for (i = 0; i < scenario_count; i++) {
				const struct scenario *s = &scenarios[i];
				int by_mode = s->axis == BY_APIC_MODE && m != APIC_UNKNOWN;
				u32 most = 0;

				if (s->cannot_run && s->cannot_run(&host, DEFAULT_ITERS, DEFAULT_SAMPLES))
					continue;
				for (k = 0; k < axis_columns(s->axis); k++) {
					u32 e = scenario_expected(&s->expect[k], DEFAULT_ITERS);

					if (!by_mode || k == m)
						most = e > most ? e : most;
				}
				b += (u64)DEFAULT_SAMPLES * (most + 6);
			}
			budget = b > budget ? b : budget;
		}
		budget += 4 * (SDM_EXIT_REASON_MAX + 1) + 2 * 4 + DEFAULT_SAMPLES * 6;
		EXPECT(budget < 20000, "default run needs about %" PRIu64 " exits", budget);
		if (ok)
			snprintf(why, sizeof(why), "%u scenarios, %u distinct reasons, ~%" PRIu64
				 " exits by default", scenario_count, distinct, budget);
	}
	result("scenarios.table", ok);
}

static void test_expect(void)
{
	int ok = 1;

	EXPECT(touch_region_size(1) == 2u << 20, "1 page");
	EXPECT(touch_region_size(512) == 2u << 20, "512 pages");
	EXPECT(touch_region_size(513) == 4u << 20, "513 pages");
	for (u32 i = 0; i < scenario_count; i++) {
		const struct scenario *s = &scenarios[i];

		for (u32 m = 0; m < axis_columns(s->axis); m++) {
			const struct expect *x = &s->expect[m];
			u32 e = scenario_expected(x, 50);

			if (x->kind == EXPECT_EXACT)
				EXPECT(e == 50 * x->n, "%s: exact %u", s->id, e);
			else if (x->kind == EXPECT_NONE || x->kind == EXPECT_UNDECIDED)
				EXPECT(e == 0, "%s: none %u", s->id, e);
			else
				EXPECT(e == (x->n ? x->n : 50), "%s: bound %u", s->id, e);
		}
	}
	result("scenarios.expect", ok);
}

static int same_expect(const struct expect *a, const struct expect *b)
{
	return a->kind == b->kind && a->n == b->n;
}

static const struct scenario *find_scenario(const char *id)
{
	for (u32 i = 0; i < scenario_count; i++)
		if (!strcmp(scenarios[i].id, id))
			return &scenarios[i];
	return NULL;
}

/* The expectations per host paging mode (KVM 6.1 vmx.c init_vmcs_control:
 * INVLPG and CR3 exiting are cleared only when enable_ept). */
static void test_paging_expect(void)
{
	/* INVLPG/INVPCID/CR3 exits only with shadow paging; MMIO is an EPT
	 * misconfiguration only with EPT (shadow paging: intercepted #PF). */
	static const char *const dep[] = { "invlpg", "cr.cr3read", "invpcid" };
	static const char *const ept_dep[] = { "mmio.kernel-read", "mmio.kernel-write",
					       "mmio.user-read", "mmio.user-write" };
	const struct scenario *t = find_scenario("ept.touch");
	int ok = 1, ndep = 0;

	for (u32 i = 0; i < ARRAY_SIZE(dep); i++) {
		const struct scenario *s = find_scenario(dep[i]);

		EXPECT(s != NULL, "no scenario %s", dep[i]);
		if (!s)
			continue;
		EXPECT(scenario_expect(s, PAGING_EPT)->kind == EXPECT_NONE,
		       "%s: not none with EPT", s->id);
		EXPECT(scenario_expect(s, PAGING_SHADOW)->kind == EXPECT_EXACT &&
		       scenario_expect(s, PAGING_SHADOW)->n == 1,
		       "%s: not exact:1 with shadow paging", s->id);
		EXPECT(scenario_expect(s, PAGING_UNKNOWN)->kind == EXPECT_UNDECIDED,
		       "%s: decided with an unknown paging mode", s->id);
	}
	for (u32 i = 0; i < ARRAY_SIZE(ept_dep); i++) {
		const struct scenario *s = find_scenario(ept_dep[i]);

		EXPECT(s != NULL, "no scenario %s", ept_dep[i]);
		if (!s)
			continue;
		EXPECT(scenario_expect(s, PAGING_EPT)->kind == EXPECT_EXACT &&
		       scenario_expect(s, PAGING_EPT)->n == 1, "%s: not exact:1 with EPT", s->id);
		EXPECT(scenario_expect(s, PAGING_SHADOW)->kind == EXPECT_NONE,
		       "%s: not none with shadow paging", s->id);
		EXPECT(scenario_expect(s, PAGING_UNKNOWN)->kind == EXPECT_UNDECIDED,
		       "%s: decided with an unknown paging mode", s->id);
	}
	EXPECT(t && scenario_expect(t, PAGING_EPT)->kind == EXPECT_ATMOST &&
	       scenario_expect(t, PAGING_SHADOW)->kind == EXPECT_NONE,
	       "ept.touch: atmost with EPT, none (no EPT at all) with shadow paging");
	for (u32 i = 0; i < scenario_count; i++) {
		const struct scenario *s = &scenarios[i];

		if (s->axis != BY_PAGING_MODE)
			continue;
		/* Without a patched host the log shows the EPT column. */
		EXPECT(scenario_expect(s, PAGING_NA) == &s->expect[PAGING_EPT],
		       "%s: paging=- does not show the EPT column", s->id);
		/* One expectation for both modes leaves nothing undecided. */
		if (same_expect(&s->expect[PAGING_EPT], &s->expect[PAGING_SHADOW]))
			EXPECT(same_expect(&s->expect[PAGING_UNKNOWN], &s->expect[PAGING_EPT]),
			       "%s: unknown column differs from equal EPT/shadow columns", s->id);
		else
			ndep++;
	}
	/* Only the rows above and ept.touch depend on the paging mode. */
	EXPECT(ndep == (int)(ARRAY_SIZE(dep) + ARRAY_SIZE(ept_dep) + 1),
	       "%d scenarios depend on the paging mode, expected %u", ndep,
	       (unsigned)(ARRAY_SIZE(dep) + ARRAY_SIZE(ept_dep) + 1));
	if (ok)
		snprintf(why, sizeof(why), "%d scenarios depend on the paging mode", ndep);
	result("scenarios.paging-expect", ok);
}

static void test_paging_decide(void)
{
	static const struct { u32 ept, exc; enum paging_mode want; } cases[] = {
		{ 16, 0, PAGING_EPT }, { 1, 0, PAGING_EPT },	/* huge pages: 1 */
		{ 0, 16, PAGING_SHADOW }, { 0, 1, PAGING_SHADOW },
		{ 0, 0, PAGING_UNKNOWN },			/* host mapped them */
		{ 16, 16, PAGING_UNKNOWN }, { 1, 1, PAGING_UNKNOWN },
		{ 17, 0, PAGING_UNKNOWN }, { 0, 17, PAGING_UNKNOWN },
		{ 0xffffffffu, 0, PAGING_UNKNOWN },		/* counter wrapped back */
	};
	int ok = 1;

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT(paging_decide(cases[i].ept, cases[i].exc, 16) == cases[i].want,
		       "%u EPT violations, %u exceptions: %s, expected %s", cases[i].ept,
		       cases[i].exc, paging_name(paging_decide(cases[i].ept, cases[i].exc, 16)),
		       paging_name(cases[i].want));
	EXPECT(!strcmp(paging_name(PAGING_EPT), "ept") && !strcmp(paging_name(PAGING_SHADOW), "shadow") &&
	       !strcmp(paging_name(PAGING_UNKNOWN), "unknown") && !strcmp(paging_name(PAGING_NA), "-"),
	       "paging names");
	/* The observation's pages: 2 MiB of their own, below every sample's
	 * fresh region, so neither sees pages the other touched. */
	EXPECT(PAGING_PROBE_BASE % (2u << 20) == 0, "paging probe base not 2 MiB aligned");
	EXPECT(PAGING_PROBE_BASE + (2u << 20) <= TOUCH_BASE, "paging probe overlaps the touch pool");
	EXPECT(PAGING_PROBE_PAGES * 4096u <= 2u << 20, "paging probe pages exceed their region");
	EXPECT(PAGING_PROBE_BASE >= (1u << 20) + 0x100000u, "paging probe region too close to the image");
	result("paging.decide", ok);
}

/*
 * The APIC rows (scentab.c header, KVM 6.1/6.12): with APICv (APIC-register
 * virtualization + virtual-interrupt delivery) nothing is an APIC_ACCESS or
 * TPR_BELOW_THRESHOLD exit (update_cr8_intercept returns when apicv_active);
 * EOI_INDUCED and APIC_WRITE exist only with APICv and the rows SKIP, naming
 * the mode, elsewhere; an unknown mode decides only what every mode agrees on.
 */
static void test_apic_expect(void)
{
	struct probe_env e = {
		.f1_ecx = F1_ECX_TSC_DEADLINE, .f1_edx = F1_EDX_APIC,
		.apicbase = 0xfee00900, .apic_base = 0xfee00000,
	};
	int ok = 1, napic = 0;

	for (u32 i = 0; i < scenario_count; i++) {
		const struct scenario *s = &scenarios[i];
		u32 m, differ = 0;

		if (s->axis != BY_APIC_MODE)
			continue;
		napic++;
		for (m = 1; m < APIC_UNKNOWN; m++)
			differ |= !same_expect(&s->expect[m], &s->expect[0]);
		EXPECT(differ == (s->expect[APIC_UNKNOWN].kind == EXPECT_UNDECIDED),
		       "%s: the unknown column is undecided exactly when the modes differ", s->id);
		EXPECT(scenario_expect(s, APIC_NA) == &s->expect[APIC_FLEXPRIORITY],
		       "%s: apic=- does not show the flexpriority column", s->id);
		if (s->reason == 48)
			EXPECT(s->expect[APIC_EMULATED].kind != EXPECT_NONE &&
			       s->expect[APIC_FLEXPRIORITY].kind == EXPECT_NONE &&
			       s->expect[APIC_APICV].kind == EXPECT_NONE,
			       "%s: EPT violations only where KVM emulates the APIC", s->id);
		if (s->reason == 43 || s->reason == 44)
			EXPECT(s->expect[APIC_APICV].kind == EXPECT_NONE,
			       "%s: reason %u with APICv", s->id, s->reason);
		if (s->reason == 45 || s->reason == 56) {
			EXPECT(s->expect[APIC_FLEXPRIORITY].kind == EXPECT_NONE &&
			       s->expect[APIC_EMULATED].kind == EXPECT_NONE,
			       "%s: reason %u without APICv", s->id, s->reason);
			for (m = 0; m <= APIC_NA; m++) {
				const char *skip;

				e.apic = (enum apic_mode)m;
				skip = s->cannot_run ? s->cannot_run(&e, DEFAULT_ITERS, DEFAULT_SAMPLES) : NULL;
				EXPECT((skip == NULL) == (m == APIC_APICV),
				       "%s: runs (or not) with apic=%s", s->id, apic_mode_name(e.apic));
				EXPECT(!skip || strstr(skip, apic_mode_name(e.apic)),
				       "%s: SKIP text does not name apic=%s", s->id, apic_mode_name(e.apic));
			}
		}
	}
	EXPECT(napic >= 5, "only %d rows depend on the APIC mode", napic);
	/* The expiry row runs only where one expiry was one PREEMPTION_TIMER exit. */
	{
		const struct scenario *p = find_scenario("apic.preempt");

		e.apic = APIC_FLEXPRIORITY;
		e.deadline_preempt = 1;
		EXPECT(p && !p->cannot_run(&e, DEFAULT_ITERS, DEFAULT_SAMPLES), "apic.preempt: not run");
		e.deadline_preempt = 0;
		e.deadline_detail = "seen: 0 PREEMPTION_TIMER";
		EXPECT(p && p->cannot_run(&e, DEFAULT_ITERS, DEFAULT_SAMPLES) == e.deadline_detail,
		       "apic.preempt: runs without a PREEMPTION_TIMER expiry, or hides what was seen");
		e.deadline_preempt = 2;
		e.deadline_detail = NULL;
		EXPECT(p && p->cannot_run(&e, DEFAULT_ITERS, DEFAULT_SAMPLES),
		       "apic.preempt: runs after two PREEMPTION_TIMER exits for one expiry");
		/* Not observed (no counting): it runs, and SKIPs for want of counts. */
		e.deadline_preempt = ~0u;
		EXPECT(p && !p->cannot_run(&e, DEFAULT_ITERS, DEFAULT_SAMPLES),
		       "apic.preempt: cannot run where nothing could be observed");
	}
	/* Emulated accesses are EPT violations only with EPT. */
	{
		const struct scenario *r = find_scenario("apic.mmioread");

		e.paging = PAGING_SHADOW;
		EXPECT(r && r->reason == 48 && r->cannot_run(&e, 1, 1), "apic.mmioread runs under shadow paging");
		e.paging = PAGING_EPT;
		EXPECT(r && !r->cannot_run(&e, 1, 1), "apic.mmioread does not run with EPT");
	}
	/* x2APIC mode or a disabled APIC: no xAPIC MMIO to drive. */
	e.apicbase = 0xfee00d00;
	EXPECT(apic_cannot_run(&e, 1, 1) != NULL, "runs in x2APIC mode");
	e.apicbase = 0xfee00100;
	EXPECT(apic_cannot_run(&e, 1, 1) != NULL, "runs with the APIC disabled");
	if (ok)
		snprintf(why, sizeof(why), "%d scenarios depend on the APIC mode", napic);
	result("scenarios.apic-expect", ok);
}

static void test_apic_decide(void)
{
	static const struct { u32 acc, mmio; enum apic_mode want; } cases[] = {
		{ 1, 0, APIC_FLEXPRIORITY }, { 0, 0, APIC_APICV },
		{ 0, 1, APIC_EMULATED }, { 0, 2, APIC_EMULATED },	/* 6.12, 6.1 */
		{ 2, 0, APIC_UNKNOWN }, { 1, 1, APIC_UNKNOWN }, { 0, 3, APIC_UNKNOWN },
		{ 0xffffffffu, 0, APIC_UNKNOWN },		/* counter went back */
	};
	int ok = 1;

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT(apic_decide(cases[i].acc, cases[i].mmio) == cases[i].want,
		       "%u APIC_ACCESS, %u MMIO exits: %s, expected %s", cases[i].acc,
		       cases[i].mmio, apic_mode_name(apic_decide(cases[i].acc, cases[i].mmio)),
		       apic_mode_name(cases[i].want));
	/* The host: record's words (docs/serial-log.md). */
	EXPECT(!strcmp(apic_mode_name(APIC_FLEXPRIORITY), "flexpriority") &&
	       !strcmp(apic_mode_name(APIC_APICV), "apicv") &&
	       !strcmp(apic_mode_name(APIC_EMULATED), "emulated") &&
	       !strcmp(apic_mode_name(APIC_UNKNOWN), "unknown") &&
	       !strcmp(apic_mode_name(APIC_NA), "-"), "apic mode names");
	result("apic.decide", ok);
}

int main(void)
{
	load_def();
	test_udiv64();
	test_u64();
	test_hex();
	test_fixed3();
	test_line();
	test_line_copy();
	test_join64();
	test_cmdline();
	test_sdm();
	test_sdm_async();
	test_sweep();
	test_scenarios();
	test_expect();
	test_paging_expect();
	test_paging_decide();
	test_apic_expect();
	test_apic_decide();
	return failed;
}
