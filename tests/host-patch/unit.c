// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit tests of the host patch's logic file. The kernel file
 * (host-patch/src/exit_stats.c, the master copy that test-host-patch-series
 * proves each series carries byte for byte) is compiled as-is against the
 * shims in shim/, included here so the tests can see its static state.
 *
 * Output: PASS:/FAIL: lines, one per check; exit status 1 if any failed.
 */
#include <pthread.h>

#include "../../host-patch/src/exit_stats.c"
#include "../../common/exitprobe-abi.h"

/* ---- shim state and functions ------------------------------------------ */
__thread int shim_cpu;
__thread u64 shim_tsc;
int shim_get_cpu_depth[SHIM_NR_CPUS];
static struct dentry shim_kvm_dir, shim_file_dentry;
static const struct file_operations *shim_fops;
static struct seq_file *shim_seq;

int seq_puts(struct seq_file *m, const char *s)
{
	return seq_printf(m, "%s", s);
}

int seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->len, sizeof(m->buf) - m->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		m->len += (size_t)n;
	return 0;
}

int single_open(struct file *file, int (*show)(struct seq_file *m, void *v),
		void *data)
{
	shim_seq->len = 0;
	file->private_data = shim_seq;
	return show(shim_seq, data);
}

ssize_t seq_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	(void)file; (void)buf; (void)len; (void)ppos;
	return 0;
}

loff_t seq_lseek(struct file *file, loff_t off, int whence)
{
	(void)file; (void)whence;
	return off;
}

int single_release(struct inode *inode, struct file *file)
{
	(void)inode; (void)file;
	return 0;
}

struct dentry *debugfs_lookup(const char *name, struct dentry *parent)
{
	return (!parent && !strcmp(name, "kvm")) ? &shim_kvm_dir : NULL;
}

struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops)
{
	(void)data;
	if (parent != &shim_kvm_dir || strcmp(name, "exit_stats") || mode != 0600)
		return NULL;
	shim_fops = fops;
	return &shim_file_dentry;
}

void debugfs_remove(struct dentry *d)
{
	if (d == &shim_file_dentry)
		shim_fops = NULL;
}

void dput(struct dentry *d)
{
	(void)d;
}

/* ---- test helpers --------------------------------------------------------- */
static int failures;

#define CHECK(name, cond, ...)						\
	do {								\
		if (cond) {						\
			printf("PASS: %s: ", name);			\
		} else {						\
			printf("FAIL: %s: ", name);			\
			failures++;					\
		}							\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	} while (0)

struct regs {
	u32 eax, ebx, ecx, edx;
};

/* CPUID as the guest would execute it; returns whether the leaf was ours. */
static bool cpuid(u32 leaf, u32 subleaf, struct regs *r)
{
	r->eax = leaf;
	r->ecx = subleaf;
	r->ebx = 0xdeadbeef;	/* stale values that must not survive */
	r->edx = 0xcafef00d;
	return vmx_exit_stats_cpuid(NULL, &r->eax, &r->ebx, &r->ecx, &r->edx);
}

/* The SDM table as common/sdm-exit-reasons.def states it. */
static const char *def_names[SDM_EXIT_REASON_MAX + 1] = {
#define SDM_EXIT_REASON(nr, ident, class, desc) [nr] = #ident,
#include "../../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};

/* A fake exit-handler table: some reasons handled, 80 entries like KVM's. */
static int fake_handler(struct kvm_vcpu *vcpu)
{
	(void)vcpu;
	return 1;
}

#define FAKE_NR_HANDLERS 80
static vmx_exit_handler_t fake_handlers[FAKE_NR_HANDLERS];

static bool fake_has_handler(unsigned int n)
{
	return n < FAKE_NR_HANDLERS && fake_handlers[n];
}

static bool expect_enabled(unsigned int n)
{
	return n <= SDM_EXIT_REASON_MAX && def_names[n] && fake_has_handler(n);
}

/*
 * One VM-Exit through the slow path: exit at @t, hand-off to irqoff after
 * @seg1 cycles, @gap cycles with IRQs on (must not count), then the exit
 * handler takes @seg2 cycles.
 */
static struct vmx_exit_stats_vcpu vcpu0;

static void slow_exit(struct vmx_exit_stats_vcpu *es, u32 reason, u64 seg1,
		      u64 gap, u64 seg2)
{
	vmx_exit_stats_vcpu_run(es, 0x12345678);	/* nothing pending */
	vmx_exit_stats_vm_exit(es);
	shim_tsc += seg1;
	vmx_exit_stats_exit_irqoff(es);
	shim_tsc += gap;
	vmx_exit_stats_handle_start(es);
	shim_tsc += seg2;
	vmx_exit_stats_handle_end(es, reason);
	shim_tsc += 1000;	/* userspace, HLT, next entry: not counted */
}

/* One VM-Exit handled in the fastpath; KVM re-enters after @cost cycles. */
static void fast_exit(struct vmx_exit_stats_vcpu *es, u32 reason, u64 cost)
{
	vmx_exit_stats_vm_exit(es);
	shim_tsc += cost;
	vmx_exit_stats_vcpu_run(es, reason);
}

static void raw(unsigned int i, u64 *count, u64 *cycles)
{
	int cpu;

	*count = *cycles = 0;
	for_each_possible_cpu(cpu) {
		*count += vmx_exit_stats_pcpu[cpu].count[i];
		*cycles += vmx_exit_stats_pcpu[cpu].cycles[i];
	}
}

static void reset_via_debugfs(void)
{
	struct file f;
	loff_t pos = 0;
	ssize_t r = shim_fops->write(&f, "0\n", 2, &pos);

	if (r != 2)
		printf("FAIL: debugfs-write: returned %zd for 2 bytes\n", r), failures++;
}

static const char *show_via_debugfs(void)
{
	struct inode ino;
	struct file f;

	shim_fops->open(&ino, &f);
	return shim_seq->buf;
}

/* ---- tests -------------------------------------------------------------- */

static void test_table(void)
{
	unsigned int n, bad = 0, ndef = 0;

	CHECK("sdm-table-size", VMX_EXIT_STATS_MAX_REASON == SDM_EXIT_REASON_MAX,
	      "kernel max %d, common/exitprobe-abi.h max %d",
	      VMX_EXIT_STATS_MAX_REASON, SDM_EXIT_REASON_MAX);
	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++) {
		const char *k = vmx_exit_stats_names[n], *d = def_names[n];

		ndef += !!d;
		if ((!k != !d) || (k && strcmp(k, d))) {
			if (bad++ < 5)
				printf("  reason %u: kernel %s, .def %s\n", n,
				       k ? k : "(undefined)", d ? d : "(undefined)");
		}
	}
	CHECK("sdm-table-names", bad == 0,
	      "%u of %d reasons match common/sdm-exit-reasons.def (%u defined)",
	      SDM_EXIT_REASON_MAX + 1 - bad, SDM_EXIT_REASON_MAX + 1, ndef);
	CHECK("abi-leaf-numbers",
	      VMX_EXIT_STATS_LEAF_TOTAL == EXITPROBE_LEAF_TOTAL &&
	      VMX_EXIT_STATS_LEAF_CYCLES == EXITPROBE_LEAF_CYCLES &&
	      VMX_EXIT_STATS_LEAF_COUNT == EXITPROBE_LEAF_COUNT &&
	      VMX_EXIT_STATS_LEAF_REASON_CYCLES == EXITPROBE_LEAF_REASON_CYCLES &&
	      VMX_EXIT_STATS_UNDEFINED == EXITPROBE_UNDEFINED,
	      "kernel leaf constants equal common/exitprobe-abi.h");
}

static void test_setup(void)
{
	unsigned int n, bad = 0, nen = 0;

	for (n = 0; n < FAKE_NR_HANDLERS; n++)
		if (n % 3 != 0 && n != 35 /* undefined, but has a handler */)
			fake_handlers[n] = fake_handler;
	fake_handlers[35] = fake_handler;
	CHECK("setup", vmx_exit_stats_setup(fake_handlers, FAKE_NR_HANDLERS) == 0,
	      "vmx_exit_stats_setup() succeeds");
	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++) {
		nen += vmx_exit_stats_enabled[n];
		if (vmx_exit_stats_enabled[n] != expect_enabled(n))
			bad++;
	}
	CHECK("enabled-from-handler-table", bad == 0,
	      "%u reasons enabled = defined by SDM and handled in the table; %u mismatches",
	      nen, bad);
	vmx_exit_stats_debugfs_init();
	CHECK("debugfs-create", shim_fops != NULL,
	      "kvm/exit_stats created with mode 0600");
}

/* Exact register results for every reason, for both per-reason leaves. */
static void check_all_leaves(const char *tag, const u64 *cnt, const u64 *cyc,
			     u64 tot_cnt, u64 tot_cyc)
{
	unsigned int n, bad = 0;
	struct regs r;
	char name[64];

	for (n = 0; n <= SDM_EXIT_REASON_MAX + 1; n++) {
		struct regs want_c = { 0 }, want_t = { 0 };
		bool ok1, ok2;

		if (n > SDM_EXIT_REASON_MAX || !def_names[n]) {
			want_c.edx = want_t.edx = EXITPROBE_UNDEFINED;
		} else if (expect_enabled(n)) {
			want_c.eax = (u32)cnt[n];
			want_t.ebx = (u32)(cyc[n] >> 32);
			want_t.ecx = (u32)cyc[n];
		}
		ok1 = cpuid(EXITPROBE_LEAF_COUNT, n, &r) &&
		      !memcmp(&r, &want_c, sizeof(r));
		if (!ok1 && bad < 5)
			printf("  COUNT(%u) = %08x %08x %08x %08x, want %08x %08x %08x %08x\n",
			       n, r.eax, r.ebx, r.ecx, r.edx,
			       want_c.eax, want_c.ebx, want_c.ecx, want_c.edx);
		ok2 = cpuid(EXITPROBE_LEAF_REASON_CYCLES, n, &r) &&
		      !memcmp(&r, &want_t, sizeof(r));
		if (!ok2 && bad < 5)
			printf("  REASON_CYCLES(%u) = %08x %08x %08x %08x, want %08x %08x %08x %08x\n",
			       n, r.eax, r.ebx, r.ecx, r.edx,
			       want_t.eax, want_t.ebx, want_t.ecx, want_t.edx);
		bad += !ok1 + !ok2;
	}
	snprintf(name, sizeof(name), "%s-per-reason-leaves", tag);
	CHECK(name, bad == 0,
	      "leaves 0x4ffffffd/c exact for reasons 0..%d (%u mismatches)",
	      SDM_EXIT_REASON_MAX + 1, bad);

	snprintf(name, sizeof(name), "%s-total-leaf", tag);
	CHECK(name, cpuid(EXITPROBE_LEAF_TOTAL, 0x55, &r) &&
	      r.eax == (u32)tot_cnt && r.ebx == (u32)(tot_cyc >> 32) &&
	      r.ecx == (u32)tot_cyc && r.edx == 0,
	      "0x4fffffff = %08x %08x %08x %08x for %llu exits, %llu cycles",
	      r.eax, r.ebx, r.ecx, r.edx, tot_cnt, tot_cyc);
	snprintf(name, sizeof(name), "%s-cycles-leaf", tag);
	CHECK(name, cpuid(EXITPROBE_LEAF_CYCLES, 0xffffffff, &r) &&
	      r.eax == 0 && r.ebx == (u32)(tot_cyc >> 32) &&
	      r.ecx == (u32)tot_cyc && r.edx == 0,
	      "0x4ffffffe = %08x %08x %08x %08x", r.eax, r.ebx, r.ecx, r.edx);
}

static void check_debugfs(const char *tag, const u64 *cnt, const u64 *cyc,
			  u64 tot_cnt, u64 tot_cyc)
{
	static char want[65536];
	const char *got;
	size_t len = 0;
	unsigned int n;
	char name[64];

	len += sprintf(want + len, "# reason name count cycles\n");
	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++)
		len += sprintf(want + len, "%u %s %llu %llu\n", n,
			       def_names[n] ? def_names[n] : "-", cnt[n], cyc[n]);
	sprintf(want + len, "total - %llu %llu\n", tot_cnt, tot_cyc);
	got = show_via_debugfs();
	snprintf(name, sizeof(name), "%s-debugfs", tag);
	CHECK(name, !strcmp(got, want),
	      "kvm/exit_stats text is exactly the documented format (%zu bytes)",
	      strlen(got));
	if (strcmp(got, want))
		printf("  got:\n%.400s\n  want:\n%.400s\n", got, want);
}

static void test_counting(void)
{
	static u64 cnt[SDM_EXIT_REASON_MAX + 1], cyc[SDM_EXIT_REASON_MAX + 1];
	u64 tot_cnt = 0, tot_cyc = 0, c, t;
	unsigned int n, k;

	shim_tsc = 1000000;
	/* Reason n exits n % 4 + 1 times, spread over the CPUs. */
	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++) {
		for (k = 0; k <= n % 4; k++) {
			u64 s1 = 100 + n, s2 = 7 * k + 3;

			shim_cpu = (n + k) % SHIM_NR_CPUS;
			if (k == 1) {
				fast_exit(&vcpu0, n, s1);
				s2 = 0;
			} else {
				slow_exit(&vcpu0, n, s1, 5000, s2);
			}
			cnt[n]++;
			cyc[n] += s1 + s2;
		}
		tot_cnt += n % 4 + 1;
	}
	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++)
		tot_cyc += cyc[n];
	/* Exits whose basic reason is above the table count in totals only. */
	shim_cpu = 3;
	slow_exit(&vcpu0, 0xdead, 11, 0, 0);		/* KVM's VMfail marker */
	slow_exit(&vcpu0, 86, 12, 0, 0);
	slow_exit(&vcpu0, 0xffff, 13, 0, 0);
	fast_exit(&vcpu0, 0x0001ffff, 14);
	/* Full exit reason, bit 31 (VM-entry failure) set: basic 33. */
	slow_exit(&vcpu0, 0x80000021, 15, 0, 0);
	cnt[33]++;
	cyc[33] += 15;
	tot_cnt += 5;
	tot_cyc += 11 + 12 + 13 + 14 + 15;

	raw(VMX_EXIT_STATS_TOTAL, &c, &t);
	CHECK("count-every-exit", c == tot_cnt && t == tot_cyc,
	      "raw per-CPU totals %llu exits / %llu cycles, expected %llu / %llu",
	      c, t, tot_cnt, tot_cyc);
	check_all_leaves("counting", cnt, cyc, tot_cnt, tot_cyc);
	check_debugfs("counting", cnt, cyc, tot_cnt, tot_cyc);

	/* Per-CPU sums: each CPU got some, none got all. */
	{
		int cpu, used = 0;
		u64 sum = 0;

		for_each_possible_cpu(cpu) {
			u64 v = vmx_exit_stats_pcpu[cpu].count[VMX_EXIT_STATS_TOTAL];

			used += v != 0 && v != tot_cnt;
			sum += v;
		}
		CHECK("per-cpu-sum", used == SHIM_NR_CPUS && sum == tot_cnt,
		      "%d CPUs hold partial counts summing to %llu", used, sum);
	}
	{
		int d, bad = 0;

		for (d = 0; d < SHIM_NR_CPUS; d++)
			bad += shim_get_cpu_depth[d] != 0;
		CHECK("preempt-balance", bad == 0,
		      "get_cpu_ptr()/put_cpu_ptr() balanced on every CPU");
	}
}

static void test_paths(void)
{
	struct vmx_exit_stats_vcpu es = { 0 };
	u64 c0, t0, c, t;

	shim_cpu = 0;
	raw(VMX_EXIT_STATS_TOTAL, &c0, &t0);

	/* Synthesized invalid-state exit: no VM-Entry, handler runs. */
	vmx_exit_stats_vcpu_run(&es, 0x80000021);
	vmx_exit_stats_exit_irqoff(&es);
	vmx_exit_stats_handle_start(&es);
	shim_tsc += 50;
	vmx_exit_stats_handle_end(&es, 0x80000021);
	raw(VMX_EXIT_STATS_TOTAL, &c, &t);
	CHECK("no-vmentry-not-counted", c == c0 && t == t0,
	      "an exit synthesized without VM-Entry is not counted");

	/* Fastpath said re-enter, then KVM saw a pending request and went
	 * through handle_exit_irqoff()/handle_exit() instead: count once. */
	vmx_exit_stats_vm_exit(&es);
	shim_tsc += 40;
	vmx_exit_stats_exit_irqoff(&es);
	shim_tsc += 999;
	vmx_exit_stats_handle_start(&es);
	shim_tsc += 2;
	vmx_exit_stats_handle_end(&es, 32);
	vmx_exit_stats_handle_end(&es, 32);	/* a stray second call */
	vmx_exit_stats_vcpu_run(&es, 32);	/* next entry */
	raw(VMX_EXIT_STATS_TOTAL, &c, &t);
	CHECK("fastpath-then-handler-once", c == c0 + 1 && t == t0 + 42,
	      "counted %llu time(s) with %llu cycles (want 1, 42)", c - c0, t - t0);

	/* Segment 2 migrated to a CPU whose TSC is behind: no wraparound. */
	vmx_exit_stats_vm_exit(&es);
	shim_tsc += 10;
	vmx_exit_stats_exit_irqoff(&es);
	vmx_exit_stats_handle_start(&es);
	shim_tsc -= 500;
	vmx_exit_stats_handle_end(&es, 32);
	shim_tsc += 1000;
	raw(VMX_EXIT_STATS_TOTAL, &c, &t);
	CHECK("tsc-behind-ignored", c == c0 + 2 && t == t0 + 52,
	      "a negative TSC delta adds nothing (got +%llu cycles, want +10)",
	      t - t0 - 42);
}

static void test_split_join(void)
{
	struct vmx_exit_stats_vcpu es = { 0 };
	const u64 big = 0x123456789abcdefULL;
	u64 c, t, before_c, before_t;
	struct regs r;

	reset_via_debugfs();
	shim_cpu = 5;
	raw(VMX_EXIT_STATS_TOTAL, &before_c, &before_t);
	slow_exit(&es, 10, big, 0, 1);	/* CPUID, enabled in the fake table */
	CHECK("split-total-cycles",
	      cpuid(EXITPROBE_LEAF_CYCLES, 0, &r) &&
	      (((u64)r.ebx << 32) | r.ecx) == big + 1 && r.eax == 0 && r.edx == 0,
	      "ebx:ecx = %08x:%08x joins to %#llx", r.ebx, r.ecx, big + 1);
	CHECK("split-reason-cycles",
	      cpuid(EXITPROBE_LEAF_REASON_CYCLES, 10, &r) &&
	      (((u64)r.ebx << 32) | r.ecx) == big + 1 && r.eax == 0 && r.edx == 0,
	      "reason 10: ebx:ecx = %08x:%08x", r.ebx, r.ecx);
	/* A count beyond 32 bits: eax carries the low 32 bits. */
	vmx_exit_stats_pcpu[6].count[10] += 0x100000000ULL;
	vmx_exit_stats_pcpu[6].count[VMX_EXIT_STATS_TOTAL] += 0x200000000ULL;
	CHECK("count-low-32-bits",
	      cpuid(EXITPROBE_LEAF_COUNT, 10, &r) && r.eax == 1 &&
	      cpuid(EXITPROBE_LEAF_TOTAL, 0, &r) && r.eax == 1,
	      "counts of 2^32+1 and 2^33+1 read as eax = 1");
	show_via_debugfs();
	CHECK("debugfs-64-bit", strstr(shim_seq->buf, "\n10 CPUID 4294967297 81985529216486896\n") &&
	      strstr(shim_seq->buf, "\ntotal - 8589934593 81985529216486896\n"),
	      "debugfs shows full 64-bit values");
	vmx_exit_stats_pcpu[6].count[10] -= 0x100000000ULL;
	vmx_exit_stats_pcpu[6].count[VMX_EXIT_STATS_TOTAL] -= 0x200000000ULL;

	/* Reset: zero for readers, but other CPUs' counters are not written. */
	raw(VMX_EXIT_STATS_TOTAL, &c, &t);
	reset_via_debugfs();
	raw(VMX_EXIT_STATS_TOTAL, &before_c, &before_t);
	CHECK("reset-no-remote-writes", c == before_c && t == before_t,
	      "reset leaves the per-CPU counters alone");
	{
		static const u64 zero[SDM_EXIT_REASON_MAX + 1];

		check_all_leaves("after-reset", zero, zero, 0, 0);
		check_debugfs("after-reset", zero, zero, 0, 0);
	}
	slow_exit(&es, 13, 3, 0, 4);
	CHECK("count-after-reset", cpuid(EXITPROBE_LEAF_COUNT, 13, &r) && r.eax == 1 &&
	      cpuid(EXITPROBE_LEAF_REASON_CYCLES, 13, &r) && r.ecx == 7 &&
	      cpuid(EXITPROBE_LEAF_TOTAL, 0, &r) && r.eax == 1 && r.ecx == 7,
	      "one exit after a reset reads as one exit, 7 cycles");
}

/* The guest controls ecx: every value must give the defined answer. */
static bool ecx_ok(u32 leaf, u32 ecx)
{
	struct regs r, want = { 0 };

	if (ecx > SDM_EXIT_REASON_MAX || !def_names[ecx]) {
		want.edx = EXITPROBE_UNDEFINED;
	} else if (expect_enabled(ecx)) {
		u64 c, t;

		vmx_exit_stats_read(ecx, &c, &t);
		if (leaf == EXITPROBE_LEAF_COUNT) {
			want.eax = (u32)c;
		} else {
			want.ebx = (u32)(t >> 32);
			want.ecx = (u32)t;
		}
	}
	return cpuid(leaf, ecx, &r) && !memcmp(&r, &want, sizeof(r));
}

static void test_ecx(void)
{
	static const u32 leaves[] = { EXITPROBE_LEAF_COUNT,
				      EXITPROBE_LEAF_REASON_CYCLES };
	unsigned long long tried = 0, bad = 0;
	unsigned int l, k;
	u32 ecx;

	for (l = 0; l < 2; l++) {
		for (ecx = 0; ecx <= 0xffff; ecx++, tried++)
			bad += !ecx_ok(leaves[l], ecx);
		for (k = 0; k < 32; k++, tried += 3) {
			bad += !ecx_ok(leaves[l], 1U << k);
			bad += !ecx_ok(leaves[l], ~(1U << k));
			bad += !ecx_ok(leaves[l], (1U << k) | 10);
		}
		bad += !ecx_ok(leaves[l], 0xffffffff);
		bad += !ecx_ok(leaves[l], 0x80000000);
		bad += !ecx_ok(leaves[l], SDM_EXIT_REASON_MAX + 1);
		bad += !ecx_ok(leaves[l], 0x100000000ULL - SDM_EXIT_REASON_MAX);
		tried += 4;
	}
	CHECK("ecx-sweep", bad == 0,
	      "%llu guest ecx values (0..0xffff, single bits, inverted bits, all ones) on both per-reason leaves, %llu wrong",
	      tried, bad);
}

/*
 * All 2^32 values of ecx on both per-reason leaves (a few seconds): values
 * above the table take the same branch, so they are checked against the
 * fixed answer, the table's own values with ecx_ok().
 */
static void test_ecx_exhaustive(void)
{
	static const u32 leaves[] = { EXITPROBE_LEAF_COUNT,
				      EXITPROBE_LEAF_REASON_CYCLES };
	unsigned long long bad = 0;
	unsigned int l;

	for (l = 0; l < 2; l++) {
		u32 ecx = 0;

		do {
			u32 a = leaves[l], b = 0xdeadbeef, c = ecx, d = 1;

			if (ecx <= SDM_EXIT_REASON_MAX) {
				bad += !ecx_ok(leaves[l], ecx);
				continue;
			}
			bad += !vmx_exit_stats_cpuid(NULL, &a, &b, &c, &d) ||
			       a || b || c || d != EXITPROBE_UNDEFINED;
		} while (++ecx != 0);
	}
	CHECK("ecx-exhaustive", bad == 0,
	      "all 2^32 guest ecx values on both per-reason leaves, %llu wrong",
	      bad);
}

static void test_other_leaves(void)
{
	static const u32 others[] = { 0, 1, 7, 0xb, 0xd, 0x40000000,
				      0x40000001, 0x4ffffffb, 0x50000000,
				      0x3fffffff, 0x80000000, 0x80000008,
				      0xcffffffd, 0x4fffffff ^ 0x80000000,
				      0xffffffff };
	unsigned int i, bad = 0;
	struct regs r;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		bool claimed = cpuid(others[i], 3, &r);

		if (claimed || r.eax != others[i] || r.ebx != 0xdeadbeef ||
		    r.ecx != 3 || r.edx != 0xcafef00d)
			bad++;
	}
	CHECK("other-leaves-untouched", bad == 0,
	      "%zu other leaves are not claimed and their registers are not touched",
	      sizeof(others) / sizeof(others[0]));

	WRITE_ONCE(exit_stats_leaves, false);
	bad = 0;
	for (i = 0; i < 4; i++)
		bad += cpuid(0x4ffffffc + i, 10, &r) || r.eax != 0x4ffffffc + i ||
		       r.ebx != 0xdeadbeef || r.ecx != 10 || r.edx != 0xcafef00d;
	WRITE_ONCE(exit_stats_leaves, true);
	CHECK("param-off", bad == 0,
	      "exit_stats_leaves=0: the four leaves fall through to the normal lookup");
}

/* ---- concurrency ---------------------------------------------------------- */
#define WRITERS 4
#define EXITS_PER_WRITER 400000

static volatile int stop_readers;
static unsigned long long reader_iterations, reader_bad;

static void *writer(void *arg)
{
	struct vmx_exit_stats_vcpu es = { 0 };
	int id = (int)(long)arg;
	unsigned int i;

	shim_cpu = id;
	shim_tsc = 1;
	for (i = 0; i < EXITS_PER_WRITER; i++) {
		u32 reason = (i * 7 + id) % 90;

		if (i & 1)
			fast_exit(&es, reason, 3);
		else
			slow_exit(&es, reason, 2, 50, 1);
	}
	return NULL;
}

static void *reader(void *arg)
{
	u64 last = 0;
	struct regs r;

	(void)arg;
	shim_cpu = SHIM_NR_CPUS - 1;
	while (!stop_readers) {
		u64 c, t;

		vmx_exit_stats_read(VMX_EXIT_STATS_TOTAL, &c, &t);
		/* Sums only grow, and never exceed what was written. */
		if (c < last || c > (u64)WRITERS * EXITS_PER_WRITER)
			reader_bad++;
		last = c;
		cpuid(EXITPROBE_LEAF_TOTAL, 0, &r);
		reader_iterations++;
	}
	return NULL;
}

static void test_concurrency(void)
{
	pthread_t w[WRITERS], rd;
	u64 per[SDM_EXIT_REASON_MAX + 1] = { 0 };
	unsigned int i, n, bad = 0;
	int id;

	reset_via_debugfs();
	pthread_create(&rd, NULL, reader, NULL);
	for (id = 0; id < WRITERS; id++)
		pthread_create(&w[id], NULL, writer, (void *)(long)id);
	for (id = 0; id < WRITERS; id++)
		pthread_join(w[id], NULL);
	stop_readers = 1;
	pthread_join(rd, NULL);

	for (id = 0; id < WRITERS; id++)
		for (i = 0; i < EXITS_PER_WRITER; i++)
			if ((i * 7 + id) % 90 <= SDM_EXIT_REASON_MAX)
				per[(i * 7 + id) % 90]++;
	for (n = 0; n <= SDM_EXIT_REASON_MAX; n++) {
		u64 c, t;

		vmx_exit_stats_read(n, &c, &t);
		bad += c != per[n] || t != 3 * per[n];
	}
	{
		u64 c, t;

		vmx_exit_stats_read(VMX_EXIT_STATS_TOTAL, &c, &t);
		CHECK("concurrent-total", c == (u64)WRITERS * EXITS_PER_WRITER &&
		      t == 3 * c,
		      "%d threads x %d exits on their own CPUs: %llu exits, %llu cycles counted",
		      WRITERS, EXITS_PER_WRITER, c, t);
	}
	CHECK("concurrent-per-reason", bad == 0,
	      "every reason's count and cycles exact after concurrent counting (%u wrong)",
	      bad);
	CHECK("concurrent-reader", reader_bad == 0 && reader_iterations > 0,
	      "a concurrent reader saw monotonic, in-range sums in %llu reads",
	      reader_iterations);
}

/* Resets racing with counting never make a reader see a negative sum. */
static volatile int stop_resetter;

static void *resetter(void *arg)
{
	(void)arg;
	while (!stop_resetter)
		vmx_exit_stats_reset();
	return NULL;
}

static void test_concurrent_reset(void)
{
	pthread_t w[WRITERS], rs;
	unsigned long long reads = 0, bad = 0;
	int id;

	pthread_create(&rs, NULL, resetter, NULL);
	for (id = 0; id < WRITERS; id++)
		pthread_create(&w[id], NULL, writer, (void *)(long)id);
	for (id = 0; id < 200000; id++, reads++) {
		u64 c, t;

		vmx_exit_stats_read(VMX_EXIT_STATS_TOTAL, &c, &t);
		bad += c > (u64)WRITERS * EXITS_PER_WRITER * 2;
	}
	for (id = 0; id < WRITERS; id++)
		pthread_join(w[id], NULL);
	stop_resetter = 1;
	pthread_join(rs, NULL);
	CHECK("reset-race", bad == 0,
	      "%llu reads racing resets and counting, none wrapped below zero",
	      reads);
}

int main(int argc, char **argv)
{
	static struct seq_file seq;
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");

	shim_seq = &seq;
	test_table();
	test_setup();
	test_counting();
	test_paths();
	test_split_join();
	test_ecx();
	/* --quick (the sanitizer build): the plain build does the full sweep. */
	if (!quick)
		test_ecx_exhaustive();
	test_other_leaves();
	test_concurrency();
	test_concurrent_reset();
	vmx_exit_stats_debugfs_exit();
	CHECK("debugfs-remove", shim_fops == NULL, "kvm/exit_stats removed");
	vmx_exit_stats_unsetup();
	return failures ? 1 : 0;
}
