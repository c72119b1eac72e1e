// SPDX-License-Identifier: GPL-2.0
/*
 * probe.elf: boots as a guest, causes VM exits on purpose one instruction
 * type at a time, and attributes every exit to its instruction by reading
 * the patched host's counters around each sample. Log: docs/serial-log.md.
 */
#include "types.h"
#include "cpu.h"
#include "fmt.h"
#include "serial.h"
#include "trap.h"
#include "report.h"
#include "cmdline.h"
#include "scenarios.h"
#include "hostctr.h"
#include "sdm.h"
#include "loops.h"
#include "scenhooks.h"
#include "measure.h"
#include "verdict.h"
#include "hostset.h"
#include "tscfreq.h"
#include "apic.h"
#include "hostdet.h"

#define PROBE_VERSION	"1.0"
#define LOG_FORMAT	2	/* docs/serial-log.md */
#define MULTIBOOT_MAGIC	0x2BADB002u
#define MB_FLAG_MEM	(1u << 0)
#define MB_FLAG_CMDLINE	(1u << 2)

struct multiboot_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
};

static struct config cfg = { DEFAULT_ITERS, DEFAULT_SAMPLES, DEFAULT_BUDGET };
/* The guest TSC's frequency (calibration: tsc_hz=) and the run's deadline
 * on the TSC from budget= (0: no frequency known, the budget cannot be
 * measured and the log says so). */
static struct tsc_freq tsc_freq;
static u64 deadline_tsc;
/* Why the scenarios past the budget SKIP; set once it is spent. */
static const char *budget_spent;
/* Reasons of scenarios whose count check PASSed with a bounded
 * expectation and a non-zero count (the coverage: record). */
static u8 covered[SDM_EXIT_REASON_MAX + 1];
static u8 scratch[256] __attribute__((aligned(64)));

extern char _kernel_start[], _kernel_end[];


/* ---- configuration ---------------------------------------------------- */

/* Longest option word echoed whole: the line must stay far from LINE_MAX. */
#define ECHO_MAX	40

/*
 * A bad option FAILs the run: the user asked for something the run did not
 * do. The run goes on with the default for it, so the log is still whole.
 */
static void bad_option(const char *why, const char *w, u32 len)
{
	struct line *l = check(CHECK_FAIL, "config");

	line_str(l, why);
	line_char(l, ' ');
	line_strn(l, w, len < ECHO_MAX ? len : ECHO_MAX);
	if (len > ECHO_MAX)
		line_str(l, "...");
	line_str(l, " ignored, the default used");
	emit();
}

static void bad_option_quiet(const char *why, const char *w, u32 len)
{
	(void)why, (void)w, (void)len;
}

/* config: comes first, then one FAIL: config line per rejected word. */
static void report_config(const char *cmdline)
{
	struct config again = cfg;
	struct line *l;

	cmdline_parse(cmdline, &cfg, bad_option_quiet);
	l = rec("config:");
	kv_u64(l, "iters", cfg.iters);
	kv_u64(l, "samples", cfg.samples);
	kv_u64(l, "budget", cfg.budget);
	emit();
	cmdline_parse(cmdline, &again, bad_option);
}

/* ---- machine setup ---------------------------------------------------- */

static void machine_init(void)
{
	pic_init();
	env.scratch = (u32)scratch;
	env.apicbase = rdmsr(MSR_IA32_APICBASE);
	if (env.f1_ecx & F1_ECX_XSAVE) {
		write_cr4(read_cr4() | CR4_OSXSAVE);
		env.osxsave = !!(read_cr4() & CR4_OSXSAVE);
		if (env.osxsave)
			env.xcr0 = xgetbv(0);
	}
}

/* Does the PIT interrupt us? Bounded spin, no PAUSE (that could exit). */
static void timer_check(void)
{
	u32 t0 = timer_ticks, spin = 200000000;

	timer_start();
	sti();
	while (timer_ticks == t0 && --spin)
		asm volatile("" ::: "memory");
	cli();
	timer_stop();
	env.timer_ok = timer_ticks != t0;
}

/* PIT periods the TSC is timed over when no CPUID leaf gives its rate. */
#define TSC_PIT_PERIODS	20u

/*
 * The guest TSC's frequency, from the most exact source there is
 * (tscfreq.c); the PIT estimate is taken only when no leaf gives it.
 */
static void find_tsc_freq(void)
{
	struct tsc_inputs in = { 0 };
	struct cpuid_regs r;

	in.max_basic = env.max_basic;
	in.hv_max_leaf = hv_max_leaf;
	if (env.max_basic >= 0x15) {
		cpuid2(0x15, 0, &r);
		in.l15_eax = r.a, in.l15_ebx = r.b, in.l15_ecx = r.c;
	}
	if (env.max_basic >= 0x16) {
		cpuid2(0x16, 0, &r);
		in.l16_eax = r.a;
	}
	/* Only a hypervisor's range has the timing leaf. */
	if (hv_max_leaf >= 0x40000010u && hv_max_leaf < 0x40010000u) {
		cpuid2(0x40000010u, 0, &r);
		in.hv10_eax = r.a;
	}
	tsc_freq_decide(&in, &tsc_freq);
	if (tsc_freq.source != TSC_SRC_NONE || !env.timer_ok)
		return;
	{
		u32 t, spin = 200000000;
		u64 t0;

		timer_start();
		sti();
		/* From one tick's edge to another's: whole periods. */
		t = timer_ticks;
		while (timer_ticks == t && --spin)
			asm volatile("" ::: "memory");
		t0 = tsc_read();
		t = timer_ticks;
		while (timer_ticks - t < TSC_PIT_PERIODS && --spin)
			asm volatile("" ::: "memory");
		in.pit_tsc = tsc_read() - t0;
		cli();
		timer_stop();
		if (!spin)
			return;
		in.pit_periods = TSC_PIT_PERIODS;
		in.pit_hz_num = PIT_INPUT_HZ;
		in.pit_hz_den = PIT_DIVISOR;
	}
	tsc_freq_decide(&in, &tsc_freq);
}

/* The run's deadline: budget= seconds of TSC time from now, if known. */
static void start_budget(void)
{
	deadline_tsc = tsc_freq.hz ? tsc_read() + (u64)cfg.budget * tsc_freq.hz : 0;
}

/*
 * Make the host map every page of the image (code, data, bss, stack, log
 * buffer) before the measurement window, so first-touch EPT violations do
 * not land inside scenario samples or make the sweep's counts depend on
 * how long the log lines are.
 */
static void pretouch_image(void)
{
	u32 a = (u32)_kernel_start & ~4095u, end = (u32)_kernel_end;

	for (; a < end; a += 4096)
		*(volatile u8 *)a = *(volatile u8 *)a;
}

/* ---- measurement (measure.c, verdict.c) ------------------------------ */

static struct sample samples[MAX_SAMPLES];
static struct calibration calib;

static void report_calibration(void)
{
	struct line *l;

	calibrate(&abi, counting, loop_cpuid, cfg.samples, &calib);
	l = rec("calibration:");
	kv_u64_opt(l, "query_exits", counting && calib.valid, (u64)calib.exits);
	kv_u64_opt(l, "query_cycles", counting && calib.valid, (u64)calib.cycles);
	kv_u64(l, "guest_cycles", calib.tsc < 0 ? 0 : (u64)calib.tsc);
	kv_u64_opt(l, "tsc_hz", tsc_freq.hz != 0, tsc_freq.hz);
	kv_str(l, "tsc_source", tsc_source_name(tsc_freq.source));
	emit();
}

static void append_vectors(struct line *l, u32 mask)
{
	u32 v, first = 1;

	for (v = 0; v < 32; v++) {
		if (!(mask & (1u << v)))
			continue;
		if (!first)
			line_char(l, ',');
		line_str(l, vector_name(v));
		first = 0;
	}
}

/* Set once the run's budget is spent; says so for every SKIP after it. */
static int budget_over(void)
{
	if (!budget_spent && deadline_tsc && tsc_read() > deadline_tsc)
		budget_spent = "the run budget (config: budget=) was spent before this scenario";
	return budget_spent != NULL;
}

/* Runs every sample under a trap arm: 1 if all ran, 0 if a stray
 * exception unwound them (arm says which), 2 if the budget ran out
 * between two samples (*taken says how many ran). Checked between
 * samples, outside every measurement. */
static int run_samples(const struct scenario *sc, struct trap_arm *arm, u32 *taken)
{
	u32 iters = cfg.iters;
	/* Written before and after the longjmp target, read after it. */
	volatile int ran = 0;
	volatile u32 s = 0;

	if (sc->enter)
		sc->enter();
	arm->insn = sc->insn_at;
	arm->insn_end = sc->insn_end;
	arm->faults = 0;
	arm->vectors = 0;
	trap_current = arm;
	if (probe_setjmp(arm->unwind) == 0) {
		arm->armed = 1;
		for (s = 0; s < cfg.samples; s++) {
			u32 arg = sc->arg ? sc->arg(&env, s, iters) : 0;

			if (budget_over())
				break;
			measure(&abi, counting, sc->loop, sc->reason, iters, arg, &samples[s]);
		}
		arm->armed = 0;
		ran = s < cfg.samples ? 2 : 1;
	}
	*taken = s;
	trap_current = NULL;
	if (sc->leave)
		sc->leave();
	return ran;
}

static void run_scenario(const struct scenario *sc)
{
	static struct trap_arm arm;
	const char *why = scenario_cannot_run(sc, &env, cfg.iters, cfg.samples);
	const struct sdm_reason *sr = sdm_lookup(sc->reason);
	const struct expect *x = host_expect(sc, &env);
	/* What the log's expect= shows when this mode decides nothing. */
	const struct expect *shown = x->kind == EXPECT_UNDECIDED ?
				     scenario_expect(sc, 0) : x;
	struct summary sum = { 0 };
	u32 iters = cfg.iters, taken = 0, bad;
	int ran = 0, aborted = 0, cut = 0, have, bounded;
	struct line *l, text;
	enum check_result res;

	arm.faults = 0;
	arm.vectors = 0;
	if (!why && budget_over())
		why = budget_spent;
	if (!why) {
		int r = run_samples(sc, &arm, &taken);

		aborted = r == 0;
		ran = r == 1;
		cut = r == 2;
		if (cut)
			why = "the run budget (config: budget=) ran out between its samples: not measured";
	}
	if (ran)
		summarise(samples, cfg.samples, sc->reason, iters, &calib, &sum);
	/* Counts are shown only from a majority of consistent samples. */
	have = ran && counting && calib.valid && summary_usable(&sum);

	l = rec("scenario:");
	kv_str(l, "id", sc->id);
	kv_u64(l, "reason", sc->reason);
	kv_str(l, "name", sr ? sr->name : "-");
	kv_quoted(l, "insn", sc->insn);
	kv_u64(l, "iters", iters);
	line_str(l, " expect=");
	line_str(l, expect_name(shown->kind));
	if (shown->kind != EXPECT_NONE) {
		line_char(l, ':');
		line_u64(l, shown->kind == EXPECT_EXACT ? shown->n : scenario_expected(shown, iters));
	}
	kv_u64_opt(l, "exits", have, sum.exits < 0 ? 0 : (u64)sum.exits);
	line_str(l, " per_iter=");
	if (have)
		line_fixed3(l, sum.exits < 0 ? 0 : (u64)sum.exits, iters);
	else
		line_char(l, '-');
	kv_u64_opt(l, "other", have, sum.other < 0 ? 0 : (u64)sum.other);
	kv_u64_opt(l, "host_cycles", have && sum.have_host_cycles, sum.host_cycles);
	kv_u64_opt(l, "guest_cycles", ran && sum.have_guest_cycles, (u64)sum.guest_cycles);
	/* Added within format 1: volatile, never calibrated (docs/serial-log.md). */
	kv_u64_opt(l, "async", have, (u64)sum.async);
	kv_u64_opt(l, "retries", ran && counting, sum.retries);
	/* Format 2: the range every sample is judged by, and how many samples
	 * the cycle figures come from. */
	kv_u64_opt(l, "min", have, sum.min < 0 ? 0 : (u64)sum.min);
	kv_u64_opt(l, "max", have, sum.max < 0 ? 0 : (u64)sum.max);
	kv_u64_opt(l, "clean", ran, sum.clean);
	emit();

	/*
	 * An exception the instruction under test must not raise is a broken
	 * loop or a broken host on every host, patched or not: a FAIL before
	 * any reason to skip the counts. One exception to it: #UD without a
	 * hypervisor (counting=none) says only that this CPU or emulator lacks
	 * the instruction (VMCALL outside VMX, RDPMC under QEMU TCG).
	 */
	bad = arm.vectors & ~sc->ok_vectors;
	if (env.counting == HOST_NONE && bad == (1u << 6)) {
		why = "#UD without a hypervisor: this CPU or emulator does not implement the instruction";
		bad = 0;
	}
	if (aborted) {
		l = check(CHECK_FAIL, sc->id);
		line_str(l, "aborted by ");
		line_str(l, vector_name(arm.stray_vector));
		line_str(l, " at eip=");
		line_hex32(l, arm.stray_eip);
	} else if (bad) {
		l = check(CHECK_FAIL, sc->id);
		line_str(l, "the instruction raised ");
		append_vectors(l, bad);
		line_str(l, ", which it should not here");
	} else if (why) {
		l = check(CHECK_SKIP, sc->id);
		line_str(l, why);
		if (cut) {
			line_str(l, " (");
			line_u64(l, taken);
			line_str(l, " of ");
			line_u64(l, cfg.samples);
			line_str(l, " samples taken)");
		}
	} else if (!counting) {
		l = check(CHECK_SKIP, sc->id);
		line_str(l, host_skip_text);
	} else {
		res = count_verdict(sc, x, iters, &sum, &calib, &text);
		l = check(res, sc->id);
		line_str(l, line_cstr(&text));
		bounded = x->kind == EXPECT_EXACT || x->kind == EXPECT_ATLEAST ||
			  x->kind == EXPECT_ATMOST;
		if (res == CHECK_PASS && bounded && sum.exits > 0 &&
		    sc->reason <= SDM_EXIT_REASON_MAX)
			covered[sc->reason] = 1;
	}
	if (arm.faults) {
		line_str(l, "; ");
		append_vectors(l, arm.vectors);
		line_str(l, " raised ");
		line_u64(l, arm.faults);
		line_str(l, " times by the instruction, caught");
	}
	emit();
}

/*
 * The coverage: record: the distinct exit reasons the probe itself caused
 * and checked, i.e. of scenarios whose count check PASSed with an exact or
 * bounded expectation and a non-zero median count. probe-log verify
 * computes it again from the scenario: records and their checks.
 */
static void report_coverage(void)
{
	struct line *l;
	u32 n, k = 0, first = 1;

	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++)
		k += covered[n];
	l = rec("coverage:");
	kv_u64(l, "reasons", k);
	line_str(l, " list=");
	if (!k)
		line_char(l, '-');
	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++) {
		if (!covered[n])
			continue;
		if (!first)
			line_char(l, ',');
		line_u64(l, n);
		first = 0;
	}
	emit();
}

/* ---- the sweep -------------------------------------------------------- */

static struct {
	u32 count;
	u64 cycles;
} sweep_base[SDM_EXIT_REASON_MAX + 1];

static struct {
	struct cpuid_regs cnt, cyc;
} sweep_now[SWEEP_COUNT];

/*
 * The probe's own UART accesses between the baseline's reads and the
 * sweep's: each one is exactly one IO_INSTRUCTION exit, subtracted from
 * that reason's count so that it stays the scenarios' (and stable: how
 * often the UART is polled depends on timing).
 */
static u32 uart_at_baseline, uart_at_sweep;

static void sweep_baseline(void)
{
	struct cpuid_regs r;
	u32 n;

	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++) {
		cpuid2(EXITPROBE_LEAF_COUNT, n, &r);
		sweep_base[n].count = r.a;
		cpuid2(EXITPROBE_LEAF_REASON_CYCLES, n, &r);
		sweep_base[n].cycles = join64(r.b, r.c);
	}
	uart_at_baseline = serial_port_accesses();
}

static void sweep_read(void)
{
	u32 i;

	uart_at_sweep = serial_port_accesses();
	for (i = 0; i < SWEEP_COUNT; i++) {
		cpuid2(EXITPROBE_LEAF_COUNT, sweep_reason(i), &sweep_now[i].cnt);
		cpuid2(EXITPROBE_LEAF_REASON_CYCLES, sweep_reason(i), &sweep_now[i].cyc);
	}
}

static void sweep_report(void)
{
	int patched = env.counting == HOST_PATCHED;
	struct line *l;
	u32 i;

	for (i = 0; i < SWEEP_COUNT; i++) {
		u32 n = sweep_reason(i);
		const struct sdm_reason *sr = sdm_lookup(n);
		const struct cpuid_regs *c = &sweep_now[i].cnt, *y = &sweep_now[i].cyc;
		int delta = patched && sr;
		u32 own = n == REASON_IO_INSTRUCTION ? uart_at_sweep - uart_at_baseline : 0;

		l = rec("sweep:");
		kv_u64(l, "reason", n);
		kv_str(l, "name", sr ? sr->name : "-");
		kv_str(l, "class", !sr ? "undefined" : sr->async ? "async" : "sync");
		kv_u64_opt(l, "count", delta,
			   delta ? (u32)(c->a - sweep_base[n].count - own) : 0);
		kv_u64_opt(l, "cycles", delta,
			   delta ? join64(y->b, y->c) - sweep_base[n].cycles : 0);
		kv_u64_opt(l, "abs_count", patched, c->a);
		kv_u64_opt(l, "abs_cycles", patched, join64(y->b, y->c));
		/* Read on every host: without a patched one this is whatever
		 * the CPU or hypervisor answers (e.g. the max basic leaf). */
		kv_hex32(l, "edx", c->d);
		/* Format 2: the probe's own exits taken out of count. */
		kv_u64_opt(l, "own", delta, own);
		emit();

		/* check name: sdm.defined.N / sdm.undefined.N */
		{
			struct line nm;
			u32 k;

			line_reset(&nm);
			line_str(&nm, sr ? "sdm.defined." : "sdm.undefined.");
			line_u64(&nm, n);
			if (!patched) {
				l = check(CHECK_SKIP, line_cstr(&nm));
				line_str(l, host_skip_text);
			} else if (sr) {
				int ok = c->b == 0 && c->c == 0 && c->d == 0 &&
					 y->a == 0 && y->d == 0;

				l = check(ok ? CHECK_PASS : CHECK_FAIL, line_cstr(&nm));
				line_str(l, ok ? "edx=0x00000000 on both leaves"
					       : "expected ebx=ecx=edx=0 (count) and eax=edx=0 (cycles), got edx=");
				if (!ok) {
					line_hex32(l, c->d);
					line_char(l, '/');
					line_hex32(l, y->d);
				}
			} else {
				int ok = c->a == 0 && c->b == 0 && c->c == 0 &&
					 c->d == EXITPROBE_UNDEFINED &&
					 y->a == 0 && y->b == 0 && y->c == 0 &&
					 y->d == EXITPROBE_UNDEFINED;

				l = check(ok ? CHECK_PASS : CHECK_FAIL, line_cstr(&nm));
				if (ok) {
					line_str(l, "edx=0xffffffff and eax=ebx=ecx=0 on both leaves");
				} else {
					line_str(l, "expected edx=0xffffffff and eax=ebx=ecx=0, got");
					for (k = 0; k < 2; k++) {
						const struct cpuid_regs *q = k ? y : c;

						line_char(l, ' ');
						line_hex32(l, q->a);
						line_char(l, ',');
						line_hex32(l, q->b);
						line_char(l, ',');
						line_hex32(l, q->c);
						line_char(l, ',');
						line_hex32(l, q->d);
					}
				}
			}
			emit();
		}
	}
}

/* ---- entry ------------------------------------------------------------ */

void probe_main(u32 magic, const struct multiboot_info *mbi)
{
	struct line *l;
	u32 i;
	int patched;

	/* Before anything that can fault: an exception then ends the run with
	 * a FAIL line instead of a silent triple fault. */
	trap_init();
	/* Then, so that no first touch of the image faults into the host
	 * later: not in the paging-mode observation, not in the window. */
	pretouch_image();
	serial_init();
	/* End whatever line the loader left open (GRUB leaves a bare '\r'),
	 * so exitprobe-begin starts a line of its own. */
	log_write("\n", 1);
	l = rec("exitprobe-begin");
	kv_u64(l, "format", LOG_FORMAT);
	kv_str(l, "probe", PROBE_VERSION);
	emit();
	if (magic != MULTIBOOT_MAGIC)
		mbi = NULL;
	if (mbi && (mbi->flags & MB_FLAG_MEM))
		env.mem_end = mbi->mem_upper < (0xfff00000u >> 10) ?
			(1u << 20) + mbi->mem_upper * 1024u : 0xfff00000u;
	report_cpu();
	/* Every sample is timed with RDTSC: without it nothing can run. */
	if (!(env.f1_edx & F1_EDX_TSC)) {
		l = check(CHECK_FAIL, "tsc");
		line_str(l, "CPUID.1:EDX.TSC=0: this CPU has no time-stamp counter, which the probe needs to time every sample");
		emit();
		report_finish(0);
	}
	/* The PIT and the machine first: the host: record's settings are
	 * observed with them (HLT needs a wake-up). */
	machine_init();
	timer_check();
	detect_host();
	patched = env.counting == HOST_PATCHED;
	report_config(mbi && (mbi->flags & MB_FLAG_CMDLINE) ? (const char *)mbi->cmdline : NULL);
	find_tsc_freq();

	/* After pic_init (no stray legacy vectors) and before the window. */
	apic_deadline_detect(&env, counting);

	/*
	 * The measurement window, to sweep_read(). The log is written as it
	 * is made, between samples: a probe that hangs shows how far it got.
	 */
	start_budget();
	if (patched)
		sweep_baseline();
	report_calibration();
	for (i = 0; i < scenario_count; i++)
		run_scenario(&scenarios[i]);
	sweep_read();

	sweep_report();
	report_coverage();
	report_finish(counting);
}
