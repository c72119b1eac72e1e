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

#define PROBE_VERSION	"0.3"
#define MULTIBOOT_MAGIC	0x2BADB002u
#define MB_FLAG_MEM	(1u << 0)
#define MB_FLAG_CMDLINE	(1u << 2)

struct multiboot_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
};

int cpu_has_lfence;
static struct probe_env env;
static struct config cfg = { DEFAULT_ITERS, DEFAULT_SAMPLES };
static const char *host_detail;
/* What every count-based SKIP says; the host: line has the full detail. */
static const char *host_skip_text = "no patched host";
static char host_detail_buf[160];
static char paging_detail_buf[160];
static u8 scratch[256] __attribute__((aligned(64)));

extern char _kernel_start[], _kernel_end[];

#define REASON_EXCEPTION_NMI	0
#define REASON_EPT_VIOLATION	48

/* ---- small helpers ---------------------------------------------------- */

static void regs_to_str(char *out, const u32 *regs, u32 n)
{
	u32 i, j = 0;

	for (i = 0; i < n; i++) {
		u32 k;

		for (k = 0; k < 4; k++) {
			char c = (char)(regs[i] >> (8 * k));

			out[j++] = c;
		}
	}
	out[j] = 0;
}

/* A bare-word value: stop at NUL, spaces become '_', others '?'. */
static void word_sanitize(char *s)
{
	for (; *s; s++)
		if (*s == ' ')
			*s = '_';
		else if (*s == '"' || *s < 0x20 || *s > 0x7e)
			*s = '?';
}

static s64 median_s64(s64 *v, u32 n)
{
	u32 i, j;

	for (i = 1; i < n; i++) {
		s64 x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	/* Lower median for even n: always a value that was observed. */
	return v[(n - 1) / 2];
}

static u64 div_s64_u32(s64 num, u32 den)
{
	return num <= 0 ? 0 : udiv64((u64)num, den, NULL);
}

/* ---- identification --------------------------------------------------- */

static void report_cpu(void)
{
	struct cpuid_regs r;
	u32 regs[12], fam, model, i;
	char vendor[13], brand[49];
	const char *b;
	struct line *l;

	cpuid2(0, 0, &r);
	env.max_basic = r.a;
	regs[0] = r.b, regs[1] = r.d, regs[2] = r.c;
	regs_to_str(vendor, regs, 3);
	word_sanitize(vendor);
	cpuid2(1, 0, &r);
	env.f1_ecx = r.c;
	env.f1_edx = r.d;
	fam = (r.a >> 8) & 0xf;
	model = (r.a >> 4) & 0xf;
	if (fam == 0xf)
		fam += (r.a >> 20) & 0xff;
	if (fam == 0x6 || fam >= 0xf)
		model |= ((r.a >> 16) & 0xf) << 4;
	l = rec("cpu:");
	kv_str(l, "vendor", vendor[0] ? vendor : "-");
	kv_hex32(l, "family", fam);
	kv_hex32(l, "model", model);
	kv_hex32(l, "stepping", r.a & 0xf);
	if (env.max_basic >= 7) {
		cpuid2(7, 0, &r);
		env.f7_ebx = r.b;
	}
	cpuid2(0x80000000u, 0, &r);
	if (r.a >= 0x80000001u && r.a < 0x8000ffffu) {
		struct cpuid_regs e;

		cpuid2(0x80000001u, 0, &e);
		env.f81_edx = e.d;
	}
	if (r.a >= 0x80000004u && r.a < 0x8000ffffu) {
		for (i = 0; i < 3; i++) {
			struct cpuid_regs e;

			cpuid2(0x80000002u + i, 0, &e);
			regs[4 * i] = e.a, regs[4 * i + 1] = e.b;
			regs[4 * i + 2] = e.c, regs[4 * i + 3] = e.d;
		}
		regs_to_str(brand, regs, 12);
		for (b = brand; *b == ' '; b++)
			;
		for (i = 0; brand[i]; i++)
			;
		while (i > 0 && brand[i - 1] == ' ')
			brand[--i] = 0;
		kv_quoted(l, "brand", *b ? b : "-");
	} else {
		kv_str(l, "brand", "-");
	}
	emit();
	cpu_has_lfence = !!(env.f1_edx & F1_EDX_SSE2);
}

static int sig_is(const char *sig, const char *want)
{
	while (*want)
		if (*sig++ != *want++)
			return 0;
	return *sig == 0;
}

static void detail_set(const char *a, const char *b, const char *c)
{
	struct line l;

	line_reset(&l);
	line_str(&l, a);
	line_str(&l, b);
	line_str(&l, c);
	for (l.len = 0; l.buf[l.len] && l.len < sizeof(host_detail_buf) - 1; l.len++)
		host_detail_buf[l.len] = l.buf[l.len];
	host_detail_buf[l.len] = 0;
	host_detail = host_detail_buf;
}

/*
 * The host's paging mode, from an observation independent of the
 * scenarios: write to PAGING_PROBE_PAGES pages nobody touched before (their
 * own 2 MiB region, below the ept.touch pool, above the image) and see which
 * reason the host's counters attribute the first-touch exits to. With EPT
 * they are EPT violations (at most one per page, fewer if the host maps
 * huge pages); with shadow paging KVM intercepts #PF (vmx_need_pf_intercept
 * is true when !enable_ept) and they are EXCEPTION_NMI exits. Neither, or
 * both, is "unknown": the scenarios whose expectation depends on the mode
 * then SKIP. Only the two counter leaves are read around the writes, and the
 * image is pretouched, so nothing else in the window can fault.
 */
static enum paging_mode detect_paging(char *detail, u32 size)
{
	struct cpuid_regs r;
	u32 exc0, ept0, exc, ept, i;
	enum paging_mode m;
	struct line d;

	line_reset(&d);
	if ((u32)_kernel_end > PAGING_PROBE_BASE ||
	    env.mem_end < PAGING_PROBE_BASE + PAGING_PROBE_PAGES * 4096) {
		line_str(&d, "no fresh pages to touch: the image or the end of RAM overlaps ");
		line_hex32(&d, PAGING_PROBE_BASE);
		m = PAGING_UNKNOWN;
		goto out;
	}
	cpuid2(EXITPROBE_LEAF_COUNT, REASON_EXCEPTION_NMI, &r);
	exc0 = r.a;
	cpuid2(EXITPROBE_LEAF_COUNT, REASON_EPT_VIOLATION, &r);
	ept0 = r.a;
	for (i = 0; i < PAGING_PROBE_PAGES; i++)
		*(volatile u32 *)(PAGING_PROBE_BASE + i * 4096) = i;
	cpuid2(EXITPROBE_LEAF_COUNT, REASON_EXCEPTION_NMI, &r);
	exc = r.a - exc0;
	cpuid2(EXITPROBE_LEAF_COUNT, REASON_EPT_VIOLATION, &r);
	ept = r.a - ept0;

	m = paging_decide(ept, exc, PAGING_PROBE_PAGES);
	line_u64(&d, PAGING_PROBE_PAGES);
	line_str(&d, " fresh pages at ");
	line_hex32(&d, PAGING_PROBE_BASE);
	line_str(&d, " written: ");
	line_u64(&d, ept);
	line_str(&d, " EPT_VIOLATION, ");
	line_u64(&d, exc);
	line_str(&d, " EXCEPTION_NMI exits");
out:
	for (i = 0; i + 1 < size && line_cstr(&d)[i]; i++)
		detail[i] = line_cstr(&d)[i];
	detail[i] = 0;
	return m;
}

static void detect_host(void)
{
	struct cpuid_regs r, top, a1, a2;
	char sig[13] = "none";
	struct line *l;
	int hv = !!(env.f1_ecx & F1_ECX_HYPERVISOR);
	u32 grew;
	int echoes;

	l = rec("hypervisor:");
	if (hv) {
		u32 regs[3];

		cpuid2(0x40000000u, 0, &r);
		regs[0] = r.b, regs[1] = r.c, regs[2] = r.d;
		regs_to_str(sig, regs, 3);
		word_sanitize(sig);
		kv_str(l, "signature", sig[0] ? sig : "-");
		kv_hex32(l, "max_leaf", r.a);
		env.kvm = sig_is(sig, "KVMKVMKVM");
	} else {
		kv_str(l, "signature", "none");
		kv_str(l, "max_leaf", "-");
	}
	emit();

	/*
	 * Unpatched KVM (and QEMU TCG) answer a leaf above the hypervisor
	 * range's maximum with the highest basic leaf; a patched KVM answers
	 * with counters, which grow between two reads (the first read is
	 * itself an exit).
	 */
	cpuid2(env.max_basic, 0, &top);
	cpuid2(EXITPROBE_LEAF_TOTAL, 0, &a1);
	cpuid2(EXITPROBE_LEAF_TOTAL, 0, &a2);
	grew = a2.a - a1.a;
	echoes = a1.a == top.a && a1.b == top.b && a1.c == top.c && a1.d == top.d;

	l = rec("host:");
	if (grew >= 1 && grew < 0x10000 && !echoes && a1.d == 0) {
		struct line d;

		env.counting = HOST_PATCHED;
		line_reset(&d);
		line_str(&d, "leaf 0x4fffffff counts exits: grew by ");
		line_u64(&d, grew);
		line_str(&d, " between two reads");
		detail_set(line_cstr(&d), "", "");
		kv_str(l, "counting", "patched");
	} else if (hv && !sig_is(sig, "TCGTCGTCGTCG")) {
		env.counting = HOST_UNPATCHED;
		detail_set("hypervisor ", sig,
			   echoes ? " does not count exits: leaf 0x4fffffff echoes the highest basic leaf"
				  : " does not count exits: leaf 0x4fffffff does not grow");
		kv_str(l, "counting", "unpatched");
	} else {
		env.counting = HOST_NONE;
		if (hv)
			detail_set("signature ", sig, " is an emulator (QEMU TCG): no VM exits to count");
		else
			detail_set("no hypervisor (CPUID.1:ECX[31]=0): bare metal or an emulator, no VM exits", "", "");
		kv_str(l, "counting", "none");
	}
	kv_quoted(l, "detail", host_detail);
	if (env.counting == HOST_PATCHED) {
		env.paging = detect_paging(paging_detail_buf, sizeof(paging_detail_buf));
	} else {
		env.paging = PAGING_NA;
	}
	kv_str(l, "paging", paging_name(env.paging));
	kv_quoted(l, "paging_detail", env.paging == PAGING_NA ?
		  "not measured without a patched host" : paging_detail_buf);
	emit();
	host_skip_text = env.counting == HOST_UNPATCHED ?
		"no patched host (counting=unpatched: the hypervisor does not answer the leaves)" :
		"no patched host (counting=none: no VM exits here)";
}

/* ---- configuration ---------------------------------------------------- */

static void bad_option(const char *why, const char *w, u32 len)
{
	struct line *l = check(CHECK_SKIP, "config");

	line_str(l, why);
	line_char(l, ' ');
	line_strn(l, w, len);
	line_str(l, " ignored");
	emit();
}

static void bad_option_quiet(const char *why, const char *w, u32 len)
{
	(void)why, (void)w, (void)len;
}

/* config: comes first, then one SKIP: config line per rejected word. */
static void report_config(const char *cmdline)
{
	struct config again = cfg;
	struct line *l;

	cmdline_parse(cmdline, &cfg, bad_option_quiet);
	l = rec("config:");
	kv_u64(l, "iters", cfg.iters);
	kv_u64(l, "samples", cfg.samples);
	emit();
	cmdline_parse(cmdline, &again, bad_option);
}

/* ---- machine setup ---------------------------------------------------- */

static void machine_init(void)
{
	trap_init();
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

/* ---- measurement ------------------------------------------------------ */

struct sample {
	s64 exits, other, async, cycles, tsc;
};

static struct sample samples[MAX_SAMPLES];
static struct {
	s64 exits, total, cycles, tsc;
} calib;

static void measure(const struct scenario *sc, u32 reason, u32 n, u32 arg, struct sample *out)
{
	struct snap a, b;
	u64 t0, t1;
	int patched = env.counting == HOST_PATCHED;

	if (patched)
		snap_read(reason, &a);
	t0 = rdtsc_serialized();
	sc->loop(n, arg);
	t1 = rdtsc_serialized();
	if (patched) {
		snap_read(reason, &b);
		/* b's retried reads (if any) are CPUID exits inside the
		 * window; a's happened before it. */
		out->exits = (u32)(b.count - a.count) - (reason == 10 ? b.extra : 0);
		out->async = (u32)(b.async - a.async);
		out->other = (u32)(b.total - a.total) - b.extra - out->async;
		out->cycles = (s64)(b.cycles - a.cycles);
	}
	out->tsc = (s64)(t1 - t0);
}

static const struct scenario calib_scenario = {
	.id = "calibration", .reason = 10, .loop = loop_cpuid,
	.insn_at = insn_cpuid, .insn_end = insn_cpuid_end,
};

static void calibrate(void)
{
	s64 e[MAX_SAMPLES], t[MAX_SAMPLES], c[MAX_SAMPLES], g[MAX_SAMPLES];
	int patched = env.counting == HOST_PATCHED;
	struct line *l;
	u32 s;

	for (s = 0; s < cfg.samples; s++) {
		struct sample x = { 0, 0, 0, 0, 0 };

		measure(&calib_scenario, 10, 0, 0, &x);
		e[s] = x.exits, t[s] = x.other, c[s] = x.cycles, g[s] = x.tsc;
	}
	calib.exits = median_s64(e, cfg.samples);
	calib.total = median_s64(t, cfg.samples);
	calib.cycles = median_s64(c, cfg.samples);
	calib.tsc = median_s64(g, cfg.samples);
	l = rec("calibration:");
	kv_u64_opt(l, "query_exits", patched, (u64)calib.exits);
	kv_u64_opt(l, "query_cycles", patched, (u64)calib.cycles);
	kv_u64(l, "guest_cycles", calib.tsc < 0 ? 0 : (u64)calib.tsc);
	emit();
}

static void append_expect(struct line *l, const struct expect *x, u32 iters)
{
	u32 want = scenario_expected(x, iters);

	switch (x->kind) {
	case EXPECT_EXACT:
		line_str(l, "exact ");
		line_u64(l, x->n);
		line_str(l, " per iteration");
		break;
	case EXPECT_ATLEAST:
		line_str(l, "at least ");
		line_u64(l, want);
		line_str(l, " per sample");
		break;
	case EXPECT_ATMOST:
		line_str(l, "at most ");
		line_u64(l, want);
		line_str(l, " per sample");
		break;
	default:
		line_str(l, "none expected");
	}
}

static int expectation_met(const struct expect *x, u32 iters, s64 exits)
{
	s64 want = scenario_expected(x, iters);

	switch (x->kind) {
	case EXPECT_EXACT:
		return exits == want;
	case EXPECT_ATLEAST:
		return exits >= want;
	case EXPECT_ATMOST:
		return exits >= 0 && exits <= want;
	default:
		return exits == 0;
	}
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

static void run_scenario(const struct scenario *sc)
{
	static struct trap_arm arm;
	const char *why = sc->cannot_run ? sc->cannot_run(&env, cfg.iters, cfg.samples) : NULL;
	const struct sdm_reason *sr = sdm_lookup(sc->reason);
	int patched = env.counting == HOST_PATCHED;
	const struct expect *x = scenario_expect(sc, env.paging);
	/* What the log's expect= shows when this mode decides nothing. */
	const struct expect *shown = x->kind == EXPECT_UNDECIDED ?
				     scenario_expect(sc, PAGING_EPT) : x;
	s64 ex[MAX_SAMPLES], ot[MAX_SAMPLES], as[MAX_SAMPLES], hc[MAX_SAMPLES];
	s64 gc[MAX_SAMPLES];
	s64 m_exits = 0, m_other = 0, m_async = 0, m_hc = 0, m_gc = 0;
	u32 s, n_hc = 0, iters = cfg.iters;
	int ran = 0, aborted = 0;
	struct line *l;

	if (!why) {
		if (sc->enter)
			sc->enter();
		arm.insn = sc->insn_at;
		arm.insn_end = sc->insn_end;
		arm.faults = 0;
		arm.vectors = 0;
		trap_current = &arm;
		if (probe_setjmp(arm.unwind) == 0) {
			arm.armed = 1;
			for (s = 0; s < cfg.samples; s++) {
				u32 arg = sc->arg ? sc->arg(&env, s, iters) : 0;

				samples[s].exits = samples[s].other = 0;
				samples[s].async = 0;
				samples[s].cycles = 0;
				measure(sc, sc->reason, iters, arg, &samples[s]);
			}
			arm.armed = 0;
			ran = 1;
		} else {
			aborted = 1;
		}
		trap_current = NULL;
		if (sc->leave)
			sc->leave();
	}

	if (ran) {
		for (s = 0; s < cfg.samples; s++) {
			struct sample *x = &samples[s];
			s64 e = x->exits - (sc->reason == 10 ? calib.exits : 0);
			s64 cyc = x->cycles - (sc->reason == 10 ? calib.cycles : 0);

			ex[s] = e;
			ot[s] = x->other - calib.total - e;
			as[s] = x->async;
			gc[s] = (s64)div_s64_u32(x->tsc - calib.tsc, iters);
			if (e > 0)
				hc[n_hc++] = (s64)div_s64_u32(cyc, (u32)e);
		}
		m_exits = median_s64(ex, cfg.samples);
		m_other = median_s64(ot, cfg.samples);
		m_async = median_s64(as, cfg.samples);
		m_gc = median_s64(gc, cfg.samples);
		if (n_hc)
			m_hc = median_s64(hc, n_hc);
	}

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
	kv_u64_opt(l, "exits", ran && patched, m_exits < 0 ? 0 : (u64)m_exits);
	line_str(l, " per_iter=");
	if (ran && patched)
		line_fixed3(l, m_exits < 0 ? 0 : (u64)m_exits, iters);
	else
		line_char(l, '-');
	kv_u64_opt(l, "other", ran && patched, m_other < 0 ? 0 : (u64)m_other);
	kv_u64_opt(l, "host_cycles", ran && patched && n_hc, (u64)m_hc);
	kv_u64_opt(l, "guest_cycles", ran, (u64)m_gc);
	/* Added within format 1: volatile, never calibrated (docs/serial-log.md). */
	kv_u64_opt(l, "async", ran && patched, (u64)m_async);
	emit();

	if (why) {
		l = check(CHECK_SKIP, sc->id);
		line_str(l, why);
		emit();
		return;
	}
	if (!patched) {
		l = check(CHECK_SKIP, sc->id);
		line_str(l, host_skip_text);
	} else if (aborted) {
		l = check(CHECK_FAIL, sc->id);
	} else if (arm.vectors & ~sc->ok_vectors) {
		l = check(CHECK_FAIL, sc->id);
		line_str(l, "the instruction raised ");
		append_vectors(l, arm.vectors & ~sc->ok_vectors);
		line_str(l, ", which it should not here");
	} else if (x->kind == EXPECT_UNDECIDED) {
		const struct expect *e = scenario_expect(sc, PAGING_EPT);
		const struct expect *sh = scenario_expect(sc, PAGING_SHADOW);

		l = check(CHECK_SKIP, sc->id);
		line_str(l, "the expectation depends on the host paging mode, unknown here: ");
		line_str(l, expect_name(e->kind));
		line_str(l, " with EPT, ");
		line_str(l, expect_name(sh->kind));
		if (sh->kind != EXPECT_NONE) {
			line_char(l, ':');
			line_u64(l, sh->kind == EXPECT_EXACT ? sh->n : scenario_expected(sh, iters));
		}
		line_str(l, " with shadow paging; measured ");
		line_u64(l, m_exits < 0 ? 0 : (u64)m_exits);
		line_str(l, " exits of reason ");
		line_u64(l, sc->reason);
	} else {
		int ok = m_exits >= 0 && expectation_met(x, iters, m_exits);

		l = check(ok ? CHECK_PASS : CHECK_FAIL, sc->id);
		line_u64(l, m_exits < 0 ? 0 : (u64)m_exits);
		line_str(l, " exits of reason ");
		line_u64(l, sc->reason);
		line_str(l, " for ");
		line_u64(l, iters);
		line_str(l, " iterations (");
		/* "none expected" already says what was wanted. */
		if (!ok && x->kind != EXPECT_NONE)
			line_str(l, "expected ");
		append_expect(l, x, iters);
		line_char(l, ')');
		if (m_exits < 0)
			line_str(l, "; the counter went backwards");
	}
	if (aborted) {
		line_str(l, patched ? "" : "; ");
		line_str(l, "aborted by ");
		line_str(l, vector_name(arm.stray_vector));
		line_str(l, " at eip=");
		line_hex32(l, arm.stray_eip);
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

/* ---- the sweep -------------------------------------------------------- */

static struct {
	u32 count;
	u64 cycles;
} sweep_base[SDM_EXIT_REASON_MAX + 1];

static struct {
	struct cpuid_regs cnt, cyc;
} sweep_now[SWEEP_COUNT];

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
}

static void sweep_read(void)
{
	u32 i;

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

		l = rec("sweep:");
		kv_u64(l, "reason", n);
		kv_str(l, "name", sr ? sr->name : "-");
		kv_str(l, "class", !sr ? "undefined" : sr->async ? "async" : "sync");
		kv_u64_opt(l, "count", delta, delta ? (u32)(c->a - sweep_base[n].count) : 0);
		kv_u64_opt(l, "cycles", delta,
			   delta ? join64(y->b, y->c) - sweep_base[n].cycles : 0);
		kv_u64_opt(l, "abs_count", patched, c->a);
		kv_u64_opt(l, "abs_cycles", patched, join64(y->b, y->c));
		/* Read on every host: without a patched one this is whatever
		 * the CPU or hypervisor answers (e.g. the max basic leaf). */
		kv_hex32(l, "edx", c->d);
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

	/* First, so that no first touch of the image faults into the host
	 * later: not in the paging-mode observation, not in the window. */
	pretouch_image();
	serial_init();
	/* End whatever line the loader left open (GRUB leaves a bare '\r'),
	 * so exitprobe-begin starts a line of its own. */
	log_write("\n", 1);
	l = rec("exitprobe-begin");
	kv_u64(l, "format", 1);
	kv_str(l, "probe", PROBE_VERSION);
	emit();
	if (magic != MULTIBOOT_MAGIC)
		mbi = NULL;
	if (mbi && (mbi->flags & MB_FLAG_MEM))
		env.mem_end = mbi->mem_upper < (0xfff00000u >> 10) ?
			(1u << 20) + mbi->mem_upper * 1024u : 0xfff00000u;
	report_cpu();
	detect_host();
	patched = env.counting == HOST_PATCHED;
	report_config(mbi && (mbi->flags & MB_FLAG_CMDLINE) ? (const char *)mbi->cmdline : NULL);

	machine_init();
	timer_check();

	/* The measurement window: from here to sweep_read(), the log goes to
	 * RAM so that writing it causes no exits. */
	log_defer(1);
	if (patched)
		sweep_baseline();
	calibrate();
	for (i = 0; i < scenario_count; i++)
		run_scenario(&scenarios[i]);
	sweep_read();
	log_defer(0);

	sweep_report();
	report_finish(patched);
}
