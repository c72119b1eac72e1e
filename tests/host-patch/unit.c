// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit tests of the host patch's logic file. The kernel file
 * (host-patch/src/exit_stats.c, the master copy that test-host-patch-series
 * proves each series carries byte for byte) is compiled as-is against the
 * shims in shim/, and included here so the tests can reach its static state.
 *
 * The tests play KVM: fake VMs and vCPUs call the hooks in the order
 * vmx.c calls them (vmx_vcpu_run() start, VM-Exit, vmx_handle_exit(),
 * vcpu_put()/vcpu_load(), vcpu free, VM destroy), with a fake TSC advanced
 * by known amounts. Every expectation comes from a model the test keeps of
 * what it fed in, from common/exitprobe-abi.h (leaf layout) and from
 * common/sdm-exit-reasons.def (defined reasons, their class), never from
 * exit_stats.c.
 *
 * Output: PASS:/FAIL: lines, one per check; exit status 1 if any failed.
 * --quick (the sanitizer build) samples the guest's ecx instead of trying
 * all 2^32 values.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "../../host-patch/src/exit_stats.c"
#include "../../common/exitprobe-abi.h"

/* ---- checks ------------------------------------------------------------- */
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

/* ---- the SDM table, as common/sdm-exit-reasons.def states it ------------ */
#define NR_REASONS (SDM_EXIT_REASON_MAX + 1)
#define MODEL_TOTAL NR_REASONS	/* the all-reasons slot of a model */

static const char *def_names[NR_REASONS];
static bool def_async[NR_REASONS];

static void load_def(void)
{
#define SDM_EXIT_REASON(nr, ident, class, desc)				\
	def_names[nr] = #ident;						\
	def_async[nr] = !strcmp(#class, "ASYNC");
#include "../../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
}

/*
 * A fake exit-handler table, 80 entries long like KVM's: reasons with
 * n % 3 == 2 have no handler, and 35 (not defined by the SDM) has one.
 */
#define FAKE_NR_HANDLERS 80
static vmx_exit_handler_t fake_handlers[FAKE_NR_HANDLERS];

static int fake_handler(struct kvm_vcpu *vcpu)
{
	return 1;
}

static void fill_fake_handlers(void)
{
	unsigned int n;

	for (n = 0; n < FAKE_NR_HANDLERS; n++)
		if (n % 3 != 2)
			fake_handlers[n] = fake_handler;
	fake_handlers[35] = fake_handler;
}

static bool def_defined(u32 n)
{
	return n <= SDM_EXIT_REASON_MAX && def_names[n];
}

/* The status the ABI gives reason n, from the .def and the fake table. */
static u32 want_status(u32 n)
{
	if (!def_defined(n))
		return EXITPROBE_STATUS_UNDEFINED;
	if (n >= FAKE_NR_HANDLERS || !fake_handlers[n])
		return EXITPROBE_STATUS_DISABLED;
	return EXITPROBE_STATUS_OK;
}

/*
 * The controls of common/vmx-controls.def: a reason with ONLY rows occurs
 * only if one of their bits is set (the rule of docs/host-patch.md,
 * "Enabled reasons"). Every bit set: the handler table alone decides.
 */
static const struct vmx_exit_stats_controls all_controls = {
	.pin = ~0u, .exec = ~0u, .secondary_exec = ~0u, .tertiary_exec = ~0ull,
	.vm_exit = ~0u, .vm_entry = ~0u,
};

struct def_control {
	const char *field, *kind, *r1, *r2;
	unsigned int bit;
};

static const struct def_control def_controls[] = {
#define VMX_CONTROL(field, bit, ident, name, kind, r1, r2)		\
	{ #field, #kind, #r1, #r2, bit },
#include "../../common/vmx-controls.def"
#undef VMX_CONTROL
};

static bool def_bit_set(const struct vmx_exit_stats_controls *c,
			const struct def_control *d)
{
	if (!strcmp(d->field, "PINBASED"))
		return c->pin >> d->bit & 1;
	if (!strcmp(d->field, "PROCBASED"))
		return c->exec >> d->bit & 1;
	if (!strcmp(d->field, "PROCBASED2"))
		return c->secondary_exec >> d->bit & 1;
	if (!strcmp(d->field, "PROCBASED3"))
		return c->tertiary_exec >> d->bit & 1;
	return false;	/* exit and entry controls gate no reason */
}

static bool def_names_reason(const struct def_control *d, u32 n)
{
	return def_names[n] && (!strcmp(d->r1, def_names[n]) ||
				!strcmp(d->r2, def_names[n]));
}

/* Whether the .def lets reason n occur with controls @c. */
static bool def_open(const struct vmx_exit_stats_controls *c, u32 n)
{
	bool gated = false, open = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(def_controls); i++) {
		if (strcmp(def_controls[i].kind, "ONLY") ||
		    !def_names_reason(&def_controls[i], n))
			continue;
		gated = true;
		open |= def_bit_set(c, &def_controls[i]);
	}
	return !gated || open;
}

/* ---- the model: what the test fed in ------------------------------------ */
struct model {
	u64 cnt[NR_REASONS + 1], cyc[NR_REASONS + 1];
};

static struct model host_model;	/* every VM since the last host reset */

/* The basic exit reason is bits 15:0 of the full exit reason (SDM). */
static void model_add(struct model *m, u32 full_reason, u64 cycles)
{
	u32 basic = full_reason & 0xffff;

	m->cnt[MODEL_TOTAL]++;
	m->cyc[MODEL_TOTAL] += cycles;
	if (basic <= SDM_EXIT_REASON_MAX) {
		m->cnt[basic]++;
		m->cyc[basic] += cycles;
	}
}

static u64 model_async(const struct model *m)
{
	u64 sum = 0;
	unsigned int n;

	for (n = 0; n < NR_REASONS; n++)
		if (def_async[n])
			sum += m->cnt[n];
	return sum;
}

/* ---- fake KVM: VMs, vCPUs and the order vmx.c calls the hooks in -------- */
static struct dentry *kvm_dir;	/* debugfs kvm/, made by kvm.ko */

struct fake_vm {
	struct kvm kvm;
	struct vmx_exit_stats_vm es;
	struct dentry *dir;	/* kvm/<pid>-<fd>/ */
	struct model m;		/* since creation or the last reset */
};

struct fake_vcpu {
	struct vmx_exit_stats_vcpu es;
	u32 exit_reason;	/* vmx->exit_reason.full */
	struct fake_vm *vm;
	int id;					/* vcpu->vcpu_id */
	struct vmx_exit_stats_controls ctl;	/* its loaded VMCS's shadow */
};

/* vmx.c's side of the per-VM vmx_controls file, for a fake vCPU. */
int vmx_exit_stats_vcpu_controls(struct vmx_exit_stats_vcpu *es,
				 struct vmx_exit_stats_controls *c)
{
	struct fake_vcpu *v = (struct fake_vcpu *)((char *)es -
						   offsetof(struct fake_vcpu, es));

	*c = v->ctl;
	return v->id;
}

static void vm_create(struct fake_vm *vm, const char *dirname)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm.users_count = 1;
	vmx_exit_stats_vm_init(&vm->es, &vm->kvm);
	vm->dir = shim_debugfs_create_dir(dirname, kvm_dir);
	vmx_exit_stats_vm_debugfs(&vm->es, vm->dir);
}

static void vcpu_create(struct fake_vcpu *v, struct fake_vm *vm)
{
	/* vCPUs come from a zeroing allocator, but fill with junk to prove
	 * vcpu_init() initializes what it needs. */
	static int next_id;

	memset(v, 0xa5, sizeof(*v));
	v->exit_reason = 0;
	v->vm = vm;
	v->id = next_id++;
	memset(&v->ctl, 0, sizeof(v->ctl));
	vmx_exit_stats_vcpu_init(&v->es, &vm->es);
}

/* Start of vmx_vcpu_run(): closes the previous exit's window. */
static void vm_enter(struct fake_vcpu *v)
{
	vmx_exit_stats_vm_enter(&v->es, v->exit_reason);
}

/* The guest runs 17 cycles (never counted), then the hardware VM-Exit. */
static void vm_exit(struct fake_vcpu *v, u32 reason)
{
	shim_tsc += 17;
	v->exit_reason = reason;
	vmx_exit_stats_vm_exit(&v->es);
}

/* One exit whose window costs @cost cycles, closed by the next entry. */
static void exit_round(struct fake_vcpu *v, u32 reason, u64 cost)
{
	vm_enter(v);
	vm_exit(v, reason);
	shim_tsc += cost;
	vm_enter(v);
	model_add(&v->vm->m, reason, cost);
	model_add(&host_model, reason, cost);
}

struct regs {
	u32 eax, ebx, ecx, edx;
};

/* CPUID as vCPU @v executes it; returns whether the leaf was answered. */
static bool leaf(struct fake_vcpu *v, u32 eax, u32 ecx, struct regs *r)
{
	r->eax = eax;
	r->ecx = ecx;
	r->ebx = 0xdeadbeef;	/* stale values that must not survive */
	r->edx = 0xcafef00d;
	return vmx_exit_stats_cpuid(&v->es, &r->eax, &r->ebx, &r->ecx, &r->edx);
}

/* Count and cycles of reason n in @v's scope, from the snapshot leaf. */
static void scoped(struct fake_vcpu *v, u32 n, u64 *count, u64 *cycles)
{
	struct regs r;

	leaf(v, EXITPROBE_LEAF_SNAPSHOT_CYCLES, n, &r);
	*count = r.eax;
	*cycles = (u64)r.ebx << 32 | r.ecx;
}

/* ---- debugfs, through the file operations as a reader would ------------ */
/* The whole text of a debugfs file, or NULL if it would not open. */
static char *debugfs_cat(struct dentry *d, int *open_err)
{
	struct file f = { NULL };
	size_t len = 0, size = 256;
	char *text = malloc(size);
	loff_t pos = 0;
	ssize_t r;

	*open_err = d->fops->open(&d->inode, &f);
	if (*open_err) {
		free(text);
		return NULL;
	}
	/* Small reads, to exercise the offset handling. */
	while ((r = d->fops->read(&f, text + len, 100, &pos)) > 0) {
		len += (size_t)r;
		if (size - len < 101)
			text = realloc(text, size *= 2);
	}
	text[len] = '\0';
	d->fops->release(&d->inode, &f);
	return text;
}

/* Write to a debugfs file (a reset); returns what write() returned. */
static ssize_t debugfs_write(struct dentry *d, const char *s)
{
	struct file f = { NULL };
	loff_t pos = 0;
	ssize_t r;

	if (d->fops->open(&d->inode, &f))
		return -1;
	r = d->fops->write(&f, s, strlen(s), &pos);
	d->fops->release(&d->inode, &f);
	return r;
}

static struct dentry *host_file(void)
{
	return shim_debugfs_find(kvm_dir, "exit_stats");
}

static struct dentry *vm_file(struct fake_vm *vm)
{
	return shim_debugfs_find(vm->dir, "exit_stats");
}

/* The documented text of a view: docs/host-patch.md, "debugfs". */
static char *want_text(const struct model *m)
{
	size_t size = 16384, len = 0;
	char *s = malloc(size);
	unsigned int n;

	len += snprintf(s + len, size - len, "# reason name count cycles\n");
	for (n = 0; n < NR_REASONS; n++)
		len += snprintf(s + len, size - len, "%u %s %llu %llu\n", n,
				def_names[n] ? def_names[n] : "-",
				m->cnt[n], m->cyc[n]);
	snprintf(s + len, size - len, "total - %llu %llu\n",
		 m->cnt[MODEL_TOTAL], m->cyc[MODEL_TOTAL]);
	return s;
}

/* Parse a view's text into a model; false if a line is malformed. */
static bool parse_text(const char *text, struct model *m)
{
	const char *p = strchr(text, '\n');
	unsigned int n, seen = 0;
	char name[40];

	memset(m, 0, sizeof(*m));
	while (p && p[1]) {
		unsigned long long c, t;

		p++;
		if (sscanf(p, "total - %llu %llu", &c, &t) == 2) {
			m->cnt[MODEL_TOTAL] = c;
			m->cyc[MODEL_TOTAL] = t;
			seen++;
		} else if (sscanf(p, "%u %39s %llu %llu", &n, name, &c, &t) == 4 &&
			   n < NR_REASONS) {
			m->cnt[n] = c;
			m->cyc[n] = t;
			seen++;
		} else {
			return false;
		}
		p = strchr(p, '\n');
	}
	return seen == NR_REASONS + 1;
}

static bool read_view(struct dentry *d, struct model *m)
{
	int err;
	char *text = debugfs_cat(d, &err);
	bool ok = text && parse_text(text, m);

	free(text);
	return ok;
}

/* ---- expected leaf answers (common/exitprobe-abi.h) --------------------- */
static bool want_counting = true;

static struct regs want_leaf(const struct model *m, u32 lf, u32 n, u32 scope)
{
	struct regs w = { 0, 0, 0, 0 };
	u32 st = want_status(n);
	bool ok = st == EXITPROBE_STATUS_OK;
	u64 cnt = ok ? m->cnt[n] : 0, cyc = ok ? m->cyc[n] : 0;

	switch (lf) {
	case EXITPROBE_LEAF_TOTAL:
		w.eax = (u32)m->cnt[MODEL_TOTAL];
		w.ebx = (u32)(m->cyc[MODEL_TOTAL] >> 32);
		w.ecx = (u32)m->cyc[MODEL_TOTAL];
		break;
	case EXITPROBE_LEAF_CYCLES:
		w.ebx = (u32)(m->cyc[MODEL_TOTAL] >> 32);
		w.ecx = (u32)m->cyc[MODEL_TOTAL];
		break;
	case EXITPROBE_LEAF_COUNT:
		w.eax = (u32)cnt;
		w.edx = st == EXITPROBE_STATUS_UNDEFINED ? EXITPROBE_UNDEFINED : 0;
		break;
	case EXITPROBE_LEAF_REASON_CYCLES:
		w.ebx = (u32)(cyc >> 32);
		w.ecx = (u32)cyc;
		w.edx = st == EXITPROBE_STATUS_UNDEFINED ? EXITPROBE_UNDEFINED : 0;
		break;
	case EXITPROBE_LEAF_IDENT:
		w.eax = EXITPROBE_ABI_VERSION;
		w.ebx = EXITPROBE_SIGNATURE;
		w.ecx = scope;
		w.edx = (want_counting ? EXITPROBE_FLAG_COUNTING : 0) |
			(u32)SDM_EXIT_REASON_MAX << 16;
		break;
	case EXITPROBE_LEAF_SNAPSHOT:
		w.eax = (u32)cnt;
		w.ebx = (u32)m->cnt[MODEL_TOTAL];
		w.ecx = (u32)model_async(m);
		w.edx = st;
		break;
	case EXITPROBE_LEAF_SNAPSHOT_CYCLES:
		w.eax = (u32)cnt;
		w.ebx = (u32)(cyc >> 32);
		w.ecx = (u32)cyc;
		w.edx = st;
		break;
	}
	return w;
}

static const struct {
	u32 leaf;
	const char *name;
} leaves[] = {
	{ EXITPROBE_LEAF_TOTAL, "total" },
	{ EXITPROBE_LEAF_CYCLES, "cycles" },
	{ EXITPROBE_LEAF_COUNT, "count" },
	{ EXITPROBE_LEAF_REASON_CYCLES, "reason-cycles" },
	{ EXITPROBE_LEAF_IDENT, "ident" },
	{ EXITPROBE_LEAF_SNAPSHOT, "snapshot" },
	{ EXITPROBE_LEAF_SNAPSHOT_CYCLES, "snapshot-cycles" },
};

static bool leaf_ok(struct fake_vcpu *v, const struct model *m, u32 lf, u32 n,
		    u32 scope, bool verbose)
{
	struct regs r, w = want_leaf(m, lf, n, scope);
	bool ok = leaf(v, lf, n, &r) && !memcmp(&r, &w, sizeof(r));

	if (!ok && verbose)
		printf("  leaf %#x ecx %u = %08x %08x %08x %08x, want %08x %08x %08x %08x\n",
		       lf, n, r.eax, r.ebx, r.ecx, r.edx, w.eax, w.ebx, w.ecx, w.edx);
	return ok;
}

/*
 * Every leaf, for every reason 0..max+1 and a few larger ecx values, as
 * vCPU @v sees it, against model @m; then the text of debugfs file @d.
 */
static void check_view(const char *tag, struct fake_vcpu *v,
		       const struct model *m, u32 scope, struct dentry *d)
{
	static const u32 big[] = { 0x100, 0x10000, 0x8000000a, 0xffffffff };
	unsigned int l, n, bad = 0, bad_leaves = 0;
	char name[96], *text, *want;
	int err;

	for (l = 0; l < ARRAY_SIZE(leaves); l++) {
		unsigned int before = bad;

		for (n = 0; n <= NR_REASONS; n++)
			bad += !leaf_ok(v, m, leaves[l].leaf, n, scope, bad < 3);
		for (n = 0; n < ARRAY_SIZE(big); n++)
			bad += !leaf_ok(v, m, leaves[l].leaf, big[n], scope, bad < 3);
		if (bad != before)
			printf("  %s: leaf %s (%#x) wrong for %u ecx values\n",
			       tag, leaves[l].name, leaves[l].leaf, bad - before);
		bad_leaves += bad != before;
	}
	snprintf(name, sizeof(name), "%s-leaves", tag);
	CHECK(name, bad == 0,
	      "all 7 leaves exact for ecx 0..%d and 4 larger values (%u leaves wrong); %llu exits, %llu cycles in scope %s",
	      NR_REASONS, bad_leaves, m->cnt[MODEL_TOTAL], m->cyc[MODEL_TOTAL],
	      scope == EXITPROBE_SCOPE_VM ? "vm" : "host");
	if (!d)
		return;
	text = debugfs_cat(d, &err);
	want = want_text(m);
	snprintf(name, sizeof(name), "%s-debugfs", tag);
	CHECK(name, text && !strcmp(text, want),
	      "%s/exit_stats is exactly the documented text (%zu bytes)",
	      d->parent ? d->parent->name : "?", text ? strlen(text) : 0);
	if (text && strcmp(text, want)) {
		size_t i = 0;

		while (text[i] == want[i])
			i++;
		while (i && text[i - 1] != '\n')
			i--;
		printf("  first difference:\n  got:  %.60s\n  want: %.60s\n",
		       text + i, want + i);
	}
	free(text);
	free(want);
}

/* ---- tests -------------------------------------------------------------- */

static void test_table(void)
{
	unsigned int n, bad = 0, ndef = 0, i;
	bool in_list[NR_REASONS] = { false };
	bool list_ok = true;

	CHECK("sdm-table-size", VMX_EXIT_STATS_MAX_REASON == SDM_EXIT_REASON_MAX,
	      "kernel max %d, common/exitprobe-abi.h max %d",
	      VMX_EXIT_STATS_MAX_REASON, SDM_EXIT_REASON_MAX);
	for (n = 0; n < NR_REASONS; n++) {
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
	      NR_REASONS - bad, NR_REASONS, ndef);
	CHECK("abi-constants",
	      VMX_EXIT_STATS_LEAF_TOTAL == EXITPROBE_LEAF_TOTAL &&
	      VMX_EXIT_STATS_LEAF_CYCLES == EXITPROBE_LEAF_CYCLES &&
	      VMX_EXIT_STATS_LEAF_COUNT == EXITPROBE_LEAF_COUNT &&
	      VMX_EXIT_STATS_LEAF_REASON_CYCLES == EXITPROBE_LEAF_REASON_CYCLES &&
	      VMX_EXIT_STATS_LEAF_IDENT == EXITPROBE_LEAF_IDENT &&
	      VMX_EXIT_STATS_LEAF_SNAPSHOT == EXITPROBE_LEAF_SNAPSHOT &&
	      VMX_EXIT_STATS_LEAF_SNAPSHOT_CYCLES == EXITPROBE_LEAF_SNAPSHOT_CYCLES &&
	      VMX_EXIT_STATS_UNDEFINED == EXITPROBE_UNDEFINED &&
	      VMX_EXIT_STATS_ABI_VERSION == EXITPROBE_ABI_VERSION &&
	      VMX_EXIT_STATS_SIGNATURE == EXITPROBE_SIGNATURE &&
	      VMX_EXIT_STATS_SCOPE_HOST == EXITPROBE_SCOPE_HOST &&
	      VMX_EXIT_STATS_SCOPE_VM == EXITPROBE_SCOPE_VM &&
	      VMX_EXIT_STATS_FLAG_COUNTING == EXITPROBE_FLAG_COUNTING &&
	      VMX_EXIT_STATS_STATUS_OK == EXITPROBE_STATUS_OK &&
	      VMX_EXIT_STATS_STATUS_DISABLED == EXITPROBE_STATUS_DISABLED,
	      "the 7 leaves, version, signature, scopes, flag and statuses equal common/exitprobe-abi.h");
	for (i = 0; i < ARRAY_SIZE(vmx_exit_stats_async); i++) {
		n = vmx_exit_stats_async[i];
		if (n >= NR_REASONS || in_list[n] || !def_async[n])
			list_ok = false;
		else
			in_list[n] = true;
	}
	for (n = 0; n < NR_REASONS; n++)
		list_ok &= in_list[n] == (def_names[n] && def_async[n]);
	CHECK("async-list", list_ok,
	      "vmx_exit_stats_async[] (%zu reasons) is the ASYNC class of common/sdm-exit-reasons.def",
	      ARRAY_SIZE(vmx_exit_stats_async));
}

/* Before setup the key is off whatever the parameter says. */
static void test_before_setup(void)
{
	struct fake_vcpu v = { .es = { .pending = false } };

	shim_tsc = 1000;
	shim_tsc_reads = 0;
	CHECK("param-before-setup",
	      shim_param_set("exit_stats", "1") == 0 &&
	      !static_key_enabled(&vmx_exit_stats_on),
	      "exit_stats=1 before vmx_exit_stats_setup() leaves the static key off");
	vmx_exit_stats_vm_enter(&v.es, 10);
	vmx_exit_stats_vm_exit(&v.es);
	vmx_exit_stats_put(&v.es);
	vmx_exit_stats_load(&v.es);
	vmx_exit_stats_handled(&v.es, 12, true);
	CHECK("hooks-before-setup", shim_tsc_reads == 0 && !v.es.pending,
	      "the hooks do nothing before setup (%lu TSC reads)", shim_tsc_reads);
}

/*
 * What an i386 build does (IS_ENABLED(CONFIG_X86_64) false): the hooks do
 * nothing, so the ident leaf must not claim that the counters move, and
 * counting cannot be switched on.
 */
static void test_i386(void)
{
	struct fake_vm vm;
	struct fake_vcpu v;
	struct regs r;

	shim_config_x86_64 = false;
	vmx_exit_stats_setup(fake_handlers, FAKE_NR_HANDLERS, &all_controls);
	vm_create(&vm, "i386-vm");
	vcpu_create(&v, &vm);
	shim_tsc_reads = 0;
	vm_enter(&v);
	vm_exit(&v, 10);
	vmx_exit_stats_put(&v.es);
	vmx_exit_stats_load(&v.es);
	vmx_exit_stats_handled(&v.es, 10, true);
	vm_enter(&v);
	CHECK("i386-hooks-nothing", shim_tsc_reads == 0 && !v.es.pending &&
	      leaf(&v, EXITPROBE_LEAF_TOTAL, 0, &r) && r.eax == 0,
	      "without CONFIG_X86_64 an exit runs no counting code (%lu TSC reads, %u exits counted)",
	      shim_tsc_reads, r.eax);
	leaf(&v, EXITPROBE_LEAF_IDENT, 0, &r);
	/* A first version turned the key on by default on i386 too, where
	 * nothing can count: the ident leaf then claimed counting. */
	CHECK("i386-ident-not-counting", !(r.edx & EXITPROBE_FLAG_COUNTING),
	      "without CONFIG_X86_64 the ident leaf's flag bit 0 is clear (edx %#x): the counters cannot move",
	      r.edx);
	CHECK("i386-enable-refused",
	      shim_param_set("exit_stats", "1") == -EOPNOTSUPP &&
	      shim_param_set("exit_stats", "0") == 0 &&
	      !static_key_enabled(&vmx_exit_stats_on),
	      "without CONFIG_X86_64 exit_stats=1 fails with -EOPNOTSUPP, exit_stats=0 works");
	vmx_exit_stats_vcpu_free(&v.es, v.exit_reason);
	vmx_exit_stats_vm_destroy(&vm.es);
	debugfs_remove(vm.dir);
	vmx_exit_stats_unsetup();
	shim_config_x86_64 = true;
	shim_param_set("exit_stats", "1");
}

/*
 * The status of every reason 0..max under controls @c, read through the
 * snapshot leaf (edx) and the version 1 count leaf (all zero when not
 * enabled), against the .def's rule and the fake handler table.
 */
/* A handler for every reason, so that every gate shows in the leaves. */
static vmx_exit_handler_t every_handler[NR_REASONS];

/* With @full, setup was given every_handler, else the fake table. */
static unsigned int gate_mismatches(struct fake_vcpu *v,
				    const struct vmx_exit_stats_controls *c,
				    bool full, unsigned int *nen)
{
	unsigned int n, bad = 0;
	struct regs r, q;

	*nen = 0;
	for (n = 0; n < NR_REASONS; n++) {
		u32 want = full && def_defined(n) ? EXITPROBE_STATUS_OK :
			   want_status(n);

		if (want == EXITPROBE_STATUS_OK && !def_open(c, n))
			want = EXITPROBE_STATUS_DISABLED;
		*nen += want == EXITPROBE_STATUS_OK;
		leaf(v, EXITPROBE_LEAF_SNAPSHOT, n, &r);
		leaf(v, EXITPROBE_LEAF_COUNT, n, &q);
		if (r.edx != want ||
		    q.edx != (want == EXITPROBE_UNDEFINED ? EXITPROBE_UNDEFINED : 0)) {
			if (bad++ < 3)
				printf("  reason %u: snapshot edx %#x, count edx %#x; want status %#x\n",
				       n, r.edx, q.edx, want);
		}
	}
	return bad;
}

/* The printed controls, in the format docs/host-patch.md gives. */
static void controls_text(char *s, size_t size, const char *prefix,
			  const struct vmx_exit_stats_controls *c)
{
	snprintf(s, size,
		 "%spin_based 0x%08x\n%scpu_based 0x%08x\n%ssecondary 0x%08x\n"
		 "%stertiary 0x%016llx\n%svmexit 0x%08x\n"
		 "%ssecondary_vmexit 0x0000000000000000\n%svmentry 0x%08x\n",
		 prefix, c->pin, prefix, c->exec, prefix, c->secondary_exec,
		 prefix, (unsigned long long)c->tertiary_exec, prefix, c->vm_exit,
		 prefix, prefix, c->vm_entry);
}

/* "Enabled in KVM": the handler table and the controls KVM may set. */
static void test_gates(void)
{
	static const struct vmx_exit_stats_controls none = { 0 };
	struct vmx_exit_stats_controls c;
	unsigned int i, bad, nen, random_bad = 0;
	struct fake_vm vm;
	struct fake_vcpu v, w;
	char want[1024], got_prefix[32], *text;
	struct dentry *d;
	u64 x = 0x9e3779b97f4a7c15ull;
	int err;

	for (i = 0; i < NR_REASONS; i++)
		every_handler[i] = fake_handler;
	vmx_exit_stats_setup(fake_handlers, FAKE_NR_HANDLERS, &all_controls);
	vm_create(&vm, "gates-vm");
	vcpu_create(&v, &vm);
	bad = gate_mismatches(&v, &all_controls, false, &nen);
	CHECK("gates-all-on", bad == 0,
	      "every control may be set: %u reasons enabled, exactly those with a handler (%u mismatches)",
	      nen, bad);
	vmx_exit_stats_unsetup();

	vmx_exit_stats_setup(every_handler, NR_REASONS, &none);
	bad = gate_mismatches(&v, &none, true, &nen);
	CHECK("gates-all-off", bad == 0 && nen > 0,
	      "no control may be set, every reason handled: %u reasons enabled, those the .def does not gate (%u mismatches)",
	      nen, bad);
	vmx_exit_stats_unsetup();

	/* The cases: handled reasons whose feature is off. */
	c = all_controls;
	c.pin &= ~(1u << 6);		/* kvm_intel.preemption_timer=0 */
	c.secondary_exec &= ~(1u << 30);	/* no bus-lock detection */
	vmx_exit_stats_setup(fake_handlers, FAKE_NR_HANDLERS, &c);
	bad = gate_mismatches(&v, &c, false, &nen);
	CHECK("gates-preemption-timer-off",
	      bad == 0 && fake_handlers[52] &&
	      leaf(&v, EXITPROBE_LEAF_SNAPSHOT, 52, &(struct regs){ 0 }) &&
	      !vmx_exit_stats_enabled[52] && vmx_exit_stats_enabled[10],
	      "PREEMPTION_TIMER has a handler but its control is off: not enabled; CPUID still is (%u mismatches)",
	      bad);
	vmx_exit_stats_unsetup();

	/* RDTSCP needs RDTSC exiting and enable RDTSCP: either is taken as
	 * enough (an upper bound, as vmx-caps). */
	c = none;
	c.secondary_exec = 1u << 3;
	vmx_exit_stats_setup(fake_handlers, FAKE_NR_HANDLERS, &c);
	CHECK("gates-either-control", fake_handlers[51] &&
	      vmx_exit_stats_enabled[51] && !vmx_exit_stats_enabled[16],
	      "enable RDTSCP alone: RDTSCP (51) enabled, RDTSC (16) not");
	vmx_exit_stats_unsetup();

	/* Pseudo-random control values, every reason against the .def. */
	for (i = 0; i < 200; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		c.pin = (u32)x;
		c.exec = (u32)(x >> 32);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* Sparse, so that reasons with one gate are often closed. */
		c.secondary_exec = (u32)x & (u32)(x >> 32);
		c.tertiary_exec = x & 1;
		vmx_exit_stats_setup(every_handler, NR_REASONS, &c);
		random_bad += gate_mismatches(&v, &c, true, &nen) != 0;
		vmx_exit_stats_unsetup();
	}
	CHECK("gates-random", random_bad == 0,
	      "200 pseudo-random control sets, every reason handled: the leaves' status of every reason follows the .def's ONLY rows (%u sets wrong)",
	      random_bad);

	/* kvm/vmx_controls: what setup was given, in vmx-caps --kvm's format. */
	c = (struct vmx_exit_stats_controls){ .pin = 0x7f, .exec = 0xb5a06dfa,
		.secondary_exec = 0x235ef, .tertiary_exec = 0x10,
		.vm_exit = 0x3fefff, .vm_entry = 0xd3ff };
	vmx_exit_stats_setup(fake_handlers, FAKE_NR_HANDLERS, &c);
	vmx_exit_stats_debugfs_init();
	d = shim_debugfs_find(kvm_dir, "vmx_controls");
	strcpy(want, "# VMCS controls KVM may set: vmcs_config, less the features turned off at setup\n");
	controls_text(want + strlen(want), sizeof(want) - strlen(want), "", &c);
	text = d ? debugfs_cat(d, &err) : NULL;
	CHECK("controls-file", d && d->mode == 0400 && text && !strcmp(text, want),
	      "kvm/vmx_controls (mode 0400) is the controls given at setup, one NAME 0xVALUE line per field");
	if (text && strcmp(text, want))
		printf("  got:\n%s  want:\n%s", text, want);
	free(text);

	/* kvm/<pid>-<fd>/vmx_controls: each vCPU's current controls. */
	vcpu_create(&w, &vm);
	v.ctl = c;
	w.ctl = c;
	w.ctl.exec |= 1u << 2;	/* w waits for an interrupt window */
	d = shim_debugfs_find(vm.dir, "vmx_controls");
	strcpy(want, "# vcpu field value: the controls of each vCPU's current VMCS\n");
	snprintf(got_prefix, sizeof(got_prefix), "%d ", v.id);
	controls_text(want + strlen(want), sizeof(want) - strlen(want), got_prefix, &v.ctl);
	snprintf(got_prefix, sizeof(got_prefix), "%d ", w.id);
	controls_text(want + strlen(want), sizeof(want) - strlen(want), got_prefix, &w.ctl);
	text = d ? debugfs_cat(d, &err) : NULL;
	CHECK("vm-controls-file", d && d->mode == 0400 && text && !strcmp(text, want) &&
	      vm.kvm.users_count == 1,
	      "kvm/<pid>-<fd>/vmx_controls (mode 0400) lists each vCPU's controls by vCPU id; the VM reference taken at open is dropped");
	if (text && strcmp(text, want))
		printf("  got:\n%s  want:\n%s", text, want);
	free(text);
	vm.kvm.users_count = 0;	/* the VM is being destroyed */
	CHECK("vm-controls-dying-vm", d && d->fops->open(&d->inode, &(struct file){ NULL }) == -ENOENT,
	      "opening a dying VM's vmx_controls fails with -ENOENT");
	vm.kvm.users_count = 1;

	vmx_exit_stats_debugfs_exit();
	CHECK("controls-file-removed", !shim_debugfs_find(kvm_dir, "vmx_controls"),
	      "kvm/vmx_controls removed with kvm/exit_stats");
	vmx_exit_stats_vcpu_free(&v.es, v.exit_reason);
	vmx_exit_stats_vcpu_free(&w.es, w.exit_reason);
	vmx_exit_stats_vm_destroy(&vm.es);
	debugfs_remove(vm.dir);
	vmx_exit_stats_unsetup();
}

static void test_setup(void)
{
	unsigned int n, bad = 0, nen = 0;

	vmx_exit_stats_setup(fake_handlers, FAKE_NR_HANDLERS, &all_controls);
	for (n = 0; n < NR_REASONS; n++) {
		nen += vmx_exit_stats_enabled[n];
		if (vmx_exit_stats_enabled[n] != (want_status(n) == EXITPROBE_STATUS_OK))
			bad++;
	}
	CHECK("enabled-from-handler-table", bad == 0,
	      "%u reasons enabled = defined by the SDM and handled in the table; %u mismatches",
	      nen, bad);
	CHECK("counting-on-by-default", static_key_enabled(&vmx_exit_stats_on) &&
	      !strcmp(shim_param_get("exit_stats"), "Y\n") &&
	      !strcmp(shim_param_get("exit_stats_scope"), "vm\n") &&
	      !strcmp(shim_param_get("exit_stats_leaves"), "Y\n"),
	      "after setup: static key on, exit_stats=Y, exit_stats_scope=vm, exit_stats_leaves=Y");
	vmx_exit_stats_debugfs_init();
	CHECK("debugfs-create", host_file() && host_file()->mode == 0600 &&
	      shim_dput_balance == 0,
	      "kvm/exit_stats created with mode 0600, the kvm/ lookup released");
}

/* The window of one exit, hook by hook. */
static void test_window(void)
{
	struct fake_vm vm;
	struct fake_vcpu v;
	struct regs r;
	u64 c, t, c0, t0;
	unsigned long reads;

	vm_create(&vm, "100-10");
	vcpu_create(&v, &vm);
	shim_tsc = 5000000;

	/* Exit, KVM works 100 cycles, next entry: one exit of 100 cycles. */
	reads = shim_tsc_reads;
	exit_round(&v, 10, 100);
	reads = shim_tsc_reads - reads;
	scoped(&v, 10, &c, &t);
	CHECK("window-exit-to-entry", c == 1 && t == 100,
	      "exit to next entry: %llu exit(s), %llu cycles (want 1, 100)", c, t);
	CHECK("window-two-tsc-reads", reads == 2,
	      "the common path reads the TSC %lu times per exit (at most 2)", reads);

	/* A leaf read during its own exit reports every earlier exit only. */
	vm_exit(&v, 10);
	shim_tsc += 30;
	leaf(&v, EXITPROBE_LEAF_COUNT, 10, &r);
	vm_enter(&v);
	model_add(&vm.m, 10, 30);
	model_add(&host_model, 10, 30);
	scoped(&v, 10, &c, &t);
	CHECK("window-read-not-itself", r.eax == 1 && c == 2 && t == 130,
	      "a read inside an exit saw %u exit(s), then 2 after the entry (got %llu, %llu cycles)",
	      r.eax, c, t);

	/* vcpu_put() to vcpu_load() does not count: 30 + 12 + 8 = 50. */
	vm_exit(&v, 31);
	shim_tsc += 30;
	vmx_exit_stats_put(&v.es);
	shim_tsc += 1000;
	vmx_exit_stats_put(&v.es);	/* already stopped */
	vmx_exit_stats_load(&v.es);
	shim_tsc += 12;
	vmx_exit_stats_load(&v.es);	/* already running */
	vmx_exit_stats_put(&v.es);
	shim_tsc += 500;
	vmx_exit_stats_load(&v.es);
	shim_tsc += 8;
	vm_enter(&v);
	model_add(&vm.m, 31, 50);
	model_add(&host_model, 31, 50);
	scoped(&v, 31, &c, &t);
	CHECK("window-put-load-pause", c == 1 && t == 50,
	      "put/load pairs stop the clock: %llu cycles (want 30 + 12 + 8)", t);

	/* A halted vCPU: the window ends with the handler. */
	vm_exit(&v, 12);
	shim_tsc += 40;
	vmx_exit_stats_handled(&v.es, 12, true);
	scoped(&v, 12, &c, &t);
	CHECK("window-halted-counted-at-once", c == 1 && t == 40 && !v.es.pending,
	      "an exit that leaves the vCPU halted counts when its handler returns: %llu exits, %llu cycles (want 1, 40)",
	      c, t);
	shim_tsc += 5000;		/* halt-polling */
	vmx_exit_stats_put(&v.es);
	shim_tsc += 100000;		/* blocked */
	vmx_exit_stats_load(&v.es);
	shim_tsc += 7;
	vm_enter(&v);
	model_add(&vm.m, 12, 40);
	model_add(&host_model, 12, 40);
	scoped(&v, 12, &c, &t);
	CHECK("window-halted-ends", c == 1 && t == 40,
	      "polling, blocking and the re-entry add nothing to the halted exit: %llu cycles (want 40)", t);

	/* Not halted: the clock keeps running after the handler. */
	vm_exit(&v, 12);
	shim_tsc += 40;
	vmx_exit_stats_handled(&v.es, 12, false);
	shim_tsc += 60;
	vm_enter(&v);
	model_add(&vm.m, 12, 100);
	model_add(&host_model, 12, 100);
	scoped(&v, 12, &c, &t);
	CHECK("window-runnable-runs", c == 2 && t == 140,
	      "handled(runnable) keeps the clock: %llu cycles (want 40 + 100)", t);

	/* Migrated to a CPU whose TSC lags: no wraparound. */
	scoped(&v, 10, &c0, &t0);
	vm_exit(&v, 10);
	shim_tsc -= 500;
	vm_enter(&v);
	model_add(&vm.m, 10, 0);
	model_add(&host_model, 10, 0);
	vm_exit(&v, 10);
	shim_tsc += 10;
	vmx_exit_stats_put(&v.es);
	shim_tsc -= 100000;
	vmx_exit_stats_load(&v.es);
	shim_tsc += 5;
	vm_enter(&v);
	model_add(&vm.m, 10, 15);
	model_add(&host_model, 10, 15);
	scoped(&v, 10, &c, &t);
	CHECK("window-tsc-behind", c == c0 + 2 && t == t0 + 15,
	      "a TSC behind adds nothing: +%llu exits, +%llu cycles (want 2, 0 + 15)",
	      c - c0, t - t0);

	/* Entry with nothing pending, and KVM's synthesized invalid-state
	 * exit (no VM-Entry was attempted): nothing counts. */
	leaf(&v, EXITPROBE_LEAF_TOTAL, 0, &r);
	c0 = r.eax;
	vm_enter(&v);
	v.exit_reason = 0x80000021;
	vm_enter(&v);
	leaf(&v, EXITPROBE_LEAF_TOTAL, 0, &r);
	CHECK("window-no-entry-no-count", r.eax == c0,
	      "an entry with no open window counts nothing (%u -> %u)", (u32)c0, r.eax);

	/* Reasons beyond the table: totals only; the full reason's high bits
	 * (bit 31, VM-Entry failure) do not change the basic reason. */
	exit_round(&v, 0xdead, 11);
	exit_round(&v, 86, 12);
	exit_round(&v, 0xffff, 13);
	exit_round(&v, 0x0001ffff, 14);
	exit_round(&v, 0x80000021, 15);
	check_view("window", &v, &vm.m, EXITPROBE_SCOPE_VM, vm_file(&vm));

	/* Freed with a window open (it last returned to userspace): counted
	 * in the host-wide view. */
	{
		struct model before, after;
		bool readable = read_view(host_file(), &before);

		vm_exit(&v, 30);
		shim_tsc += 25;
		vmx_exit_stats_put(&v.es);
		shim_tsc += 900;
		vmx_exit_stats_vcpu_free(&v.es, v.exit_reason);
		readable &= read_view(host_file(), &after);
		CHECK("window-free-commits", readable &&
		      after.cnt[30] == before.cnt[30] + 1 &&
		      after.cyc[30] == before.cyc[30] + 25 &&
		      after.cnt[MODEL_TOTAL] == before.cnt[MODEL_TOTAL] + 1,
		      "an open window is counted at vcpu_free: reason 30 +%llu exits, +%llu cycles (want 1, 25)",
		      after.cnt[30] - before.cnt[30],
		      after.cyc[30] - before.cyc[30]);
	}
	model_add(&host_model, 30, 25);
	vmx_exit_stats_vm_destroy(&vm.es);
	debugfs_remove(vm.dir);
}

/* Every reason, on a VM with two vCPUs, through every leaf. */
static struct fake_vm vm_all;
static struct fake_vcpu vcpu_all[2];

static void test_every_reason(void)
{
	unsigned int n, k;
	struct regs r;

	vm_create(&vm_all, "200-11");
	vcpu_create(&vcpu_all[0], &vm_all);
	vcpu_create(&vcpu_all[1], &vm_all);
	/* Reason n exits n % 4 + 1 times, over both vCPUs. */
	for (n = 0; n < NR_REASONS; n++)
		for (k = 0; k <= n % 4; k++)
			exit_round(&vcpu_all[(n + k) % 2], n, 100 + 7 * n + k);
	check_view("every-reason", &vcpu_all[0], &vm_all.m, EXITPROBE_SCOPE_VM,
		   vm_file(&vm_all));
	leaf(&vcpu_all[1], EXITPROBE_LEAF_SNAPSHOT, 10, &r);
	CHECK("snapshot-async-sum", r.ecx == (u32)model_async(&vm_all.m) &&
	      r.ecx != 0 && r.ebx == (u32)vm_all.m.cnt[MODEL_TOTAL],
	      "snapshot ecx %u = exits of the ASYNC reasons of the .def, ebx %u = all exits",
	      r.ecx, r.ebx);
}

/* kvm_intel.exit_stats: the static key, the ident flag and the epoch. */
static void test_static_key(void)
{
	struct fake_vm vm;
	struct fake_vcpu v, w;
	unsigned long reads;
	struct model before;
	u64 c, t;

	vm_create(&vm, "300-12");
	vcpu_create(&v, &vm);
	vcpu_create(&w, &vm);
	exit_round(&v, 10, 9);

	CHECK("key-off", shim_param_set("exit_stats", "0") == 0 &&
	      !static_key_enabled(&vmx_exit_stats_on) &&
	      !strcmp(shim_param_get("exit_stats"), "N\n"),
	      "exit_stats=0 turns the static key off");
	want_counting = false;
	reads = shim_tsc_reads;
	vm_enter(&v);
	vm_exit(&v, 10);
	shim_tsc += 50;
	vmx_exit_stats_handled(&v.es, 10, true);
	vmx_exit_stats_put(&v.es);
	vmx_exit_stats_load(&v.es);
	vm_enter(&v);
	CHECK("key-off-no-code", shim_tsc_reads == reads && !v.es.pending,
	      "with the key off the hooks do nothing (%lu TSC reads)",
	      shim_tsc_reads - reads);
	check_view("key-off", &v, &vm.m, EXITPROBE_SCOPE_VM, vm_file(&vm));

	CHECK("key-bad-value",
	      shim_param_set("exit_stats", "maybe") == -EINVAL &&
	      shim_param_set("exit_stats", "") == -EINVAL &&
	      !static_key_enabled(&vmx_exit_stats_on) &&
	      !strcmp(shim_param_get("exit_stats"), "N\n"),
	      "exit_stats=maybe and exit_stats= are refused, the key stays off");

	CHECK("key-on", shim_param_set("exit_stats", "on") == 0 &&
	      static_key_enabled(&vmx_exit_stats_on),
	      "exit_stats=on turns the static key back on");
	want_counting = true;
	exit_round(&v, 10, 4);
	check_view("key-on-again", &v, &vm.m, EXITPROBE_SCOPE_VM, NULL);

	/* Epoch: a window opened before an off/on cycle is dropped. */
	scoped(&v, 10, &c, &t);
	vm_exit(&v, 10);
	shim_tsc += 20;
	shim_param_set("exit_stats", "0");
	vm_enter(&v);		/* off: the window stays open */
	vm_exit(&v, 31);	/* off: not seen */
	shim_param_set("exit_stats", "1");
	shim_tsc += 5;
	vm_enter(&v);
	{
		u64 c2, t2, c31, t31;

		scoped(&v, 10, &c2, &t2);
		scoped(&v, 31, &c31, &t31);
		CHECK("epoch-drops-old-window", c2 == c && t2 == t && c31 == 0,
		      "a window opened before exit_stats=0/1 is not counted (+%llu exits of 10, %llu of 31)",
		      c2 - c, c31);
	}
	/* ... while the next one counts normally. */
	exit_round(&v, 10, 6);
	scoped(&v, 10, &c, &t);
	CHECK("epoch-next-window-counts", c == vm.m.cnt[10] && t == vm.m.cyc[10],
	      "the next exit counts again: %llu exits, %llu cycles of reason 10", c, t);

	/* Setting the value it already has changes nothing. */
	{
		u32 epoch = vmx_exit_stats_epoch;

		vm_exit(&v, 10);
		shim_param_set("exit_stats", "1");
		shim_tsc += 3;
		vm_enter(&v);
		model_add(&vm.m, 10, 3);
		model_add(&host_model, 10, 3);
		CHECK("key-on-twice", vmx_exit_stats_epoch == epoch,
		      "exit_stats=1 while on neither bumps the epoch nor drops an open window");
		check_view("key-on-twice", &v, &vm.m, EXITPROBE_SCOPE_VM, NULL);
	}

	/*
	 * A vCPU freed while counting is off, with a window opened while it
	 * was on: "with EXITPROBE_FLAG_COUNTING clear the counters do not
	 * move" (common/exitprobe-abi.h). A first version committed the open
	 * window at vcpu_free regardless of the key.
	 */
	vm_enter(&w);
	vm_exit(&w, 32);
	shim_tsc += 70;
	vmx_exit_stats_put(&w.es);
	read_view(host_file(), &before);
	shim_param_set("exit_stats", "0");
	want_counting = false;
	vmx_exit_stats_vcpu_free(&w.es, w.exit_reason);
	{
		struct model after;

		read_view(host_file(), &after);
		CHECK("key-off-free-frozen",
		      after.cnt[MODEL_TOTAL] == before.cnt[MODEL_TOTAL] &&
		      after.cyc[MODEL_TOTAL] == before.cyc[MODEL_TOTAL],
		      "freeing a vCPU while exit_stats=0 moves no host counter (total %llu -> %llu)",
		      before.cnt[MODEL_TOTAL], after.cnt[MODEL_TOTAL]);
		/* Keep the model in step with whatever happened. */
		host_model.cnt[MODEL_TOTAL] += after.cnt[MODEL_TOTAL] - before.cnt[MODEL_TOTAL];
		host_model.cyc[MODEL_TOTAL] += after.cyc[MODEL_TOTAL] - before.cyc[MODEL_TOTAL];
		host_model.cnt[32] += after.cnt[32] - before.cnt[32];
		host_model.cyc[32] += after.cyc[32] - before.cyc[32];
	}
	shim_param_set("exit_stats", "1");
	want_counting = true;
	vmx_exit_stats_vcpu_free(&v.es, v.exit_reason);
	vmx_exit_stats_vm_destroy(&vm.es);
	debugfs_remove(vm.dir);
}

/* Two VMs: each sees its own exits; scope host sees all. */
static struct fake_vm vm_a, vm_b;
static struct fake_vcpu vcpu_a[2], vcpu_b;

static void test_scope(void)
{
	static const char *const bad[] = { "", "VM", "hosts", "vm host", "1",
					   "0", "vm\n\n", " vm" };
	unsigned int i, n, refused = 0;
	struct regs r;

	vm_create(&vm_a, "400-13");
	vm_create(&vm_b, "401-14");
	vcpu_create(&vcpu_a[0], &vm_a);
	vcpu_create(&vcpu_a[1], &vm_a);
	vcpu_create(&vcpu_b, &vm_b);
	for (n = 0; n < NR_REASONS; n += 3) {
		exit_round(&vcpu_a[0], n, 1000 + n);
		exit_round(&vcpu_a[1], n + 1, 2000 + n);
		exit_round(&vcpu_b, n, 3000 + n);
		exit_round(&vcpu_b, 10, 1);
	}
	check_view("scope-vm-a", &vcpu_a[1], &vm_a.m, EXITPROBE_SCOPE_VM,
		   vm_file(&vm_a));
	check_view("scope-vm-b", &vcpu_b, &vm_b.m, EXITPROBE_SCOPE_VM,
		   vm_file(&vm_b));

	CHECK("scope-set-host", shim_param_set("exit_stats_scope", "host\n") == 0 &&
	      !strcmp(shim_param_get("exit_stats_scope"), "host\n"),
	      "exit_stats_scope=host accepted (with a trailing newline, as echo writes it)");
	check_view("scope-host-from-a", &vcpu_a[0], &host_model,
		   EXITPROBE_SCOPE_HOST, host_file());
	check_view("scope-host-from-b", &vcpu_b, &host_model,
		   EXITPROBE_SCOPE_HOST, NULL);
	/* The per-VM files do not follow the scope. */
	{
		int err;
		char *text = debugfs_cat(vm_file(&vm_b), &err), *want = want_text(&vm_b.m);

		CHECK("scope-host-vm-file-own", text && !strcmp(text, want),
		      "with scope host, a VM's debugfs file still shows that VM only");
		free(text);
		free(want);
	}

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		refused += shim_param_set("exit_stats_scope", bad[i]) == -EINVAL;
	leaf(&vcpu_b, EXITPROBE_LEAF_IDENT, 0, &r);
	CHECK("scope-bad-values", refused == ARRAY_SIZE(bad) &&
	      r.ecx == EXITPROBE_SCOPE_HOST &&
	      !strcmp(shim_param_get("exit_stats_scope"), "host\n"),
	      "%u of %zu bad values refused with -EINVAL, the scope stays host",
	      refused, ARRAY_SIZE(bad));
	CHECK("scope-set-vm", shim_param_set("exit_stats_scope", "vm") == 0 &&
	      leaf(&vcpu_b, EXITPROBE_LEAF_IDENT, 0, &r) &&
	      r.ecx == EXITPROBE_SCOPE_VM,
	      "exit_stats_scope=vm: the ident leaf says scope %u", r.ecx);
	check_view("scope-vm-again", &vcpu_b, &vm_b.m, EXITPROBE_SCOPE_VM, NULL);
}

/*
 * A reset is one instant per vCPU: an exit that another CPU commits while
 * the host-wide reset runs is either before it (gone from the view) or
 * after it (in the view), in its reason and in the total alike. The hook
 * commits it on VM A's vCPU while the resetter holds VM B's lock, i.e. in
 * the middle of the reset. (A reset that took its baseline one slot at a
 * time, as a first version did, fails here when the hook lands between the
 * passes of reason 10 and of the total; within one vCPU's copy, the
 * sequence count does that job: test_concurrency checks it under load.)
 */
static unsigned int reset_hook_locks;

static void reset_hook(spinlock_t *lock)
{
	if (lock == &vm_b.es.lock && ++reset_hook_locks == 1) {
		shim_spin_lock_hook = NULL;
		vm_enter(&vcpu_a[0]);
		vm_exit(&vcpu_a[0], 10);
		shim_tsc += 50;
		vm_enter(&vcpu_a[0]);
		model_add(&vm_a.m, 10, 50);
	}
}

static void test_reset_host_atomic(void)
{
	struct model m;
	bool ok;

	reset_hook_locks = 0;
	shim_spin_lock_hook = reset_hook;
	debugfs_write(host_file(), "0");
	shim_spin_lock_hook = NULL;
	ok = read_view(host_file(), &m);
	CHECK("reset-host-atomic", ok && reset_hook_locks >= 1 &&
	      m.cnt[10] == m.cnt[MODEL_TOTAL] && m.cyc[10] == m.cyc[MODEL_TOTAL] &&
	      (m.cnt[10] == 0 || m.cnt[10] == 1),
	      "an exit committed during a host reset counts in both reason 10 and the total or in neither: reason 10 %llu, total %llu",
	      m.cnt[10], m.cnt[MODEL_TOTAL]);
}

/* Resets through the debugfs write handlers. */
static void test_resets(void)
{
	struct model host_before;
	ssize_t w;

	w = debugfs_write(vm_file(&vm_a), "0\n");
	memset(&vm_a.m, 0, sizeof(vm_a.m));
	CHECK("reset-vm-write", w == 2, "writing 2 bytes to a VM's file returns %zd", w);
	check_view("reset-vm-a", &vcpu_a[0], &vm_a.m, EXITPROBE_SCOPE_VM,
		   vm_file(&vm_a));
	check_view("reset-vm-b-untouched", &vcpu_b, &vm_b.m, EXITPROBE_SCOPE_VM,
		   vm_file(&vm_b));
	CHECK("reset-vm-host-untouched", read_view(host_file(), &host_before) &&
	      !memcmp(&host_before, &host_model, sizeof(host_model)),
	      "a VM's reset leaves kvm/exit_stats alone");
	exit_round(&vcpu_a[1], 10, 77);
	exit_round(&vcpu_a[0], 1, 5);
	check_view("reset-vm-a-counts-again", &vcpu_a[0], &vm_a.m,
		   EXITPROBE_SCOPE_VM, vm_file(&vm_a));

	test_reset_host_atomic();
	w = debugfs_write(host_file(), "x");
	memset(&host_model, 0, sizeof(host_model));
	CHECK("reset-host-write", w == 1, "writing 1 byte to kvm/exit_stats returns %zd", w);
	shim_param_set("exit_stats_scope", "host");
	check_view("reset-host", &vcpu_b, &host_model, EXITPROBE_SCOPE_HOST,
		   host_file());
	shim_param_set("exit_stats_scope", "vm");
	check_view("reset-host-vm-a-untouched", &vcpu_a[1], &vm_a.m,
		   EXITPROBE_SCOPE_VM, vm_file(&vm_a));
	exit_round(&vcpu_b, 48, 1234);
	exit_round(&vcpu_a[0], 48, 4321);
	shim_param_set("exit_stats_scope", "host");
	check_view("reset-host-counts-again", &vcpu_b, &host_model,
		   EXITPROBE_SCOPE_HOST, host_file());
	shim_param_set("exit_stats_scope", "vm");
}

/* The per-VM file holds a reference to the VM while open. */
static void test_vm_file(void)
{
	struct dentry *d = vm_file(&vm_b);
	struct file f = { NULL };
	int r, open_files = shim_seq_files_open;

	CHECK("vm-file-create", d && d->mode == 0600 &&
	      d->inode.i_private == &vm_b.es,
	      "kvm/<pid>-<fd>/exit_stats exists, mode 0600, for its VM");
	if (!d)
		return;
	r = d->fops->open(&d->inode, &f);
	CHECK("vm-file-get", r == 0 && vm_b.kvm.users_count == 2,
	      "open takes a VM reference (open %d, users %d)", r,
	      vm_b.kvm.users_count);
	if (r == 0)
		d->fops->release(&d->inode, &f);
	CHECK("vm-file-put", vm_b.kvm.users_count == 1 &&
	      shim_seq_files_open == open_files,
	      "release drops it (users %d) and frees the seq_file",
	      vm_b.kvm.users_count);

	shim_single_open_fail = 1;
	r = d->fops->open(&d->inode, &f);
	CHECK("vm-file-open-fails", r == -ENOMEM && vm_b.kvm.users_count == 1,
	      "a failed single_open() returns %d and drops the reference (users %d)",
	      r, vm_b.kvm.users_count);
	shim_single_open_fail = 0;

	vm_b.kvm.users_count = 0;	/* the VM is being destroyed */
	r = d->fops->open(&d->inode, &f);
	CHECK("vm-file-dying-vm", r == -ENOENT && vm_b.kvm.users_count == 0 &&
	      shim_seq_files_open == open_files,
	      "open of a dying VM's file fails with %d and takes no reference", r);
	vm_b.kvm.users_count = 1;
}

/* The host view never decreases while VMs go away, in either order. */
static bool host_grew(const struct model *before, const struct model *after)
{
	unsigned int n;

	for (n = 0; n <= MODEL_TOTAL; n++)
		if (after->cnt[n] < before->cnt[n] || after->cyc[n] < before->cyc[n])
			return false;
	return true;
}

static void teardown(const char *tag, struct fake_vm *vm,
		     struct fake_vcpu *v, unsigned int nv, bool vm_first)
{
	struct model prev, now;
	unsigned int i, steps = 0, shrank = 0;
	char name[64];

	/* Each vCPU has a window open, last returned to userspace. */
	for (i = 0; i < nv; i++) {
		vm_enter(&v[i]);
		vm_exit(&v[i], 30);
		shim_tsc += 11 + i;
		vmx_exit_stats_put(&v[i].es);
		model_add(&host_model, 30, 11 + i);
	}
	read_view(host_file(), &prev);
	if (vm_first) {	/* 6.1: kvm_arch_destroy_vm() -> vm_destroy first */
		vmx_exit_stats_vm_destroy(&vm->es);
		read_view(host_file(), &now);
		shrank += !host_grew(&prev, &now);
		prev = now;
		steps++;
	}
	for (i = 0; i < nv; i++) {
		vmx_exit_stats_vcpu_free(&v[i].es, v[i].exit_reason);
		read_view(host_file(), &now);
		shrank += !host_grew(&prev, &now);
		prev = now;
		steps++;
	}
	if (!vm_first) {	/* 6.12: vCPUs first */
		vmx_exit_stats_vm_destroy(&vm->es);
		read_view(host_file(), &now);
		shrank += !host_grew(&prev, &now);
		steps++;
	}
	debugfs_remove(vm->dir);
	snprintf(name, sizeof(name), "teardown-%s-monotonic", tag);
	CHECK(name, shrank == 0,
	      "kvm/exit_stats never decreased over %u teardown steps (%s first)",
	      steps, vm_first ? "vm_destroy" : "vcpu_free");
	snprintf(name, sizeof(name), "teardown-%s-kept", tag);
	CHECK(name, !memcmp(&now, &host_model, sizeof(now)),
	      "after the VM is gone kvm/exit_stats still holds its exits and the open windows (total %llu, want %llu)",
	      now.cnt[MODEL_TOTAL], host_model.cnt[MODEL_TOTAL]);
}

static void test_teardown(void)
{
	struct fake_vm vm61, vm612;
	struct fake_vcpu v61[2], v612[2];
	unsigned int i;

	vm_create(&vm61, "500-15");
	vm_create(&vm612, "501-16");
	for (i = 0; i < 2; i++) {
		vcpu_create(&v61[i], &vm61);
		vcpu_create(&v612[i], &vm612);
		exit_round(&v61[i], 10 + i, 100);
		exit_round(&v612[i], 48 + i, 200);
	}
	teardown("6.12", &vm612, v612, 2, false);
	teardown("6.1", &vm61, v61, 2, true);
	/* Scope host from a surviving VM includes the exited ones. */
	shim_param_set("exit_stats_scope", "host");
	check_view("teardown-scope-host", &vcpu_b, &host_model,
		   EXITPROBE_SCOPE_HOST, host_file());
	shim_param_set("exit_stats_scope", "vm");
	check_view("teardown-other-vm-untouched", &vcpu_b, &vm_b.m,
		   EXITPROBE_SCOPE_VM, vm_file(&vm_b));
}

/* 64-bit values: split over ebx:ecx, counts truncated to eax. */
static void test_64bit(void)
{
	const u64 big = 0x123456789abcdefULL;
	struct fake_vm vm;
	struct fake_vcpu v;
	struct regs r;
	int err;
	char *text;

	vm_create(&vm, "600-17");
	vcpu_create(&v, &vm);
	exit_round(&v, 10, big);
	check_view("split", &v, &vm.m, EXITPROBE_SCOPE_VM, vm_file(&vm));
	CHECK("split-cycles", leaf(&v, EXITPROBE_LEAF_REASON_CYCLES, 10, &r) &&
	      ((u64)r.ebx << 32 | r.ecx) == big,
	      "ebx:ecx = %08x:%08x joins to %#llx", r.ebx, r.ecx, big);
	/* Stand-in for 2^32 exits: raise the vCPU's own counters. */
	v.es.c[10].count += 1ULL << 32;
	v.es.c[VMX_EXIT_STATS_TOTAL].count += 1ULL << 33;
	CHECK("count-low-32-bits",
	      leaf(&v, EXITPROBE_LEAF_COUNT, 10, &r) && r.eax == 1 &&
	      leaf(&v, EXITPROBE_LEAF_TOTAL, 0, &r) && r.eax == 1 &&
	      leaf(&v, EXITPROBE_LEAF_SNAPSHOT, 10, &r) && r.eax == 1 && r.ebx == 1,
	      "counts of 2^32+1 and 2^33+1 read as eax = 1 (and ebx = 1 for the snapshot)");
	text = debugfs_cat(vm_file(&vm), &err);
	CHECK("debugfs-64-bit", text &&
	      strstr(text, "\n10 CPUID 4294967297 81985529216486895\n") &&
	      strstr(text, "\ntotal - 8589934593 81985529216486895\n"),
	      "debugfs shows the full 64-bit values");
	free(text);
	v.es.c[10].count -= 1ULL << 32;
	v.es.c[VMX_EXIT_STATS_TOTAL].count -= 1ULL << 33;
	vmx_exit_stats_vcpu_free(&v.es, v.exit_reason);
	vmx_exit_stats_vm_destroy(&vm.es);
	debugfs_remove(vm.dir);
}

/* The guest controls ecx: every value must give the defined answer. */
static const u32 reason_leaves[] = { EXITPROBE_LEAF_COUNT,
				     EXITPROBE_LEAF_REASON_CYCLES,
				     EXITPROBE_LEAF_SNAPSHOT,
				     EXITPROBE_LEAF_SNAPSHOT_CYCLES };

static void test_ecx_sampled(void)
{
	unsigned long long tried = 0, bad = 0;
	unsigned int l, k;
	u32 ecx;

	for (l = 0; l < ARRAY_SIZE(reason_leaves); l++) {
		u32 lf = reason_leaves[l];

		for (ecx = 0; ecx <= 0xffff; ecx++, tried++)
			bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, ecx, 1, bad < 3);
		for (k = 0; k < 32; k++, tried += 3) {
			bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, 1U << k, 1, bad < 3);
			bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, ~(1U << k), 1, bad < 3);
			bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, (1U << k) | 10, 1, bad < 3);
		}
		/* A stride through the whole range, plus the edges. */
		for (ecx = 0x10007; ecx >= 0x10007; ecx += 0x10007, tried++)
			bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, ecx, 1, bad < 3);
		bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, 0xffffffff, 1, bad < 3);
		bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, 0x80000000, 1, bad < 3);
		bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, 0x100000000ULL - NR_REASONS, 1, bad < 3);
		tried += 3;
	}
	CHECK("ecx-sampled", bad == 0,
	      "%llu guest ecx values (0..0xffff, bit patterns, a stride over 2^32) on the 4 per-reason leaves, %llu wrong",
	      tried, bad);
}

/*
 * All 2^32 values of ecx on the per-reason leaves whose answer for an
 * undefined reason reads no counter. Values above the table take one
 * branch; they are compared with the fixed answer. The snapshot leaf reads
 * the VM's totals for every ecx (minutes for 2^32 values), so it gets the
 * sampled sweep only.
 */
static void test_ecx_exhaustive(void)
{
	unsigned long long bad = 0;
	unsigned int l;

	for (l = 0; l < ARRAY_SIZE(reason_leaves); l++) {
		u32 lf = reason_leaves[l];

		if (lf == EXITPROBE_LEAF_SNAPSHOT)
			continue;
		struct regs w = want_leaf(&vm_b.m, lf, NR_REASONS, 1);
		u32 ecx = 0;

		do {
			struct regs r;

			if (ecx <= NR_REASONS) {
				bad += !leaf_ok(&vcpu_b, &vm_b.m, lf, ecx, 1, bad < 3);
				continue;
			}
			r.eax = lf;
			r.ecx = ecx;
			r.ebx = 0xdeadbeef;
			r.edx = 1;
			bad += !vmx_exit_stats_cpuid(&vcpu_b.es, &r.eax, &r.ebx,
						     &r.ecx, &r.edx) ||
			       r.eax != w.eax || r.ebx != w.ebx ||
			       r.ecx != w.ecx || r.edx != w.edx;
		} while (++ecx != 0);
	}
	CHECK("ecx-exhaustive", bad == 0,
	      "all 2^32 guest ecx values on leaves 0x4ffffffd, 0x4ffffffc and 0x4ffffff9, %llu wrong",
	      bad);
}

static void test_other_leaves(void)
{
	static const u32 others[] = { 0, 1, 7, 0xb, 0xd, 0x40000000,
				      0x40000001, 0x4ffffff8, 0x50000000,
				      0x3fffffff, 0x80000000, 0x80000008,
				      0xcffffffd, 0x4fffffff ^ 0x80000000,
				      0xffffffff };
	unsigned int i, bad = 0;
	struct regs r;

	for (i = 0; i < ARRAY_SIZE(others); i++)
		bad += leaf(&vcpu_b, others[i], 3, &r) || r.eax != others[i] ||
		       r.ebx != 0xdeadbeef || r.ecx != 3 || r.edx != 0xcafef00d;
	CHECK("other-leaves-untouched", bad == 0,
	      "%zu other leaves are not claimed and their registers are not touched",
	      ARRAY_SIZE(others));

	CHECK("leaves-param-off", shim_param_set("exit_stats_leaves", "0") == 0,
	      "exit_stats_leaves=0 accepted");
	bad = 0;
	for (i = 0; i < ARRAY_SIZE(leaves); i++)
		bad += leaf(&vcpu_b, leaves[i].leaf, 10, &r) ||
		       r.eax != leaves[i].leaf || r.ebx != 0xdeadbeef ||
		       r.ecx != 10 || r.edx != 0xcafef00d;
	shim_param_set("exit_stats_leaves", "1");
	CHECK("leaves-off-fall-through", bad == 0,
	      "with exit_stats_leaves=0 the 7 leaves fall through to the normal lookup (%u claimed)",
	      bad);
	check_view("leaves-back-on", &vcpu_b, &vm_b.m, EXITPROBE_SCOPE_VM, NULL);
}

/* ---- concurrency -------------------------------------------------------- */
/*
 * Four vCPU threads (two per VM) commit exits on their own fake CPUs while
 * readers read the leaves of both scopes and both debugfs views. In the
 * first phase nothing resets: every value a reader sees must only grow and
 * stay within what was written. In the second, resetters reset both views
 * while vCPUs count and readers read: nothing may wrap below zero. Last,
 * the vCPUs of one VM are freed while a reader watches the host view.
 */
#define WRITERS 4
#define EXITS_PER_WRITER 200000
#define WRITER_REASON(id, i) (((i) * 7 + (id)) % 90)	/* 86..89: totals only */
#define WRITER_COST 3

static struct fake_vm cvm[2];
static struct fake_vcpu cvcpu[WRITERS], creader[2];
static volatile int stop_readers, stop_resetters;
static bool resets_running;	/* readers may see values go down */
static volatile int readers_started;	/* readers that did one read */
static unsigned long long reader_reads, reader_bad;
static pthread_mutex_t reader_lock = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
	int id = (int)(long)arg;
	struct fake_vcpu *v = &cvcpu[id];
	unsigned int i;

	shim_tsc = 1000 + id;
	for (i = 0; i < EXITS_PER_WRITER; i++) {
		vm_enter(v);
		vm_exit(v, WRITER_REASON(id, i));
		shim_tsc += WRITER_COST;
		if (i % 5 == 0) {	/* back to userspace now and then */
			vmx_exit_stats_put(&v->es);
			shim_tsc += 100;
			vmx_exit_stats_load(&v->es);
		}
	}
	vm_enter(v);
	return NULL;
}

/* The first value a reader found wrong, for the failure message. */
static void first_bad(const char *what, u64 v, u64 last, u64 max)
{
	static int reported;

	if (!__atomic_exchange_n(&reported, 1, __ATOMIC_RELAXED))
		printf("  first bad read: %s = %llu (previous %llu, max %llu)\n",
		       what, v, last, max);
}

static bool within_what(const char *what, u64 v, u64 last, u64 max,
			bool monotonic)
{
	bool ok = v <= max && (!monotonic || v >= last);

	if (!ok)
		first_bad(what, v, last, max);
	return ok;
}

#define within(v, last, max, monotonic) \
	within_what(#v, v, last, max, monotonic)

/* Readers check what they see: monotonic unless resets run, and bounded. */
static void *leaf_reader(void *arg)
{
	int which = (int)(long)arg;
	struct fake_vcpu *v = &creader[which];
	bool monotonic = !resets_running;
	u64 max = (u64)WRITERS * EXITS_PER_WRITER;
	u64 last_total = 0, last_snap = 0, last_cyc = 0;
	unsigned long long reads = 0, bad = 0;
	struct regs r;

	while (!stop_readers) {
		leaf(v, EXITPROBE_LEAF_TOTAL, 0, &r);
		bad += !within(r.eax, last_total, max, monotonic);
		last_total = r.eax;
		/* No relation between eax, ebx and ecx here: other vCPUs of
		 * the VM run while it is read (only a stopped VM's snapshot
		 * is consistent by construction). */
		leaf(v, EXITPROBE_LEAF_SNAPSHOT, 10, &r);
		bad += !within(r.ebx, last_snap, max, monotonic) ||
		       r.edx != EXITPROBE_STATUS_OK;
		last_snap = r.ebx;
		/*
		 * Count and cycles of a running vCPU are two stores: a reader
		 * may see the count of an exit before its cycles, so each of
		 * the VM's two writers can lag by one exit, never more.
		 */
		leaf(v, EXITPROBE_LEAF_SNAPSHOT_CYCLES, 10, &r);
		bad += !within((u64)r.ebx << 32 | r.ecx, last_cyc,
			       WRITER_COST * max, monotonic) ||
		       (monotonic && ((u64)r.ebx << 32 | r.ecx) +
			2 * WRITER_COST < (u64)WRITER_COST * r.eax);
		last_cyc = (u64)r.ebx << 32 | r.ecx;
		reads++;
	}
	pthread_mutex_lock(&reader_lock);
	reader_reads += reads;
	reader_bad += bad;
	pthread_mutex_unlock(&reader_lock);
	return NULL;
}

static void *debugfs_reader(void *arg)
{
	struct dentry *d = arg ? vm_file(arg) : host_file();
	bool monotonic = !resets_running;
	u64 max = (u64)WRITERS * EXITS_PER_WRITER + host_model.cnt[MODEL_TOTAL];
	unsigned long long reads = 0, bad = 0;
	struct model last, m;

	memset(&last, 0, sizeof(last));
	while (!stop_readers) {
		if (!read_view(d, &m)) {
			bad++;
			break;
		}
		bad += !within(m.cnt[MODEL_TOTAL], last.cnt[MODEL_TOTAL], max,
			       monotonic) ||
		       (monotonic && !host_grew(&last, &m));
		last = m;
		if (!reads++)
			__atomic_add_fetch(&readers_started, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_lock(&reader_lock);
	reader_reads += reads;
	reader_bad += bad;
	pthread_mutex_unlock(&reader_lock);
	return NULL;
}

static void *resetter(void *arg)
{
	struct dentry *d = arg ? vm_file(arg) : host_file();

	while (!stop_resetters)
		debugfs_write(d, "0");
	return NULL;
}

static void run_phase(bool resets)
{
	pthread_t w[WRITERS], rd[4], rs[2];
	int id;

	stop_readers = 0;
	stop_resetters = !resets;
	resets_running = resets;
	reader_reads = reader_bad = 0;
	pthread_create(&rd[0], NULL, leaf_reader, (void *)0L);
	pthread_create(&rd[1], NULL, leaf_reader, (void *)1L);
	pthread_create(&rd[2], NULL, debugfs_reader, NULL);
	pthread_create(&rd[3], NULL, debugfs_reader, &cvm[0]);
	if (resets) {
		pthread_create(&rs[0], NULL, resetter, NULL);
		pthread_create(&rs[1], NULL, resetter, &cvm[1]);
	}
	for (id = 0; id < WRITERS; id++)
		pthread_create(&w[id], NULL, writer, (void *)(long)id);
	for (id = 0; id < WRITERS; id++)
		pthread_join(w[id], NULL);
	stop_readers = 1;
	for (id = 0; id < 4; id++)
		pthread_join(rd[id], NULL);
	if (resets) {
		stop_resetters = 1;
		pthread_join(rs[0], NULL);
		pthread_join(rs[1], NULL);
	}
}

static void model_writers(void)
{
	unsigned int i;
	int id;

	for (id = 0; id < WRITERS; id++)
		for (i = 0; i < EXITS_PER_WRITER; i++) {
			model_add(&cvm[id / 2].m, WRITER_REASON(id, i), WRITER_COST);
			model_add(&host_model, WRITER_REASON(id, i), WRITER_COST);
		}
}

static void *freer(void *arg)
{
	int id = (int)(long)arg;

	vmx_exit_stats_vcpu_free(&cvcpu[id].es, cvcpu[id].exit_reason);
	return NULL;
}

static void test_concurrency(void)
{
	pthread_t f[2], rd;
	int id;

	vm_create(&cvm[0], "700-18");
	vm_create(&cvm[1], "701-19");
	for (id = 0; id < WRITERS; id++)
		vcpu_create(&cvcpu[id], &cvm[id / 2]);
	vcpu_create(&creader[0], &cvm[0]);
	vcpu_create(&creader[1], &cvm[1]);
	/* One leaf reader per scope. */
	shim_param_set("exit_stats_scope", "vm");

	run_phase(false);
	model_writers();
	CHECK("concurrent-readers", reader_bad == 0 && reader_reads > 0,
	      "%llu reads of leaves and debugfs during counting: all monotonic, in range, cycles at most one exit per vCPU behind %d x count (%llu bad)",
	      reader_reads, WRITER_COST, reader_bad);
	check_view("concurrent-vm0", &creader[0], &cvm[0].m, EXITPROBE_SCOPE_VM,
		   vm_file(&cvm[0]));
	check_view("concurrent-vm1", &cvcpu[3], &cvm[1].m, EXITPROBE_SCOPE_VM,
		   vm_file(&cvm[1]));

	run_phase(true);
	CHECK("concurrent-resets", reader_bad == 0 && reader_reads > 0,
	      "%llu reads racing resets of kvm/exit_stats and a VM's file: none wrapped below zero (%llu bad)",
	      reader_reads, reader_bad);
	model_writers();
	/*
	 * Once quiet, a view that was reset during the race must still add
	 * up: every exit counts in the total, so the per-reason counts cannot
	 * sum to more. A reset that took its baselines slot by slot while
	 * vCPUs counted failed here; each vCPU's copy now sits inside its
	 * sequence count.
	 */
	{
		struct model m[2];
		u64 sum[2] = { 0, 0 };
		unsigned int n, i;
		bool ok = read_view(host_file(), &m[0]) &&
			  read_view(vm_file(&cvm[1]), &m[1]);

		for (i = 0; i < 2; i++)
			for (n = 0; n < NR_REASONS; n++)
				sum[i] += m[i].cnt[n];
		CHECK("concurrent-reset-adds-up", ok &&
		      sum[0] <= m[0].cnt[MODEL_TOTAL] &&
		      sum[1] <= m[1].cnt[MODEL_TOTAL],
		      "after resets raced counting, per-reason counts sum to at most the total: host %llu <= %llu, VM %llu <= %llu",
		      sum[0], m[0].cnt[MODEL_TOTAL], sum[1], m[1].cnt[MODEL_TOTAL]);
	}
	/* After the races, a reset still zeroes and counting resumes. */
	debugfs_write(vm_file(&cvm[1]), "0");
	memset(&cvm[1].m, 0, sizeof(cvm[1].m));
	exit_round(&cvcpu[2], 10, 5);
	check_view("concurrent-reset-then-count", &cvcpu[3], &cvm[1].m,
		   EXITPROBE_SCOPE_VM, vm_file(&cvm[1]));
	debugfs_write(host_file(), "0");
	memset(&host_model, 0, sizeof(host_model));

	/* VM 1's vCPUs leave, each from its own thread, under a reader. */
	exit_round(&cvcpu[2], 1, 9);
	exit_round(&cvcpu[3], 7, 8);
	stop_resetters = 1;
	stop_readers = 0;
	reader_reads = reader_bad = 0;
	readers_started = 0;
	pthread_create(&rd, NULL, debugfs_reader, NULL);
	while (!readers_started)
		sched_yield();
	vmx_exit_stats_vm_destroy(&cvm[1].es);
	pthread_create(&f[0], NULL, freer, (void *)2L);
	pthread_create(&f[1], NULL, freer, (void *)3L);
	pthread_join(f[0], NULL);
	pthread_join(f[1], NULL);
	vmx_exit_stats_vcpu_free(&creader[1].es, creader[1].exit_reason);
	stop_readers = 1;
	pthread_join(rd, NULL);
	CHECK("concurrent-free", reader_bad == 0 && reader_reads > 0,
	      "%llu reads of kvm/exit_stats while a VM's vCPUs were freed: never decreased",
	      reader_reads);
	shim_param_set("exit_stats_scope", "host");
	check_view("concurrent-free-host", &creader[0], &host_model,
		   EXITPROBE_SCOPE_HOST, host_file());
	shim_param_set("exit_stats_scope", "vm");
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");

	load_def();
	fill_fake_handlers();
	kvm_dir = shim_debugfs_create_dir("kvm", NULL);
	test_table();
	test_before_setup();
	test_i386();
	test_gates();
	test_setup();
	test_window();
	test_every_reason();
	test_static_key();
	test_scope();
	test_resets();
	test_vm_file();
	test_teardown();
	test_64bit();
	test_ecx_sampled();
	/* --quick (the sanitizer build): the plain build does the full sweep. */
	if (!quick)
		test_ecx_exhaustive();
	test_other_leaves();
	test_concurrency();
	vmx_exit_stats_debugfs_exit();
	CHECK("debugfs-remove", !host_file(), "kvm/exit_stats removed");
	vmx_exit_stats_unsetup();
	CHECK("unsetup-key-off", !static_key_enabled(&vmx_exit_stats_on),
	      "vmx_exit_stats_unsetup() turns the static key off");
	return failures ? 1 : 0;
}
