// SPDX-License-Identifier: GPL-2.0
/*
 * What the probe learns about the machine before it measures anything:
 * the CPU (cpu:), the hypervisor and whether it answers the leaves
 * (hypervisor:, host:), and the host settings that change what an
 * instruction does (paging mode, APIC mode, the exit gates). Everything
 * here runs before the measurement window; main.c runs the scenarios.
 */
#include "types.h"
#include "cpu.h"
#include "fmt.h"
#include "serial.h"
#include "trap.h"
#include "report.h"
#include "scenarios.h"
#include "hostctr.h"
#include "sdm.h"
#include "loops.h"
#include "scenhooks.h"
#include "measure.h"
#include "hostset.h"
#include "apic.h"
#include "hostdet.h"

int cpu_has_lfence;
struct probe_env env;
struct host_abi abi;
int counting;
const char *host_skip_text = "no patched host";
u32 hv_max_leaf;
static char host_detail_buf[200];
static char paging_detail_buf[160];

extern char _kernel_end[];


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

/* ---- identification --------------------------------------------------- */

void report_cpu(void)
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
		env.f7_ecx = r.c;
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


/* What a version 2 host said about itself, for host: detail. */
static void describe_ident(struct line *d)
{
	line_str(d, "leaf 0x4ffffffb: ABI version ");
	line_u64(d, abi.version);
	if (abi.scope == EXITPROBE_SCOPE_HOST)
		line_str(d, ", scope host: counts include the exits of every other VM on the host");
	else
		line_str(d, ", scope vm: counts are this VM's exits only");
	line_str(d, abi.counting_on ? ", counting on" :
		  ", counting off (kvm_intel.exit_stats=0): nothing to measure");
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
	line_copy(&d, detail, size);
	return m;
}

/*
 * Runs loop(n, arg) once between two counter snapshots of reason, under a
 * trap arm so that an exception it raises is caught rather than a panic,
 * and says whether the host intercepted the instruction. Runs before the
 * measurement window: these exits are in no scenario and before the
 * sweep's baseline.
 */
static enum gate_state observe_gate_ud(loop_fn loop, const char *at, const char *end,
				       u32 reason, u32 n, u32 arg, u32 ok_vectors)
{
	static struct trap_arm arm;
	static struct sample x;
	volatile int ran = 0;

	arm.insn = at;
	arm.insn_end = end;
	arm.faults = 0;
	arm.vectors = 0;
	trap_current = &arm;
	if (probe_setjmp(arm.unwind) == 0) {
		arm.armed = 1;
		measure(&abi, counting, loop, reason, n, arg, &x);
		arm.armed = 0;
		ran = 1;
	}
	trap_current = NULL;
	return ran && x.valid && !(arm.vectors & ~ok_vectors) && x.exits >= 0 ?
	       gate_decide((u32)x.exits, n) : GATE_NA;
}

static enum gate_state observe_gate(loop_fn loop, const char *at, const char *end,
				    u32 reason, u32 n, u32 arg)
{
	return observe_gate_ud(loop, at, end, reason, n, arg, 0);
}

/*
 * PAUSEs in a row for the pause-loop-exiting observation: PLE exits once a
 * spin outlasts KVM's ple_window (4096 cycles by default, grown per vCPU up
 * to ple_window_max), so the burst must last longer than that on any CPU.
 */
#define PAUSE_BURST	20000u

/*
 * The exits a host setting can switch off, each observed once by running
 * the instruction (CPUID does not say whether KVM intercepts it): HLT
 * (needs the PIT to wake it), MONITOR for MONITOR/MWAIT (the two go
 * together in KVM), a burst of PAUSE for pause-loop exiting.
 */
static void detect_gates(void)
{
	u32 g;

	for (g = 0; g < EXIT_GATES; g++)
		env.gate[g] = GATE_NA;
	if (!counting)
		return;
	if (env.timer_ok) {
		timer_start();
		env.gate[GATE_HLT] = observe_gate(loop_hlt, insn_hlt, insn_hlt_end,
						  REASON_HLT, 1, 0);
		timer_stop();
	}
	env.gate[GATE_MWAIT] = observe_gate(loop_monitor, insn_monitor, insn_monitor_end,
					    REASON_MONITOR, 1, env.scratch);
	env.gate[GATE_PAUSE] = observe_gate(loop_pause, insn_pause, insn_pause_end, REASON_PAUSE,
					    PAUSE_BURST, 0);
	/*
	 * SGDT with CR4.UMIP=1 at CPL 0 exits only where KVM emulates UMIP
	 * (the CPU lacks it: descriptor-table exiting while CR4.UMIP is set);
	 * a CPU with UMIP runs it in the guest. CPUID cannot tell the two.
	 */
	if (env.max_basic >= 7 && (env.f7_ecx & F7_ECX_UMIP)) {
		umip_on();
		env.gate[GATE_UMIP] = observe_gate(loop_sgdt, insn_sgdt, insn_sgdt_end,
						   REASON_GDTR_IDTR, 1, env.scratch);
		umip_off();
	}
	/* RDRAND/RDSEED hidden from CPUID: intercepted (then #UD injected) or
	 * a #UD in the guest; the gate tells the .hidden rows which. */
	if (!(env.f1_ecx & F1_ECX_RDRAND))
		env.gate[GATE_RDRAND] = observe_gate_ud(loop_rdrand, insn_rdrand, insn_rdrand_end,
							REASON_RDRAND, 1, 0, 1u << 6);
	if (!(env.max_basic >= 7 && (env.f7_ebx & F7_EBX_RDSEED)))
		env.gate[GATE_RDSEED] = observe_gate_ud(loop_rdseed, insn_rdseed, insn_rdseed_end,
							REASON_RDSEED, 1, 0, 1u << 6);
}

void detect_host(void)
{
	struct cpuid_regs r, top, a1, a2;
	char sig[13] = "none";
	struct line *l;
	int hv = !!(env.f1_ecx & F1_ECX_HYPERVISOR);
	enum ident_result ident;
	struct line d;
	u32 grew;
	int echoes, patched;

	l = rec("hypervisor:");
	if (hv) {
		u32 regs[3];

		cpuid2(0x40000000u, 0, &r);
		regs[0] = r.b, regs[1] = r.c, regs[2] = r.d;
		regs_to_str(sig, regs, 3);
		word_sanitize(sig);
		kv_str(l, "signature", sig[0] ? sig : "-");
		kv_hex32(l, "max_leaf", r.a);
		hv_max_leaf = r.a;
		env.kvm = sig_is(sig, "KVMKVMKVM");
	} else {
		kv_str(l, "signature", "none");
		kv_str(l, "max_leaf", "-");
	}
	emit();

	/*
	 * A version 2 host says so in the identification leaf. Otherwise:
	 * unpatched KVM (and QEMU TCG) answer a leaf above the hypervisor
	 * range's maximum with the highest basic leaf; a patched KVM answers
	 * with counters, which grow between two reads (the first read is
	 * itself an exit).
	 */
	ident = hostctr_ident(&abi);
	cpuid2(env.max_basic, 0, &top);
	cpuid2(EXITPROBE_LEAF_TOTAL, 0, &a1);
	cpuid2(EXITPROBE_LEAF_TOTAL, 0, &a2);
	grew = a2.a - a1.a;
	echoes = a1.a == top.a && a1.b == top.b && a1.c == top.c && a1.d == top.d;

	line_reset(&d);
	l = rec("host:");
	if (ident == IDENT_V2) {
		env.counting = HOST_PATCHED;
		counting = abi.counting_on;
		describe_ident(&d);
	} else if (grew >= 1 && grew < 0x10000 && !echoes && a1.d == 0) {
		env.counting = HOST_PATCHED;
		counting = 1;
		line_str(&d, "leaf 0x4fffffff counts exits: grew by ");
		line_u64(&d, grew);
		line_str(&d, " between two reads");
	} else if (hv && !sig_is(sig, "TCGTCGTCGTCG")) {
		env.counting = HOST_UNPATCHED;
		line_str(&d, "hypervisor ");
		line_str(&d, sig);
		line_str(&d, echoes ? " does not count exits: leaf 0x4fffffff echoes the highest basic leaf"
				    : " does not count exits: leaf 0x4fffffff does not grow");
	} else {
		env.counting = HOST_NONE;
		if (hv) {
			line_str(&d, "signature ");
			line_str(&d, sig);
			line_str(&d, " is an emulator (QEMU TCG): no VM exits to count");
		} else {
			line_str(&d, "no hypervisor (CPUID.1:ECX[31]=0): bare metal or an emulator, no VM exits");
		}
	}
	/* A signature with a version or scope we do not know: say so, and
	 * trust only what the version 1 leaves show. */
	if (ident == IDENT_MALFORMED) {
		line_str(&d, "; leaf 0x4ffffffb has the signature but version ");
		line_u64(&d, abi.raw.a);
		line_str(&d, " scope ");
		line_u64(&d, abi.raw.c);
		line_str(&d, ", not understood: version 1 leaves used");
	}
	line_copy(&d, host_detail_buf, sizeof(host_detail_buf));
	patched = env.counting == HOST_PATCHED;
	kv_str(l, "counting", patched ? "patched" :
	       env.counting == HOST_UNPATCHED ? "unpatched" : "none");
	kv_quoted(l, "detail", host_detail_buf);
	if (counting)
		env.paging = detect_paging(paging_detail_buf, sizeof(paging_detail_buf));
	else
		env.paging = PAGING_NA;
	kv_str(l, "paging", paging_name(env.paging));
	kv_quoted(l, "paging_detail", env.paging != PAGING_NA ? paging_detail_buf :
		  patched ? "not measured: counting is off on the host" :
		  "not measured without a patched host");
	/* Added within format 1 (probe 0.4): what the host says it is. */
	kv_u64_opt(l, "abi", patched, abi.version ? abi.version : 1);
	kv_str(l, "scope", !abi.version ? "-" :
	       abi.scope == EXITPROBE_SCOPE_HOST ? "host" : "vm");
	kv_str(l, "exit_stats", !patched ? "-" : counting ? "on" : "off");
	/* Format 2: the settings that change what an instruction does. */
	detect_gates();
	kv_str(l, "hlt_exits", gate_name(env.gate[GATE_HLT]));
	kv_str(l, "mwait_exits", gate_name(env.gate[GATE_MWAIT]));
	kv_str(l, "pause_exits", gate_name(env.gate[GATE_PAUSE]));
	{
		char pmu[16];
		struct cpuid_regs p = { 0, 0, 0, 0 };

		if (env.max_basic >= 0xa)
			cpuid2(0xa, 0, &p);
		pmu_describe(env.max_basic, p.a, pmu, sizeof(pmu));
		kv_str(l, "pmu", pmu);
	}
	kv_str(l, "nested", env.f1_ecx & F1_ECX_VMX ? "vmx" : "none");
	kv_u64_opt(l, "max_reason", abi.version >= 2, abi.max_reason);
	/* How the host virtualizes the local APIC, observed like paging
	 * (apic.c apic_detect). */
	env.apic = apic_detect(&env, counting);
	kv_str(l, "apic", apic_mode_name(env.apic));
	kv_str(l, "umip_exits", gate_name(env.gate[GATE_UMIP]));
	kv_str(l, "rdrand_exits", gate_name(env.gate[GATE_RDRAND]));
	kv_str(l, "rdseed_exits", gate_name(env.gate[GATE_RDSEED]));
	emit();
	host_skip_text = patched ?
		"counting is off on the host (leaf 0x4ffffffb, kvm_intel.exit_stats=0): the counters do not move" :
		env.counting == HOST_UNPATCHED ?
		"no patched host (counting=unpatched: the hypervisor does not answer the leaves)" :
		"no patched host (counting=none: no VM exits here)";
}

