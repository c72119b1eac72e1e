// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the probe's measurement: probe-os/hostctr.c, measure.c and
 * verdict.c compiled unchanged for the host, reading a simulated KVM
 * (fakehost.c) instead of CPUID. Each case sets up what the host does
 * (version 1 or 2, scope, exits landing between reads, a neighbour VM,
 * garbage answers) and checks the figures and the verdict the probe would
 * print. Output: one PASS:/FAIL: line per case; exit status 1 on failure.
 */
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include "check.h"
#include "fakehost.h"
#include "../../probe-os/hostctr.h"
#include "../../probe-os/measure.h"
#include "../../probe-os/verdict.h"
#include "../../probe-os/sdm.h"
#include "../../probe-os/hostset.h"
#include "../../probe-os/tscfreq.h"

#define ITERS	50
#define SAMPLES	5
#define R_EXTINT 1	/* EXTERNAL_INTERRUPT, an ASYNC row of the .def */
#define R_IO	30	/* IO_INSTRUCTION, a SYNC row */
#define R_INTWIN 7	/* INTERRUPT_WINDOW, ASYNC, targeted by apic.irqwin */


/* The guest's zero-iteration calibration loop does nothing at all. */
static void idle_loop(u32 n, u32 arg)
{
	(void)n, (void)arg;
	fh.tsc += 3;
}

static const struct scenario exact1 = {
	.id = "fake", .reason = R_IO, .insn = "fake",
	.expect = { { EXPECT_EXACT, 1 }, { EXPECT_EXACT, 1 }, { EXPECT_EXACT, 1 } },
};

struct run {
	struct host_abi abi;
	enum ident_result ident;
	int counting;
	struct calibration cal;
	struct sample v[MAX_SAMPLES];
	struct summary sum;
	enum check_result verdict;
	struct line text;
	u32 reads_in_samples;
};

/*
 * What main.c does for one scenario: identify the host, calibrate, take
 * the samples, summarise, judge against "exact 1 per iteration".
 */
static void run(u32 reason, u32 samples, struct run *r)
{
	struct scenario sc = exact1;
	u32 s, reads0;

	memset(r, 0, sizeof(*r));
	sc.reason = reason;
	fh.loop_reason = reason;
	if (!fh.loop_per_iter)
		fh.loop_per_iter = 1;
	r->ident = hostctr_ident(&r->abi);
	r->counting = fh.abi >= 1 && (r->ident != IDENT_V2 || r->abi.counting_on);
	calibrate(&r->abi, r->counting, idle_loop, samples, &r->cal);
	reads0 = fh.reads;
	for (s = 0; s < samples; s++)
		measure(&r->abi, r->counting, fake_loop, reason, ITERS, 0, &r->v[s]);
	r->reads_in_samples = fh.reads - reads0;
	summarise(r->v, samples, reason, ITERS, &r->cal, &r->sum);
	r->verdict = count_verdict(&sc, &sc.expect[PAGING_EPT], ITERS, &r->sum, &r->cal,
				   &r->text);
}

static const char *verdict_word(enum check_result c)
{
	return c == CHECK_PASS ? "PASS" : c == CHECK_FAIL ? "FAIL" : "SKIP";
}

/* The figures of a clean measurement of ITERS exits per sample. */
static void expect_clean(int *okp, const struct run *r, s64 async)
{
	int ok = *okp;

	EXPECT(r->sum.valid == r->sum.samples, "%u of %u samples valid", r->sum.valid,
	       r->sum.samples);
	EXPECT(r->sum.exits == ITERS, "exits=%" PRId64 ", expected %d", r->sum.exits, ITERS);
	EXPECT(r->sum.other == 0, "other=%" PRId64 ", expected 0", r->sum.other);
	EXPECT(r->sum.async == async, "async=%" PRId64 ", expected %" PRId64, r->sum.async, async);
	EXPECT(r->verdict == CHECK_PASS, "verdict %s: %s", verdict_word(r->verdict),
	       line_cstr((struct line *)&r->text));
	*okp = ok;
}

static void test_ident(void)
{
	struct host_abi h;
	int ok = 1;

	fake_reset(2, EXITPROBE_SCOPE_VM);
	EXPECT(hostctr_ident(&h) == IDENT_V2 && h.version == 2 && h.scope == EXITPROBE_SCOPE_VM &&
	       h.counting_on && h.max_reason == SDM_EXIT_REASON_MAX,
	       "version 2, scope vm: got version %u scope %u counting %d max %u", h.version,
	       h.scope, h.counting_on, h.max_reason);
	fh.counting_on = 0;
	fh.scope = EXITPROBE_SCOPE_HOST;
	EXPECT(hostctr_ident(&h) == IDENT_V2 && h.scope == EXITPROBE_SCOPE_HOST && !h.counting_on,
	       "scope host, counting off: scope %u counting %d", h.scope, h.counting_on);
	fake_reset(1, EXITPROBE_SCOPE_HOST);
	EXPECT(hostctr_ident(&h) == IDENT_ABSENT && h.version == 0,
	       "a version 1 host echoes the basic leaf: must be absent");
	fake_reset(0, EXITPROBE_SCOPE_HOST);
	EXPECT(hostctr_ident(&h) == IDENT_ABSENT, "unpatched host: must be absent");
	result("hostctr.ident", ok);
}

/* A signature with a version or scope the probe does not know: version 1
 * leaves only (version stays 0, so snap_read takes the version 1 path). */
static void test_ident_malformed(void)
{
	static const struct { u32 version, scope; } bad[] = {
		{ 1, EXITPROBE_SCOPE_VM }, { 2, 2 }, { 2, 0xffffffffu },
	};
	struct host_abi h;
	int ok = 1;

	for (u32 i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fake_reset(2, EXITPROBE_SCOPE_VM);
		fh.ident_version = bad[i].version;
		fh.ident_scope = bad[i].scope;
		fh.ident_scope_set = 1;
		EXPECT(hostctr_ident(&h) == IDENT_MALFORMED && h.version == 0,
		       "version %u scope %u: not rejected (version %u)", bad[i].version,
		       bad[i].scope, h.version);
	}
	result("hostctr.ident-malformed", ok);
}

/* Version 1, nothing else happening: exact figures, no retry, only the
 * version 1 leaves read. */
static void test_v1_quiet(void)
{
	struct run r;
	int ok = 1;

	fake_reset(1, EXITPROBE_SCOPE_VM);
	run(R_IO, SAMPLES, &r);
	expect_clean(&ok, &r, 0);
	EXPECT(r.sum.retries == 0, "retries=%u on a quiet host", r.sum.retries);
	EXPECT(fh.reads_v2 == 0, "%u version 2 leaf reads on a version 1 host", fh.reads_v2);
	/* CPUID is the one reason the query reads share: calibrated out. */
	fake_reset(1, EXITPROBE_SCOPE_VM);
	run(10, SAMPLES, &r);
	expect_clean(&ok, &r, 0);
	result("measure.v1.quiet", ok);
}

/*
 * Version 1: an async exit lands between the two total reads of the
 * second snapshot. That attempt is retried (its reads are CPUID exits in
 * the window, subtracted exactly), the exit is in async, not in other.
 */
static void test_v1_async_between_reads(void)
{
	u32 reasons[] = { R_IO, 10 };
	struct run r;
	int ok = 1;

	for (u32 i = 0; i < 2; i++) {
		fake_reset(1, EXITPROBE_SCOPE_VM);
		fh.after_loop = (struct fake_event){ 1, FAKE_SELF, R_EXTINT, 1 };
		run(reasons[i], SAMPLES, &r);
		expect_clean(&ok, &r, 1);
		EXPECT(r.sum.retries == SAMPLES, "reason %u: retries=%u, expected one per sample",
		       reasons[i], r.sum.retries);
	}
	result("measure.v1.async-between-reads", ok);
}

/* Async exits while the loop runs: async, never other or exits. */
static void test_async_in_loop(void)
{
	struct run r;
	int ok = 1;

	for (u32 abi = 1; abi <= 2; abi++) {
		fake_reset(abi, EXITPROBE_SCOPE_VM);
		fh.loop_async = 3;
		run(R_IO, SAMPLES, &r);
		expect_clean(&ok, &r, 3);
		EXPECT(r.sum.retries == 0, "abi %u: retries=%u", abi, r.sum.retries);
	}
	result("measure.async-in-loop", ok);
}

/*
 * A targeted ASYNC reason (the APIC rows' window exits): its own exits are
 * in the host's async sum, so the probe must count them in exits only,
 * neither in other (they were never synchronous) nor in async.
 */
static void test_async_target(void)
{
	struct run r;
	int ok = 1;

	for (u32 abi = 1; abi <= 2; abi++) {
		fake_reset(abi, EXITPROBE_SCOPE_VM);
		fh.loop_async = 3;
		run(R_INTWIN, SAMPLES, &r);
		expect_clean(&ok, &r, 3);
	}
	result("measure.async-target", ok);
}

/* An interrupt storm: every version 1 attempt sees an extra exit. The
 * snapshots give up at the bound, no sample is used, the verdict FAILs
 * and says why. */
static void test_v1_storm(void)
{
	struct run r;
	int ok = 1;

	fake_reset(1, EXITPROBE_SCOPE_VM);
	fh.storm_vm = FAKE_SELF, fh.storm_reason = R_EXTINT, fh.storm_n = 1;
	run(R_IO, SAMPLES, &r);
	EXPECT(r.cal.valid == 0 && r.sum.valid == 0, "%u calibration, %u samples valid in a storm",
	       r.cal.valid, r.sum.valid);
	EXPECT(r.verdict == CHECK_FAIL && strstr(r.text.buf, "consistent"),
	       "verdict %s: %s", verdict_word(r.verdict), r.text.buf);
	result("measure.v1.storm", ok);
}

/* Version 2: one exit per snapshot pair inside the window, exact figures,
 * no version 1 leaf read while measuring. */
static void test_v2_quiet(void)
{
	u32 reasons[] = { R_IO, 10 };
	struct run r;
	int ok = 1;

	for (u32 i = 0; i < 2; i++) {
		fake_reset(2, EXITPROBE_SCOPE_VM);
		run(reasons[i], SAMPLES, &r);
		expect_clean(&ok, &r, 0);
		EXPECT(r.sum.retries == 0, "retries=%u", r.sum.retries);
		EXPECT(fh.reads_v1 == 0, "%u version 1 leaf reads on a version 2 host", fh.reads_v1);
		/* b's SNAPSHOT reports a's two reads (each counted once its
		 * window closes), never its own. */
		EXPECT(r.cal.exits == 2, "calibration: %" PRId64 " query exits, expected 2",
		       r.cal.exits);
		EXPECT(r.reads_in_samples == 4 * SAMPLES, "%u reads for %d samples",
		       r.reads_in_samples, SAMPLES);
	}
	result("measure.v2.quiet", ok);
}

/* The read after which sample k's first read comes: one identification
 * read, then calibration and samples at 4 version 2 reads each. */
#define V2_READS_BEFORE_SAMPLE(k)	(1 + 4 * SAMPLES + 4 * (k))

/*
 * Version 2: an async exit between SNAPSHOT and SNAPSHOT_CYCLES changes
 * neither count, so nothing is retried. Between a's two reads it is inside
 * the sample (after a's instant): async. Between b's it is after b's
 * instant: in no sample.
 */
static void test_v2_async_between_reads(void)
{
	struct run r;
	int ok = 1;

	fake_reset(2, EXITPROBE_SCOPE_VM);
	for (u32 k = 0; k < SAMPLES; k++)
		fh.ev[fh.nev++] = (struct fake_event){ V2_READS_BEFORE_SAMPLE(k) + 1, FAKE_SELF,
						       R_EXTINT, 1 };
	fh.after_loop = (struct fake_event){ 1, FAKE_SELF, R_EXTINT, 1 };
	run(R_IO, SAMPLES, &r);
	expect_clean(&ok, &r, 1);
	EXPECT(r.sum.retries == 0, "retries=%u", r.sum.retries);
	result("measure.v2.async-between-reads", ok);
}

/*
 * A neighbour VM loops on the very reasons measured. Scope vm: invisible,
 * exact figures. Scope host: its exits are in the counts, and the probe
 * shows them (exits above the expectation, FAIL) instead of hiding them.
 */
static void test_neighbour(void)
{
	struct run r;
	int ok = 1;

	fake_reset(2, EXITPROBE_SCOPE_VM);
	fh.storm_vm = FAKE_NEIGHBOUR, fh.storm_reason = R_IO, fh.storm_n = 2;
	fh.loop_neighbour_reason = R_IO, fh.loop_neighbour_n = 7;
	run(R_IO, SAMPLES, &r);
	expect_clean(&ok, &r, 0);
	EXPECT(r.sum.retries == 0, "scope vm: retries=%u", r.sum.retries);
	result("measure.neighbour.scope-vm", ok);

	ok = 1;
	fake_reset(2, EXITPROBE_SCOPE_HOST);
	fh.loop_neighbour_reason = R_IO, fh.loop_neighbour_n = 7;
	run(R_IO, SAMPLES, &r);
	EXPECT(r.sum.valid == SAMPLES, "%u valid", r.sum.valid);
	EXPECT(r.sum.exits == ITERS + 7, "exits=%" PRId64 ", expected the neighbour's 7 too",
	       r.sum.exits);
	EXPECT(r.verdict == CHECK_FAIL, "verdict %s with a neighbour's exits in the count",
	       verdict_word(r.verdict));
	/* The neighbour's exit between the two reads of a version 2 snapshot
	 * would pair the cycles with another count: retried, then fine. */
	fake_reset(2, EXITPROBE_SCOPE_HOST);
	fh.after_loop = (struct fake_event){ 1, FAKE_NEIGHBOUR, R_IO, 1 };
	run(R_IO, SAMPLES, &r);
	EXPECT(r.sum.retries == SAMPLES, "retries=%u, expected one per sample", r.sum.retries);
	EXPECT(r.sum.valid == SAMPLES && r.sum.exits == ITERS + 1,
	       "%u valid, exits=%" PRId64 " (the neighbour's exit is in b's snapshot)",
	       r.sum.valid, r.sum.exits);
	result("measure.neighbour.scope-host", ok);

	/* Version 1 with a busy neighbour: every attempt is spoilt (issue 8
	 * measured the retries on a real host); the samples are invalid and
	 * the scenario FAILs saying so, never a silently polluted PASS. */
	ok = 1;
	fake_reset(1, EXITPROBE_SCOPE_HOST);
	fh.storm_vm = FAKE_NEIGHBOUR, fh.storm_reason = 10, fh.storm_n = 1;
	run(10, SAMPLES, &r);
	EXPECT(r.sum.valid == 0 && r.verdict == CHECK_FAIL, "%u valid, verdict %s: %s",
	       r.sum.valid, verdict_word(r.verdict), r.text.buf);
	result("measure.neighbour.v1", ok);
}

/* Noise instead of counters: never a PASS, never a figure. */
static void test_garbage(void)
{
	struct run r;
	int ok = 1;

	for (u32 abi = 1; abi <= 2; abi++) {
		fake_reset(abi, EXITPROBE_SCOPE_VM);
		fh.garbage = 1;
		run(R_IO, SAMPLES, &r);
		EXPECT(r.verdict == CHECK_FAIL && !summary_usable(&r.sum),
		       "abi %u: verdict %s with %u of %u samples valid: %s", abi,
		       verdict_word(r.verdict), r.sum.valid, r.sum.samples, r.text.buf);
	}
	/* Version 2 counts honest but its status word noise. */
	fake_reset(2, EXITPROBE_SCOPE_VM);
	fh.garbage_status = 1;
	run(R_IO, SAMPLES, &r);
	EXPECT(r.sum.valid == 0 && r.verdict == CHECK_FAIL, "garbage status: %u valid, %s",
	       r.sum.valid, verdict_word(r.verdict));
	result("measure.garbage", ok);
}

/* A count that goes backwards inside the window (a host bug or a reset):
 * the deltas no longer add up, the sample is not used. */
static void test_backwards(void)
{
	struct run r;
	int ok = 1;

	for (u32 abi = 1; abi <= 2; abi++) {
		fake_reset(abi, EXITPROBE_SCOPE_VM);
		fh.loop_self_adjust = -(s64)(ITERS + 5);
		run(R_IO, SAMPLES, &r);
		EXPECT(r.sum.valid == 0 && r.verdict == CHECK_FAIL,
		       "abi %u: %u samples valid, verdict %s", abi, r.sum.valid,
		       verdict_word(r.verdict));
	}
	result("measure.backwards", ok);
}

/*
 * A neighbour (scope host) exits after every read from sample k on, so
 * each of those version 2 attempts sees it between its two reads: those
 * samples hit the retry bound and are dropped. With 2 of 5 dropped the
 * majority decides and the check line says how many were dropped; with 3
 * there is no majority: FAIL.
 */
static void test_invalid_samples(void)
{
	struct run r;
	int ok = 1;

	fake_reset(2, EXITPROBE_SCOPE_HOST);
	fh.storm_vm = FAKE_NEIGHBOUR, fh.storm_reason = R_IO, fh.storm_n = 1;
	fh.storm_from = V2_READS_BEFORE_SAMPLE(SAMPLES - 2);
	fh.storm_to = 1u << 30;
	run(R_IO, SAMPLES, &r);
	EXPECT(r.sum.valid == SAMPLES - 2, "%u of %u valid, expected %u", r.sum.valid,
	       SAMPLES, SAMPLES - 2);
	EXPECT(r.sum.exits == ITERS, "exits=%" PRId64 " from the valid samples", r.sum.exits);
	EXPECT(r.verdict == CHECK_PASS && strstr(r.text.buf, "2 of 5 samples had inconsistent"),
	       "verdict %s: %s", verdict_word(r.verdict), r.text.buf);
	result("measure.minority-invalid", ok);

	ok = 1;
	fake_reset(2, EXITPROBE_SCOPE_HOST);
	fh.storm_vm = FAKE_NEIGHBOUR, fh.storm_reason = R_IO, fh.storm_n = 1;
	fh.storm_from = V2_READS_BEFORE_SAMPLE(SAMPLES - 3);
	fh.storm_to = 1u << 30;
	run(R_IO, SAMPLES, &r);
	EXPECT(r.sum.valid == 2 && r.verdict == CHECK_FAIL && strstr(r.text.buf, "only 2 of 5"),
	       "%u valid, verdict %s: %s", r.sum.valid, verdict_word(r.verdict), r.text.buf);
	result("measure.majority-needed", ok);
}

/* Counting off (version 2 flag clear) or no patched host: the probe reads
 * no leaf while measuring, only the TSC. */
static void test_not_counting(void)
{
	struct run r;
	int ok = 1;

	fake_reset(2, EXITPROBE_SCOPE_VM);
	fh.counting_on = 0;
	run(R_IO, SAMPLES, &r);
	EXPECT(!r.counting && r.reads_in_samples == 0, "counting %d, %u reads", r.counting,
	       r.reads_in_samples);
	EXPECT(r.sum.valid == SAMPLES && r.sum.guest_cycles > 0,
	       "guest cycles still measured: %u valid, %" PRId64, r.sum.valid, r.sum.guest_cycles);
	result("measure.counting-off", ok);
}

/*
 * Counts over every valid sample with their range; cycles only over the
 * clean ones (no async exit, no retry): a sample an interrupt landed in
 * must not move the cycle figures.
 */
static void test_summary_range_and_clean(void)
{
	struct sample v[4] = {
		{ .valid = 1, .exits = 50, .sync = 50, .cycles = 5000, .tsc = 1000 + 3 },
		{ .valid = 1, .exits = 52, .sync = 52, .async = 1, .cycles = 99999, .tsc = 999999 },
		{ .valid = 1, .exits = 49, .sync = 49, .retries = 1, .cycles = 88888, .tsc = 888888 },
		{ .valid = 0, .exits = 7 },
	};
	struct calibration cal = { .valid = 1, .tsc = 3 };
	struct summary sum;
	int ok = 1;

	summarise(v, 4, R_IO, ITERS, &cal, &sum);
	EXPECT(sum.valid == 3 && sum.clean == 1, "valid %u clean %u, expected 3 and 1",
	       sum.valid, sum.clean);
	EXPECT(sum.min == 49 && sum.max == 52 && sum.exits == 50,
	       "min %" PRId64 " max %" PRId64 " median %" PRId64 ", expected 49 52 50",
	       sum.min, sum.max, sum.exits);
	EXPECT(sum.have_host_cycles && sum.host_cycles == 100,
	       "host cycles %" PRIu64 ", expected 100 from the clean sample only", sum.host_cycles);
	EXPECT(sum.have_guest_cycles && sum.guest_cycles == 20,
	       "guest cycles %" PRId64 ", expected 20 from the clean sample only", sum.guest_cycles);
	/* No clean sample: no cycle figure at all rather than a disturbed one. */
	v[0].async = 2;
	summarise(v, 4, R_IO, ITERS, &cal, &sum);
	EXPECT(sum.clean == 0 && !sum.have_host_cycles && !sum.have_guest_cycles,
	       "clean %u, host %d guest %d: expected no cycle figure", sum.clean,
	       sum.have_host_cycles, sum.have_guest_cycles);
	result("measure.range-and-clean", ok);
}

/* The verdict text and result for each kind of expectation. */
static void test_verdict(void)
{
	static const struct {
		struct expect x;
		s64 exits, min, max;	/* min = max = 0: every sample gave exits */
		enum check_result want;
		const char *text;
	} cases[] = {
		{ { EXPECT_EXACT, 1 }, 50, 0, 0, CHECK_PASS, "50 exits of reason 30 for 50 iterations (exact 1 per iteration)" },
		{ { EXPECT_EXACT, 1 }, 51, 0, 0, CHECK_FAIL, "51 exits of reason 30 for 50 iterations (expected exact 1 per iteration)" },
		{ { EXPECT_EXACT, 2 }, 100, 0, 0, CHECK_PASS, "100 exits of reason 30 for 50 iterations (exact 2 per iteration)" },
		{ { EXPECT_NONE, 0 }, 0, 0, 0, CHECK_PASS, "0 exits of reason 30 for 50 iterations (none expected)" },
		{ { EXPECT_NONE, 0 }, 1, 0, 0, CHECK_FAIL, "1 exits of reason 30 for 50 iterations (none expected)" },
		{ { EXPECT_ATMOST, 0 }, 50, 0, 0, CHECK_PASS, "50 exits of reason 30 for 50 iterations (at most 50 per sample)" },
		{ { EXPECT_ATMOST, 0 }, 51, 0, 0, CHECK_FAIL, "51 exits of reason 30 for 50 iterations (expected at most 50 per sample)" },
		{ { EXPECT_ATLEAST, 5 }, 4, 0, 0, CHECK_FAIL, "4 exits of reason 30 for 50 iterations (expected at least 5 per sample)" },
		{ { EXPECT_EXACT, 1 }, -1, 0, 0, CHECK_FAIL, "0 exits of reason 30 for 50 iterations (expected exact 1 per iteration); the counter went backwards" },
		/* One deviating sample fails the check whatever the median. */
		{ { EXPECT_EXACT, 1 }, 50, 50, 51, CHECK_FAIL, "50 exits of reason 30 for 50 iterations (expected exact 1 per iteration); samples ranged 50..51, every sample must meet it" },
		{ { EXPECT_NONE, 0 }, 0, 0, 2, CHECK_FAIL, "0 exits of reason 30 for 50 iterations (none expected); samples ranged 0..2, every sample must meet it" },
		{ { EXPECT_ATLEAST, 5 }, 9, 4, 9, CHECK_FAIL, "9 exits of reason 30 for 50 iterations (expected at least 5 per sample); samples ranged 4..9, every sample must meet it" },
		{ { EXPECT_ATMOST, 0 }, 10, 0, 50, CHECK_PASS, "10 exits of reason 30 for 50 iterations (at most 50 per sample); samples ranged 0..50" },
		{ { EXPECT_ATMOST, 0 }, 10, 0, 51, CHECK_FAIL, "10 exits of reason 30 for 50 iterations (expected at most 50 per sample); samples ranged 0..51, every sample must meet it" },
	};
	struct calibration cal = { .valid = SAMPLES };
	struct summary sum = { .samples = SAMPLES, .valid = SAMPLES };
	struct scenario sc = exact1;
	struct line t;
	int ok = 1;

	for (u32 i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum check_result got;

		sum.exits = cases[i].exits;
		sum.min = cases[i].min || cases[i].max ? cases[i].min : cases[i].exits;
		sum.max = cases[i].min || cases[i].max ? cases[i].max : cases[i].exits;
		got = count_verdict(&sc, &cases[i].x, ITERS, &sum, &cal, &t);
		EXPECT(got == cases[i].want && !strcmp(t.buf, cases[i].text),
		       "case %u: %s \"%s\", expected %s \"%s\"", i, verdict_word(got), t.buf,
		       verdict_word(cases[i].want), cases[i].text);
	}
	/* Paging mode unknown: SKIP naming both columns. */
	sc.expect[PAGING_EPT] = (struct expect){ EXPECT_NONE, 0 };
	sc.expect[PAGING_UNKNOWN] = (struct expect){ EXPECT_UNDECIDED, 0 };
	sum.exits = 3;
	EXPECT(count_verdict(&sc, &sc.expect[PAGING_UNKNOWN], ITERS, &sum, &cal, &t) == CHECK_SKIP &&
	       strstr(t.buf, "none with EPT, exact:1 with shadow paging; measured 3"),
	       "undecided: %s", t.buf);
	/* No calibration: every count FAILs, whatever it is. */
	cal.valid = 0;
	sum.exits = sum.min = sum.max = 50;
	EXPECT(count_verdict(&exact1, &exact1.expect[0], ITERS, &sum, &cal, &t) == CHECK_FAIL &&
	       strstr(t.buf, "calibration"), "no calibration: %s", t.buf);
	result("verdict.text", ok);
}

/*
 * Host settings: a gate observed off makes its rows expect none (that is
 * how -overcommit cpu-pm=on must look: HLT, MONITOR/MWAIT, PAUSE not
 * intercepted), observed on or not observed leaves the table's column.
 */
static void test_host_settings(void)
{
	struct scenario gated = exact1, plain = exact1;
	struct probe_env e = { .paging = PAGING_EPT };
	char pmu[16];
	int ok = 1;

	gated.gate = GATE_MWAIT;
	EXPECT(gate_decide(1, 1) == GATE_EXITS && gate_decide(3, 20000) == GATE_EXITS &&
	       gate_decide(0, 1) == GATE_OFF && gate_decide(0, 0) == GATE_NA,
	       "gate_decide");
	e.gate[GATE_MWAIT] = GATE_NA;
	EXPECT(host_expect(&gated, &e)->kind == EXPECT_EXACT, "not observed: the table's column");
	e.gate[GATE_MWAIT] = GATE_EXITS;
	EXPECT(host_expect(&gated, &e)->kind == EXPECT_EXACT, "exits: the table's column");
	e.gate[GATE_MWAIT] = GATE_OFF;
	EXPECT(host_expect(&gated, &e)->kind == EXPECT_NONE, "off: none expected");
	EXPECT(host_expect(&plain, &e)->kind == EXPECT_EXACT, "an ungated row ignores the gates");
	e.gate[GATE_HLT] = GATE_OFF;
	gated.gate = GATE_PAUSE;
	EXPECT(host_expect(&gated, &e)->kind == EXPECT_EXACT, "another gate's state does not apply");
	pmu_describe(0xd, 0x07300402, pmu, sizeof(pmu));
	EXPECT(!strcmp(pmu, "v2:4"), "pmu %s, expected v2:4", pmu);
	pmu_describe(0xd, 0, pmu, sizeof(pmu));
	EXPECT(!strcmp(pmu, "none"), "pmu %s, expected none (version 0)", pmu);
	pmu_describe(0x9, 0x07300402, pmu, sizeof(pmu));
	EXPECT(!strcmp(pmu, "none"), "pmu %s, expected none (no leaf 0AH)", pmu);
	result("hostset.gates", ok);
}

/* Each TSC frequency source, in order of preference, and the PIT estimate. */
static void test_tsc_freq(void)
{
	struct tsc_inputs in = { 0 };
	struct tsc_freq f;
	int ok = 1;

	tsc_freq_decide(&in, &f);
	EXPECT(f.hz == 0 && f.source == TSC_SRC_NONE && !strcmp(tsc_source_name(f.source), "-"),
	       "nothing: %" PRIu64 " %s", f.hz, tsc_source_name(f.source));
	in.pit_tsc = 30000000;	/* 20 periods of 597/1193182 s at ~3 GHz */
	in.pit_periods = 20, in.pit_hz_num = 1193182, in.pit_hz_den = 597;
	tsc_freq_decide(&in, &f);
	EXPECT(f.source == TSC_SRC_PIT && f.hz == 30000000ull * 1193182 / (20 * 597),
	       "pit: %" PRIu64 " %s", f.hz, tsc_source_name(f.source));
	in.max_basic = 0x16, in.l16_eax = 3500;
	tsc_freq_decide(&in, &f);
	EXPECT(f.source == TSC_SRC_CPUID16 && f.hz == 3500000000ull, "cpuid16: %" PRIu64, f.hz);
	in.hv_max_leaf = 0x40000010, in.hv10_eax = 3491914;
	tsc_freq_decide(&in, &f);
	EXPECT(f.source == TSC_SRC_HV && f.hz == 3491914000ull, "hv leaf: %" PRIu64, f.hz);
	/* CPUID.15H only with all three values; then it wins. */
	in.max_basic = 0x16, in.l15_eax = 2, in.l15_ebx = 0, in.l15_ecx = 24000000;
	tsc_freq_decide(&in, &f);
	EXPECT(f.source == TSC_SRC_HV, "15H without a numerator: %s", tsc_source_name(f.source));
	in.l15_ebx = 292;
	tsc_freq_decide(&in, &f);
	EXPECT(f.source == TSC_SRC_CPUID15 && f.hz == 24000000ull * 292 / 2,
	       "cpuid15: %" PRIu64, f.hz);
	result("tscfreq.decide", ok);
}

int main(void)
{
	test_ident();
	test_ident_malformed();
	test_v1_quiet();
	test_v1_async_between_reads();
	test_async_in_loop();
	test_async_target();
	test_v1_storm();
	test_v2_quiet();
	test_v2_async_between_reads();
	test_neighbour();
	test_garbage();
	test_backwards();
	test_invalid_samples();
	test_not_counting();
	test_summary_range_and_clean();
	test_verdict();
	test_host_settings();
	test_tsc_freq();
	return failed;
}
