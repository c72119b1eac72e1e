// SPDX-License-Identifier: GPL-2.0
/*
 * A fake host for exitstat's tests: a model of the patched KVM (or of a
 * machine without it) with state, behind exitstat's host_ops.
 *
 * The model: counters per exit reason; every CPUID exitstat executes is a
 * CPUID exit, counted (like the real host) when the next read happens, so a
 * read never sees itself. Time is virtual: it moves only when exitstat
 * sleeps (-i) or runs a command, and activity accrues with it. Set by
 * environment variables (tests/exitstat/run-tests.py):
 *
 *   FAKE_HOST      abi2-vm (default), abi2-host, abi2-off (counting flag
 *                  clear), abi2-v3 (ABI 3, reasons up to 90), abi1,
 *                  unpatched (Intel KVM without the patch), garbage (a
 *                  hypervisor whose leaf 0x4FFFFFFF jumps), nohv (Intel
 *                  bare metal), nohv-amd, amd (AMD CPU under a hypervisor)
 *   FAKE_INIT      "nr:count,..." counts before exitstat starts
 *   FAKE_DISABLED  "nr,..." defined reasons KVM does not handle
 *   FAKE_WEIRD     a reason whose status word is 7 (unknown to exitstat)
 *   FAKE_RATE      "nr:per_second,..." activity while time passes
 *   FAKE_CMD       "nr:count,..." exits a command causes while it runs
 *   FAKE_CMD_NS    virtual time a command takes (default 5000000)
 *   FAKE_PIN_ERRNO make pin_cpu fail with this errno
 *   FAKE_TRACE     file to append "leaf subleaf" per CPUID to
 *
 * An exit of reason n costs FAKE_CYCLES_BASE + n cycles. exitstat must pin
 * itself before its first CPUID: the fake aborts otherwise.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitprobe-abi.h"
#include "exitstat.h"
#include "reasons.h"

#define FAKE_CYCLES_BASE	1000u
#define FAKE_MAX_NR		90u	/* room for abi2-v3's extra reasons */
#define FAKE_MAX_BASIC		0x16u
#define CPUID_HV_BASE		0x40000000u

enum fake_kind { ABI2, ABI1, UNPATCHED, GARBAGE, NOHV };

static struct {
	int ready;
	enum fake_kind kind;
	int amd, counting, pinned;
	uint32_t version, scope, max_nr, weird;
	uint64_t count[FAKE_MAX_NR + 1], cycles[FAKE_MAX_NR + 1];
	int defined[FAKE_MAX_NR + 1], disabled[FAKE_MAX_NR + 1];
	uint64_t rate[FAKE_MAX_NR + 1], cmd[FAKE_MAX_NR + 1];
	uint64_t now, carry_ns[FAKE_MAX_NR + 1], cmd_ns, garbage;
	int pending_cpuid;	/* the last CPUID's exit, not counted yet */
	FILE *trace;
} F;

static void die(const char *why, const char *what)
{
	fprintf(stderr, "fake-host: %s%s\n", why, what ? what : "");
	abort();
}

/* "nr:value,nr:value" (values optional with want_value = 0) into v[]. */
static void parse_list(const char *env, uint64_t *v, int want_value)
{
	const char *s = getenv(env);
	char *end;

	while (s && *s) {
		unsigned long nr = strtoul(s, &end, 10);
		unsigned long long val = 1;

		if (end == s || nr > FAKE_MAX_NR)
			die("bad list in ", env);
		s = end;
		if (want_value) {
			if (*s++ != ':')
				die("want nr:value in ", env);
			val = strtoull(s, &end, 10);
			if (end == s)
				die("bad value in ", env);
			s = end;
		}
		v[nr] = val;
		if (*s == ',')
			s++;
		else if (*s)
			die("bad separator in ", env);
	}
}

static void add_exits(uint32_t nr, uint64_t n)
{
	if (!F.counting || !F.defined[nr] || F.disabled[nr])
		return;
	F.count[nr] += n;
	F.cycles[nr] += n * (FAKE_CYCLES_BASE + nr);
}

static void setup(void)
{
	const char *h = getenv("FAKE_HOST"), *s;
	uint64_t init[FAKE_MAX_NR + 1] = { 0 }, dis[FAKE_MAX_NR + 1] = { 0 };
	uint32_t nr;

	if (F.ready)
		return;
	F.ready = 1;
	F.kind = ABI2;
	F.counting = 1;
	F.version = EXITPROBE_ABI_VERSION;
	F.scope = EXITPROBE_SCOPE_VM;
	F.max_nr = SDM_EXIT_REASON_MAX;
	if (!h || !strcmp(h, "abi2-vm")) {
	} else if (!strcmp(h, "abi2-host")) {
		F.scope = EXITPROBE_SCOPE_HOST;
	} else if (!strcmp(h, "abi2-off")) {
		F.counting = 0;
	} else if (!strcmp(h, "abi2-v3")) {
		F.version = EXITPROBE_ABI_VERSION + 1;
		F.max_nr = FAKE_MAX_NR;
	} else if (!strcmp(h, "abi1")) {
		F.kind = ABI1;
	} else if (!strcmp(h, "unpatched")) {
		F.kind = UNPATCHED;
	} else if (!strcmp(h, "garbage")) {
		F.kind = GARBAGE;
	} else if (!strcmp(h, "nohv")) {
		F.kind = NOHV;
	} else if (!strcmp(h, "nohv-amd")) {
		F.kind = NOHV;
		F.amd = 1;
	} else if (!strcmp(h, "amd")) {
		F.kind = UNPATCHED;
		F.amd = 1;
	} else {
		die("unknown FAKE_HOST ", h);
	}
#define SDM_EXIT_REASON(nr, ident, cls, desc) F.defined[nr] = 1;
#include "sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
	for (nr = SDM_EXIT_REASON_MAX + 1; nr <= F.max_nr; nr++)
		F.defined[nr] = 1;
	parse_list("FAKE_DISABLED", dis, 0);
	for (nr = 0; nr <= FAKE_MAX_NR; nr++)
		F.disabled[nr] = !!dis[nr];
	parse_list("FAKE_INIT", init, 1);
	F.counting = 1;		/* the initial counts exist even if counting is off now */
	for (nr = 0; nr <= FAKE_MAX_NR; nr++)
		add_exits(nr, init[nr]);
	F.counting = !h || strcmp(h, "abi2-off");
	parse_list("FAKE_RATE", F.rate, 1);
	parse_list("FAKE_CMD", F.cmd, 1);
	F.cmd_ns = (s = getenv("FAKE_CMD_NS")) ? strtoull(s, NULL, 10) : 5000000u;
	F.weird = (s = getenv("FAKE_WEIRD")) ? (uint32_t)strtoul(s, NULL, 10) : ~0u;
	if ((s = getenv("FAKE_TRACE")) && !(F.trace = fopen(s, "a")))
		die("cannot open FAKE_TRACE ", s);
}

/* Time passes: rate exits per second, carrying fractions to the next step. */
static void advance(uint64_t ns)
{
	uint32_t nr;

	F.now += ns;
	for (nr = 0; nr <= FAKE_MAX_NR; nr++) {
		uint64_t acc = F.carry_ns[nr] + ns * F.rate[nr];

		add_exits(nr, acc / 1000000000u);
		F.carry_ns[nr] = acc % 1000000000u;
	}
}

static uint64_t total_count(void)
{
	uint64_t t = 0, nr;

	for (nr = 0; nr <= FAKE_MAX_NR; nr++)
		t += F.count[nr];
	return t;
}

static uint64_t total_cycles(void)
{
	uint64_t t = 0, nr;

	for (nr = 0; nr <= FAKE_MAX_NR; nr++)
		t += F.cycles[nr];
	return t;
}

static void set(struct cpuid_regs *r, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	r->eax = a, r->ebx = b, r->ecx = c, r->edx = d;
}

static void vendor(struct cpuid_regs *r)
{
	/* "GenuineIntel" / "AuthenticAMD" as ebx, edx, ecx */
	if (F.amd)
		set(r, FAKE_MAX_BASIC, 0x68747541, 0x444d4163, 0x69746e65);
	else
		set(r, FAKE_MAX_BASIC, 0x756e6547, 0x6c65746e, 0x49656e69);
}

/* What a CPU or an unpatched KVM answers for a leaf it does not know. */
static void out_of_range(struct cpuid_regs *r)
{
	if (F.amd)
		set(r, 0, 0, 0, 0);
	else
		set(r, 0x0d48, 0x0fa0, 0x64, 0);	/* leaf FAKE_MAX_BASIC's answer */
}

static int answers(uint32_t leaf)
{
	if (F.kind == ABI2)
		return leaf >= EXITPROBE_LEAF_SNAPSHOT_CYCLES && leaf <= EXITPROBE_LEAF_TOTAL;
	if (F.kind == ABI1)
		return leaf >= EXITPROBE_LEAF_REASON_CYCLES && leaf <= EXITPROBE_LEAF_TOTAL;
	return 0;
}

static uint32_t status_of(uint32_t n)
{
	if (n > F.max_nr || !F.defined[n])
		return EXITPROBE_STATUS_UNDEFINED;
	if (n == F.weird)
		return 7;
	return F.disabled[n] ? EXITPROBE_STATUS_DISABLED : EXITPROBE_STATUS_OK;
}

static void leaf(uint32_t l, uint32_t n, struct cpuid_regs *r)
{
	uint32_t st = status_of(n);
	int known = st != EXITPROBE_STATUS_UNDEFINED;
	uint64_t cnt = known && n <= FAKE_MAX_NR ? F.count[n] : 0;
	uint64_t cyc = known && n <= FAKE_MAX_NR ? F.cycles[n] : 0;

	switch (l) {
	case EXITPROBE_LEAF_TOTAL:
		set(r, (uint32_t)total_count(), (uint32_t)(total_cycles() >> 32),
		    (uint32_t)total_cycles(), 0);
		break;
	case EXITPROBE_LEAF_CYCLES:
		set(r, 0, (uint32_t)(total_cycles() >> 32), (uint32_t)total_cycles(), 0);
		break;
	case EXITPROBE_LEAF_COUNT:
		set(r, known ? (uint32_t)cnt : 0, 0, 0, known ? 0 : EXITPROBE_UNDEFINED);
		break;
	case EXITPROBE_LEAF_REASON_CYCLES:
		set(r, 0, known ? (uint32_t)(cyc >> 32) : 0, known ? (uint32_t)cyc : 0,
		    known ? 0 : EXITPROBE_UNDEFINED);
		break;
	case EXITPROBE_LEAF_IDENT:
		set(r, F.version, EXITPROBE_SIGNATURE, F.scope,
		    (F.counting ? EXITPROBE_FLAG_COUNTING : 0) | F.max_nr << 16);
		break;
	case EXITPROBE_LEAF_SNAPSHOT:
		set(r, (uint32_t)cnt, (uint32_t)total_count(), 0, st);
		break;
	default:	/* EXITPROBE_LEAF_SNAPSHOT_CYCLES */
		set(r, (uint32_t)cnt, (uint32_t)(cyc >> 32), (uint32_t)cyc, st);
	}
}

static void fake_cpuid(uint32_t l, uint32_t n, struct cpuid_regs *r)
{
	setup();
	if (!F.pinned)
		die("CPUID before pin_cpu", NULL);
	if (F.trace)
		fprintf(F.trace, "0x%08x %u\n", l, n);
	/* The previous CPUID's exit closes now: count it before answering. */
	if (F.kind != NOHV && F.pending_cpuid)
		add_exits(SDM_REASON_CPUID, 1);
	F.pending_cpuid = 1;

	if (l == 0) {
		vendor(r);
	} else if (l == 1) {
		set(r, 0x000906ea, 0, F.kind == NOHV ? 0 : 1u << 31, 0);
	} else if (l == CPUID_HV_BASE && F.kind != NOHV) {
		/* "KVMKVMKVM\0\0\0" */
		set(r, CPUID_HV_BASE + 1, 0x4b4d564b, 0x564b4d56, 0x0000004d);
	} else if (answers(l)) {
		leaf(l, n, r);
	} else if (F.kind == GARBAGE && l >= 0x40000000u) {
		/* Not counters: a value that jumps by a million per read. */
		F.garbage += 1000000;
		set(r, (uint32_t)F.garbage, 1, 2, 0);
	} else {
		out_of_range(r);
	}
}

static uint64_t fake_now_ns(void)
{
	setup();
	return F.now;
}

static void fake_sleep_until_ns(uint64_t deadline)
{
	setup();
	if (deadline > F.now)
		advance(deadline - F.now);
}

static int fake_run_command(char *const argv[])
{
	uint32_t nr;
	int status;

	setup();
	/* The command really runs (status, output, affinity are real)... */
	status = host_linux_run_command(argv);
	/* ...and the host saw it cause these exits while time passed. */
	for (nr = 0; nr <= FAKE_MAX_NR; nr++)
		add_exits(nr, F.cmd[nr]);
	advance(F.cmd_ns);
	return status;
}

static int fake_pin_cpu(void)
{
	const char *e = getenv("FAKE_PIN_ERRNO");

	setup();
	F.pinned = 1;
	if (e)
		return atoi(e);
	/* The real pin: the test checks that a command does not inherit it. */
	return host_linux.pin_cpu();
}

static const struct host_ops fake_host = {
	.cpuid = fake_cpuid,
	.now_ns = fake_now_ns,
	.sleep_until_ns = fake_sleep_until_ns,
	.run_command = fake_run_command,
	.pin_cpu = fake_pin_cpu,
};

int main(int argc, char **argv)
{
	int rc = exitstat_main(argc, argv, &fake_host);

	if (F.trace)
		fclose(F.trace);
	return rc;
}
