// SPDX-License-Identifier: GPL-2.0
/*
 * VM-Exit statistics for VMX: count every VM-Exit per basic exit reason and
 * the host TSC cycles of its window, per vCPU; answer the exitprobe CPUID
 * leaves from them for the VM that asks (or, with exit_stats_scope=host,
 * for the whole host) and show them in debugfs: kvm/exit_stats for the
 * host, kvm/<pid>-<fd>/exit_stats for each VM.
 *
 * Counting.  An exit is counted when its window closes: at the next
 * VM-Enter of its vCPU (first thing in vmx_vcpu_run(), so exits handled in
 * the fastpath need no hook of their own), when its handler has left the
 * vCPU halted, or when the vCPU is freed.  Every
 * return from VMLAUNCH/VMRESUME counts, VM-Entry failures included; a basic
 * reason above VMX_EXIT_STATS_MAX_REASON (e.g. KVM's 0xdead for VMfail)
 * counts in the totals only.  Exits synthesized for invalid guest state (no
 * VM-Entry was attempted) do not count.
 *
 * The cycle window.  An exit costs the host the time from the hardware
 * VM-Exit to the next VM-Enter of the same vCPU, minus the time during which
 * the vCPU's task does no KVM work for it: from vcpu_put() to vcpu_load()
 * (scheduled out, or back in userspace, e.g. an I/O exit completed by the
 * VMM); and when the handler leaves the vCPU halted, the window ends there
 * (halt-polling and blocking in HLT belong to the wait, not to the exit).
 * So an external-interrupt exit includes the host's interrupt dispatch, and
 * an exit whose work KVM defers to the next entry (interrupt window, MMU
 * reload) includes that work.  perf kvm stat's window, kvm_exit to
 * kvm_entry, differs: it ends at the next entry's tracepoint, and includes
 * userspace and halted time.
 *
 * Scopes.  Counters live in the vCPU (struct vmx_exit_stats_vcpu), written
 * only by the vCPU's own task with plain stores: no lock, no atomic, no
 * shared cache line on the exit path.  A VM's view sums its vCPUs; the
 * host-wide view sums every VM's vCPUs plus the counts of vCPUs already
 * freed, folded into vmx_exit_stats_dead.  Readers take locks; the exit
 * path never does.  A reader copies each vCPU's counters inside that vCPU's
 * sequence count, so the pairs it sums from one vCPU (a reason and the
 * total, count and cycles) belong to one instant.  A reset stores such a
 * copy as a baseline that readers subtract.
 *
 * Counting is x86-64 only: i386 cannot store a 64-bit counter in one access,
 * so a reader could see it torn.  There the hooks compile to nothing.
 *
 * The table of defined reasons is the Intel SDM, Vol. 3D, Appendix C,
 * Table C-1 "Basic Exit Reasons" (Order Number 325462-088US, June 2025).
 * Linux's own list (uapi/asm/vmx.h) is not this table.
 *
 * Enabled reasons.  A defined reason is "enabled in KVM" if KVM's exit
 * handler table has a handler for it (every reason KVM handles in its
 * fastpath has one too, as the fastpath may decline) and the VMCS controls
 * let it occur: it is not gated by a control (CPUID, the VMX instructions,
 * or reasons that also occur with the control 0, such as RDMSR without MSR
 * bitmaps), or one of the controls that gate it is one KVM may set, in
 * vmcs01 or, for a nested guest, vmcs02.  The handler table alone says yes
 * to PML_FULL, PREEMPTION_TIMER or BUS_LOCK on a host that never turns
 * those features on.  Where a reason needs two controls at once (RDTSCP,
 * INVPCID), one of them suffices here: an upper bound.
 */

#include <linux/compiler.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "exit_stats.h"

DEFINE_STATIC_KEY_FALSE(vmx_exit_stats_on);
/* Bumped each time counting is switched on; see __vmx_exit_stats_commit(). */
u32 __read_mostly vmx_exit_stats_epoch;

static bool exit_stats = true;
static bool vmx_exit_stats_ready;

static void vmx_exit_stats_apply(void)
{
	if (exit_stats && !static_key_enabled(&vmx_exit_stats_on)) {
		WRITE_ONCE(vmx_exit_stats_epoch, vmx_exit_stats_epoch + 1);
		static_branch_enable(&vmx_exit_stats_on);
	} else if (!exit_stats && static_key_enabled(&vmx_exit_stats_on)) {
		static_branch_disable(&vmx_exit_stats_on);
	}
}

/* Serialized by the module parameter lock. */
static int vmx_exit_stats_on_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int r = kstrtobool(val, &on);

	if (r)
		return r;
	if (on && !IS_ENABLED(CONFIG_X86_64))
		return -EOPNOTSUPP;
	exit_stats = on;
	if (vmx_exit_stats_ready)
		vmx_exit_stats_apply();
	return 0;
}

static const struct kernel_param_ops vmx_exit_stats_on_ops = {
	.set = vmx_exit_stats_on_set,
	.get = param_get_bool,
};
module_param_cb(exit_stats, &vmx_exit_stats_on_ops, &exit_stats, 0644);
MODULE_PARM_DESC(exit_stats,
		 "Count VM-Exits per reason (1, default) or not (0: the exit path runs no counting code at all)");

static int __read_mostly exit_stats_scope = VMX_EXIT_STATS_SCOPE_VM;

static int vmx_exit_stats_scope_set(const char *val,
				    const struct kernel_param *kp)
{
	if (sysfs_streq(val, "vm"))
		WRITE_ONCE(exit_stats_scope, VMX_EXIT_STATS_SCOPE_VM);
	else if (sysfs_streq(val, "host"))
		WRITE_ONCE(exit_stats_scope, VMX_EXIT_STATS_SCOPE_HOST);
	else
		return -EINVAL;
	return 0;
}

static int vmx_exit_stats_scope_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%s\n", READ_ONCE(exit_stats_scope) ==
		       VMX_EXIT_STATS_SCOPE_VM ? "vm" : "host");
}

static const struct kernel_param_ops vmx_exit_stats_scope_ops = {
	.set = vmx_exit_stats_scope_set,
	.get = vmx_exit_stats_scope_get,
};
module_param_cb(exit_stats_scope, &vmx_exit_stats_scope_ops, NULL, 0644);
MODULE_PARM_DESC(exit_stats_scope,
		 "What the CPUID leaves count: vm (default, the asking VM's exits) or host (every VM's: a cross-VM side channel)");

static bool __read_mostly exit_stats_leaves = true;
module_param(exit_stats_leaves, bool, 0644);
MODULE_PARM_DESC(exit_stats_leaves,
		 "Answer the exit statistics CPUID leaves 0x4ffffff9-0x4fffffff");

/* SDM Vol. 3D, Table C-1 (325462-088US); NULL: not defined by the SDM. */
static const char * const vmx_exit_stats_names[VMX_EXIT_STATS_NR_REASONS] = {
	[0] = "EXCEPTION_NMI",
	[1] = "EXTERNAL_INTERRUPT",
	[2] = "TRIPLE_FAULT",
	[3] = "INIT_SIGNAL",
	[4] = "SIPI",
	[5] = "IO_SMI",
	[6] = "OTHER_SMI",
	[7] = "INTERRUPT_WINDOW",
	[8] = "NMI_WINDOW",
	[9] = "TASK_SWITCH",
	[10] = "CPUID",
	[11] = "GETSEC",
	[12] = "HLT",
	[13] = "INVD",
	[14] = "INVLPG",
	[15] = "RDPMC",
	[16] = "RDTSC",
	[17] = "RSM",
	[18] = "VMCALL",
	[19] = "VMCLEAR",
	[20] = "VMLAUNCH",
	[21] = "VMPTRLD",
	[22] = "VMPTRST",
	[23] = "VMREAD",
	[24] = "VMRESUME",
	[25] = "VMWRITE",
	[26] = "VMXOFF",
	[27] = "VMXON",
	[28] = "CR_ACCESS",
	[29] = "DR_ACCESS",
	[30] = "IO_INSTRUCTION",
	[31] = "RDMSR",
	[32] = "WRMSR",
	[33] = "INVALID_GUEST_STATE",
	[34] = "MSR_LOAD_FAIL",
	[36] = "MWAIT",
	[37] = "MONITOR_TRAP_FLAG",
	[39] = "MONITOR",
	[40] = "PAUSE",
	[41] = "MCE_DURING_VMENTRY",
	[43] = "TPR_BELOW_THRESHOLD",
	[44] = "APIC_ACCESS",
	[45] = "EOI_INDUCED",
	[46] = "GDTR_IDTR",
	[47] = "LDTR_TR",
	[48] = "EPT_VIOLATION",
	[49] = "EPT_MISCONFIG",
	[50] = "INVEPT",
	[51] = "RDTSCP",
	[52] = "PREEMPTION_TIMER",
	[53] = "INVVPID",
	[54] = "WBINVD",
	[55] = "XSETBV",
	[56] = "APIC_WRITE",
	[57] = "RDRAND",
	[58] = "INVPCID",
	[59] = "VMFUNC",
	[60] = "ENCLS",
	[61] = "RDSEED",
	[62] = "PML_FULL",
	[63] = "XSAVES",
	[64] = "XRSTORS",
	[65] = "PCONFIG",
	[66] = "SPP_EVENT",
	[67] = "UMWAIT",
	[68] = "TPAUSE",
	[69] = "LOADIWKEY",
	[70] = "ENCLV",
	[72] = "ENQCMD_PASID_FAIL",
	[73] = "ENQCMDS_PASID_FAIL",
	[74] = "BUS_LOCK",
	[75] = "INSTRUCTION_TIMEOUT",
	[76] = "SEAMCALL",
	[77] = "TDCALL",
	[78] = "RDMSRLIST",
	[79] = "WRMSRLIST",
	[80] = "URDMSR",
	[81] = "UWRMSR",
	[84] = "RDMSR_IMM",
	[85] = "WRMSRNS_IMM",
};

/*
 * The reasons caused by events outside the guest's instruction stream (the
 * ASYNC class of exitprobe's sdm-exit-reasons.def), summed by the snapshot
 * leaf so that a guest can tell its own exits from interrupts and timers.
 */
static const u8 vmx_exit_stats_async[] = { 1, 3, 4, 5, 6, 7, 8, 41, 52, 62, 75 };

static bool __read_mostly vmx_exit_stats_enabled[VMX_EXIT_STATS_NR_REASONS];

/*
 * Exit reasons that occur only if one of their controls is 1 (SDM Vol. 3C,
 * chapters 26-27): field, bit, basic exit reason.
 */
static const struct {
	u8 field;
	u8 bit;
	u8 reason;
} vmx_exit_stats_gates[] = {
	{ VMX_EXIT_STATS_PIN, 0, 1 },	/* External-interrupt exiting: EXTERNAL_INTERRUPT */
	{ VMX_EXIT_STATS_PIN, 6, 52 },	/* Activate VMX-preemption timer: PREEMPTION_TIMER */
	{ VMX_EXIT_STATS_EXEC, 2, 7 },	/* Interrupt-window exiting: INTERRUPT_WINDOW */
	{ VMX_EXIT_STATS_EXEC, 7, 12 },	/* HLT exiting: HLT */
	{ VMX_EXIT_STATS_EXEC, 9, 14 },	/* INVLPG exiting: INVLPG */
	{ VMX_EXIT_STATS_EXEC, 9, 58 },	/* INVLPG exiting: INVPCID */
	{ VMX_EXIT_STATS_EXEC, 10, 36 },	/* MWAIT exiting: MWAIT */
	{ VMX_EXIT_STATS_EXEC, 11, 15 },	/* RDPMC exiting: RDPMC */
	{ VMX_EXIT_STATS_EXEC, 12, 16 },	/* RDTSC exiting: RDTSC */
	{ VMX_EXIT_STATS_EXEC, 12, 51 },	/* RDTSC exiting: RDTSCP */
	{ VMX_EXIT_STATS_EXEC, 21, 43 },	/* Use TPR shadow: TPR_BELOW_THRESHOLD */
	{ VMX_EXIT_STATS_EXEC, 22, 8 },	/* NMI-window exiting: NMI_WINDOW */
	{ VMX_EXIT_STATS_EXEC, 23, 29 },	/* MOV-DR exiting: DR_ACCESS */
	{ VMX_EXIT_STATS_EXEC, 24, 30 },	/* Unconditional I/O exiting: IO_INSTRUCTION */
	{ VMX_EXIT_STATS_EXEC, 25, 30 },	/* Use I/O bitmaps: IO_INSTRUCTION */
	{ VMX_EXIT_STATS_EXEC, 27, 37 },	/* Monitor trap flag: MONITOR_TRAP_FLAG */
	{ VMX_EXIT_STATS_EXEC, 29, 39 },	/* MONITOR exiting: MONITOR */
	{ VMX_EXIT_STATS_EXEC, 30, 40 },	/* PAUSE exiting: PAUSE */
	{ VMX_EXIT_STATS_EXEC2, 0, 44 },	/* Virtualize APIC accesses: APIC_ACCESS */
	{ VMX_EXIT_STATS_EXEC2, 1, 48 },	/* Enable EPT: EPT_VIOLATION */
	{ VMX_EXIT_STATS_EXEC2, 1, 49 },	/* Enable EPT: EPT_MISCONFIG */
	{ VMX_EXIT_STATS_EXEC2, 2, 46 },	/* Descriptor-table exiting: GDTR_IDTR */
	{ VMX_EXIT_STATS_EXEC2, 2, 47 },	/* Descriptor-table exiting: LDTR_TR */
	{ VMX_EXIT_STATS_EXEC2, 3, 51 },	/* Enable RDTSCP: RDTSCP */
	{ VMX_EXIT_STATS_EXEC2, 6, 54 },	/* WBINVD exiting: WBINVD */
	{ VMX_EXIT_STATS_EXEC2, 8, 56 },	/* APIC-register virtualization: APIC_WRITE */
	{ VMX_EXIT_STATS_EXEC2, 9, 45 },	/* Virtual-interrupt delivery: EOI_INDUCED */
	{ VMX_EXIT_STATS_EXEC2, 9, 56 },	/* Virtual-interrupt delivery: APIC_WRITE */
	{ VMX_EXIT_STATS_EXEC2, 10, 40 },	/* PAUSE-loop exiting: PAUSE */
	{ VMX_EXIT_STATS_EXEC2, 11, 57 },	/* RDRAND exiting: RDRAND */
	{ VMX_EXIT_STATS_EXEC2, 12, 58 },	/* Enable INVPCID: INVPCID */
	{ VMX_EXIT_STATS_EXEC2, 13, 59 },	/* Enable VM functions: VMFUNC */
	{ VMX_EXIT_STATS_EXEC2, 15, 60 },	/* Enable ENCLS exiting: ENCLS */
	{ VMX_EXIT_STATS_EXEC2, 16, 61 },	/* RDSEED exiting: RDSEED */
	{ VMX_EXIT_STATS_EXEC2, 17, 62 },	/* Enable PML: PML_FULL */
	{ VMX_EXIT_STATS_EXEC2, 20, 63 },	/* Enable XSAVES/XRSTORS: XSAVES */
	{ VMX_EXIT_STATS_EXEC2, 20, 64 },	/* Enable XSAVES/XRSTORS: XRSTORS */
	{ VMX_EXIT_STATS_EXEC2, 21, 72 },	/* PASID translation: ENQCMD_PASID_FAIL */
	{ VMX_EXIT_STATS_EXEC2, 21, 73 },	/* PASID translation: ENQCMDS_PASID_FAIL */
	{ VMX_EXIT_STATS_EXEC2, 23, 66 },	/* Sub-page write permissions for EPT: SPP_EVENT */
	{ VMX_EXIT_STATS_EXEC2, 26, 67 },	/* Enable user wait and pause: UMWAIT */
	{ VMX_EXIT_STATS_EXEC2, 26, 68 },	/* Enable user wait and pause: TPAUSE */
	{ VMX_EXIT_STATS_EXEC2, 27, 65 },	/* Enable PCONFIG: PCONFIG */
	{ VMX_EXIT_STATS_EXEC2, 28, 70 },	/* Enable ENCLV exiting: ENCLV */
	{ VMX_EXIT_STATS_EXEC2, 30, 74 },	/* VMM bus-lock detection: BUS_LOCK */
	{ VMX_EXIT_STATS_EXEC2, 31, 75 },	/* Instruction timeout: INSTRUCTION_TIMEOUT */
	{ VMX_EXIT_STATS_EXEC3, 0, 69 },	/* LOADIWKEY exiting: LOADIWKEY */
};

/* The controls KVM may set, as vmx.c gave them at setup. */
static struct vmx_exit_stats_controls vmx_exit_stats_kvm_controls;

/*
 * Protects the list of VMs, the orphaned vCPUs, the counts of freed vCPUs
 * and the host-wide baseline.  Taken before a VM's lock.
 */
static DEFINE_SPINLOCK(vmx_exit_stats_lock);
static LIST_HEAD(vmx_exit_stats_vms);
/* vCPUs whose VM went first (6.1 destroys the VM before its vCPUs). */
static LIST_HEAD(vmx_exit_stats_orphans);
static struct vmx_exit_stats_counter vmx_exit_stats_dead[VMX_EXIT_STATS_NR_SLOTS];
static struct vmx_exit_stats_counter vmx_exit_stats_base[VMX_EXIT_STATS_NR_SLOTS];
/* 0, 1, ..., VMX_EXIT_STATS_TOTAL: what a reset copies. */
static unsigned int vmx_exit_stats_all_slots[VMX_EXIT_STATS_NR_SLOTS];
/* Most slots a read other than a reset sums (on the stack). */
#define VMX_EXIT_STATS_READ_MAX	16
static struct dentry *vmx_exit_stats_dentry;
static struct dentry *vmx_exit_stats_controls_dentry;

static bool vmx_exit_stats_control(const struct vmx_exit_stats_controls *c,
				   unsigned int field, unsigned int bit)
{
	switch (field) {
	case VMX_EXIT_STATS_PIN:
		return c->pin & BIT(bit);
	case VMX_EXIT_STATS_EXEC:
		return c->exec & BIT(bit);
	case VMX_EXIT_STATS_EXEC2:
		return c->secondary_exec & BIT(bit);
	default:
		return c->tertiary_exec & BIT_ULL(bit);
	}
}

/* See "Enabled reasons" above. */
void vmx_exit_stats_setup(const vmx_exit_handler_t handlers[],
			  unsigned int nr_handlers,
			  const struct vmx_exit_stats_controls *kvm_controls)
{
	bool gated[VMX_EXIT_STATS_NR_REASONS] = { false };
	bool open[VMX_EXIT_STATS_NR_REASONS] = { false };
	unsigned int i, r;

	vmx_exit_stats_kvm_controls = *kvm_controls;
	for (i = 0; i < ARRAY_SIZE(vmx_exit_stats_gates); i++) {
		r = vmx_exit_stats_gates[i].reason;
		gated[r] = true;
		if (vmx_exit_stats_control(kvm_controls,
					   vmx_exit_stats_gates[i].field,
					   vmx_exit_stats_gates[i].bit))
			open[r] = true;
	}
	for (i = 0; i < VMX_EXIT_STATS_NR_REASONS; i++)
		vmx_exit_stats_enabled[i] = vmx_exit_stats_names[i] &&
					    i < nr_handlers && handlers[i] &&
					    (!gated[i] || open[i]);
	for (i = 0; i < VMX_EXIT_STATS_NR_SLOTS; i++)
		vmx_exit_stats_all_slots[i] = i;
	/* Counting exists on x86-64 only (see above): off, and says so. */
	if (!IS_ENABLED(CONFIG_X86_64))
		exit_stats = false;
	memset(vmx_exit_stats_dead, 0, sizeof(vmx_exit_stats_dead));
	memset(vmx_exit_stats_base, 0, sizeof(vmx_exit_stats_base));
	vmx_exit_stats_ready = true;
	vmx_exit_stats_apply();
}

void vmx_exit_stats_unsetup(void)
{
	vmx_exit_stats_ready = false;
	static_branch_disable(&vmx_exit_stats_on);
}

void vmx_exit_stats_vm_init(struct vmx_exit_stats_vm *vm, struct kvm *kvm)
{
	spin_lock_init(&vm->lock);
	INIT_LIST_HEAD(&vm->vcpus);
	memset(vm->base, 0, sizeof(vm->base));
	vm->kvm = kvm;
	spin_lock(&vmx_exit_stats_lock);
	list_add_tail(&vm->node, &vmx_exit_stats_vms);
	spin_unlock(&vmx_exit_stats_lock);
}

/* Its vCPUs, if any are left, stay in the host-wide view until freed. */
void vmx_exit_stats_vm_destroy(struct vmx_exit_stats_vm *vm)
{
	struct vmx_exit_stats_vcpu *es, *tmp;

	spin_lock(&vmx_exit_stats_lock);
	spin_lock(&vm->lock);
	list_for_each_entry_safe(es, tmp, &vm->vcpus, node) {
		es->vm = NULL;
		list_move_tail(&es->node, &vmx_exit_stats_orphans);
	}
	spin_unlock(&vm->lock);
	list_del(&vm->node);
	spin_unlock(&vmx_exit_stats_lock);
}

/* Called once the vCPU can no longer fail to be created. */
void vmx_exit_stats_vcpu_init(struct vmx_exit_stats_vcpu *es,
			      struct vmx_exit_stats_vm *vm)
{
	memset(es->c, 0, sizeof(es->c));
	seqcount_init(&es->seq);
	es->pending = false;
	es->running = false;
	es->vm = vm;
	spin_lock(&vm->lock);
	list_add_tail(&es->node, &vm->vcpus);
	spin_unlock(&vm->lock);
}

/*
 * The vCPU no longer runs.  Count the exit whose window is still open (the
 * one that last returned to userspace), unless counting is off now, and
 * fold the vCPU's counts into the host-wide view.
 */
void vmx_exit_stats_vcpu_free(struct vmx_exit_stats_vcpu *es, u32 exit_reason)
{
	unsigned int i;

	if (es->pending && static_key_enabled(&vmx_exit_stats_on)) {
		preempt_disable();
		__vmx_exit_stats_commit(es, exit_reason);
		preempt_enable();
	}

	spin_lock(&vmx_exit_stats_lock);
	if (es->vm) {
		spin_lock(&es->vm->lock);
		list_del(&es->node);
		spin_unlock(&es->vm->lock);
	} else {
		list_del(&es->node);
	}
	for (i = 0; i < VMX_EXIT_STATS_NR_SLOTS; i++) {
		vmx_exit_stats_dead[i].count += es->c[i].count;
		vmx_exit_stats_dead[i].cycles += es->c[i].cycles;
	}
	spin_unlock(&vmx_exit_stats_lock);
}

/*
 * Adds @slots of every vCPU on @vcpus to @out.  Each vCPU's slots are copied
 * to @tmp (room for @n) inside its sequence count, so they are consistent
 * with each other.  A writer runs with preemption off and never from an
 * interrupt, so the retry loop is short even with the caller's lock held.
 */
static void vmx_exit_stats_sum(struct list_head *vcpus,
			       const unsigned int *slots, unsigned int n,
			       struct vmx_exit_stats_counter *out,
			       struct vmx_exit_stats_counter *tmp)
{
	struct vmx_exit_stats_vcpu *es;
	unsigned int i, seq;

	list_for_each_entry(es, vcpus, node) {
		do {
			seq = read_seqcount_begin(&es->seq);
			for (i = 0; i < n; i++) {
				tmp[i].count = READ_ONCE(es->c[slots[i]].count);
				tmp[i].cycles = READ_ONCE(es->c[slots[i]].cycles);
			}
		} while (read_seqcount_retry(&es->seq, seq));
		for (i = 0; i < n; i++) {
			out[i].count += tmp[i].count;
			out[i].cycles += tmp[i].cycles;
		}
	}
}

static void vmx_exit_stats_sub(const struct vmx_exit_stats_counter *base,
			       const unsigned int *slots, unsigned int n,
			       struct vmx_exit_stats_counter *out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[i].count -= base[slots[i]].count;
		out[i].cycles -= base[slots[i]].cycles;
	}
}

/* The sums of @slots (at most READ_MAX) over one VM's vCPUs since its reset. */
static void vmx_exit_stats_read_vm(struct vmx_exit_stats_vm *vm,
				   const unsigned int *slots, unsigned int n,
				   struct vmx_exit_stats_counter *out)
{
	struct vmx_exit_stats_counter tmp[VMX_EXIT_STATS_READ_MAX];

	memset(out, 0, n * sizeof(*out));
	spin_lock(&vm->lock);
	vmx_exit_stats_sum(&vm->vcpus, slots, n, out, tmp);
	vmx_exit_stats_sub(vm->base, slots, n, out);
	spin_unlock(&vm->lock);
}

/* The same over the whole host, freed vCPUs included; lock held. */
static void __vmx_exit_stats_read_host(const unsigned int *slots,
				       unsigned int n,
				       struct vmx_exit_stats_counter *out,
				       struct vmx_exit_stats_counter *tmp)
{
	struct vmx_exit_stats_vm *vm;
	unsigned int i;

	lockdep_assert_held(&vmx_exit_stats_lock);
	for (i = 0; i < n; i++)
		out[i] = vmx_exit_stats_dead[slots[i]];
	list_for_each_entry(vm, &vmx_exit_stats_vms, node) {
		spin_lock(&vm->lock);
		vmx_exit_stats_sum(&vm->vcpus, slots, n, out, tmp);
		spin_unlock(&vm->lock);
	}
	vmx_exit_stats_sum(&vmx_exit_stats_orphans, slots, n, out, tmp);
}

static void vmx_exit_stats_read_host(const unsigned int *slots,
				     unsigned int n,
				     struct vmx_exit_stats_counter *out)
{
	struct vmx_exit_stats_counter tmp[VMX_EXIT_STATS_READ_MAX];

	spin_lock(&vmx_exit_stats_lock);
	__vmx_exit_stats_read_host(slots, n, out, tmp);
	vmx_exit_stats_sub(vmx_exit_stats_base, slots, n, out);
	spin_unlock(&vmx_exit_stats_lock);
}

/* The scope the leaves answer for, as the module parameter says. */
static void vmx_exit_stats_read(struct vmx_exit_stats_vcpu *es,
				const unsigned int *slots, unsigned int n,
				struct vmx_exit_stats_counter *out)
{
	if (READ_ONCE(exit_stats_scope) == VMX_EXIT_STATS_SCOPE_VM && es->vm)
		vmx_exit_stats_read_vm(es->vm, slots, n, out);
	else
		vmx_exit_stats_read_host(slots, n, out);
}

/*
 * A reset copies every slot at once, each vCPU's inside its sequence count,
 * so that the view it zeroes stays consistent (a reason never above the
 * total).  The copy needs room for all slots: allocated before the locks.
 */
static int vmx_exit_stats_reset_host(void)
{
	struct vmx_exit_stats_counter *tmp;

	tmp = kmalloc_array(VMX_EXIT_STATS_NR_SLOTS, sizeof(*tmp), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	spin_lock(&vmx_exit_stats_lock);
	__vmx_exit_stats_read_host(vmx_exit_stats_all_slots,
				   VMX_EXIT_STATS_NR_SLOTS, vmx_exit_stats_base,
				   tmp);
	spin_unlock(&vmx_exit_stats_lock);
	kfree(tmp);
	return 0;
}

static int vmx_exit_stats_reset_vm(struct vmx_exit_stats_vm *vm)
{
	struct vmx_exit_stats_counter *tmp;

	tmp = kmalloc_array(VMX_EXIT_STATS_NR_SLOTS, sizeof(*tmp), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	spin_lock(&vm->lock);
	memset(vm->base, 0, sizeof(vm->base));
	vmx_exit_stats_sum(&vm->vcpus, vmx_exit_stats_all_slots,
			   VMX_EXIT_STATS_NR_SLOTS, vm->base, tmp);
	spin_unlock(&vm->lock);
	kfree(tmp);
	return 0;
}

/* What a guest-controlled reason number is, as the leaves report it. */
static u32 vmx_exit_stats_status(u32 *reason)
{
	if (*reason >= VMX_EXIT_STATS_NR_REASONS)
		return VMX_EXIT_STATS_UNDEFINED;
	*reason = array_index_nospec(*reason, VMX_EXIT_STATS_NR_REASONS);
	if (!vmx_exit_stats_names[*reason])
		return VMX_EXIT_STATS_UNDEFINED;
	if (!vmx_exit_stats_enabled[*reason])
		return VMX_EXIT_STATS_STATUS_DISABLED;
	return VMX_EXIT_STATS_STATUS_OK;
}

static void vmx_exit_stats_ident(u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	*eax = VMX_EXIT_STATS_ABI_VERSION;
	*ebx = VMX_EXIT_STATS_SIGNATURE;
	*ecx = READ_ONCE(exit_stats_scope);
	*edx = (u32)VMX_EXIT_STATS_MAX_REASON << 16;
	if (static_key_enabled(&vmx_exit_stats_on))
		*edx |= VMX_EXIT_STATS_FLAG_COUNTING;
}

/* 0x4ffffffa: eax = count of n, ebx = total, ecx = async total, edx = status */
static void vmx_exit_stats_snapshot(struct vmx_exit_stats_vcpu *es, u32 reason,
				    u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	struct vmx_exit_stats_counter v[VMX_EXIT_STATS_READ_MAX];
	unsigned int slots[ARRAY_SIZE(v)];
	u32 status = vmx_exit_stats_status(&reason);
	unsigned int i, n = 0;
	u64 async = 0;

	BUILD_BUG_ON(ARRAY_SIZE(v) < 2 + ARRAY_SIZE(vmx_exit_stats_async));

	slots[n++] = VMX_EXIT_STATS_TOTAL;
	for (i = 0; i < ARRAY_SIZE(vmx_exit_stats_async); i++)
		slots[n++] = vmx_exit_stats_async[i];
	if (status == VMX_EXIT_STATS_STATUS_OK)
		slots[n++] = reason;
	vmx_exit_stats_read(es, slots, n, v);

	for (i = 1; i <= ARRAY_SIZE(vmx_exit_stats_async); i++)
		async += v[i].count;
	*eax = status == VMX_EXIT_STATS_STATUS_OK ? lower_32_bits(v[n - 1].count) : 0;
	*ebx = lower_32_bits(v[0].count);
	*ecx = lower_32_bits(async);
	*edx = status;
}

/*
 * Answer the exit statistics leaves (the exitprobe guest ABI, version 2;
 * exitprobe's common/exitprobe-abi.h has the full table):
 *  0x4fffffff: eax = total exits, ebx:ecx = total cycles, edx = 0
 *  0x4ffffffe: ebx:ecx = total cycles, eax = edx = 0
 *  0x4ffffffd: eax = exits of basic reason ecx, ebx = ecx = edx = 0
 *  0x4ffffffc: ebx:ecx = cycles of basic reason ecx, eax = edx = 0
 *  0x4ffffffb: eax = ABI version, ebx = signature, ecx = scope,
 *              edx = counting flag | highest defined reason << 16
 *  0x4ffffffa: eax = exits of reason ecx, ebx = total exits,
 *              ecx = exits of the asynchronous reasons, edx = status
 *  0x4ffffff9: eax = exits of reason ecx, ebx:ecx = its cycles, edx = status
 * For 0x4ffffffd/c, a reason not defined by the SDM gives eax = ebx = ecx =
 * 0, edx = ~0; one defined but not enabled in KVM gives all zeroes.  The
 * status of 0x4ffffffa/9 is 0 (enabled), 1 (not enabled) or ~0 (undefined).
 * Counts are truncated to their low 32 bits.  Everything is read from one
 * exit, so the vCPU that asks is stopped: within scope vm, a VM with one
 * vCPU gets a consistent snapshot.  Returns false, leaving the registers
 * alone, for any other leaf or when the leaves are turned off.
 */
bool vmx_exit_stats_cpuid(struct vmx_exit_stats_vcpu *es, u32 *eax, u32 *ebx,
			  u32 *ecx, u32 *edx)
{
	struct vmx_exit_stats_counter v = { 0, 0 };
	u32 leaf = *eax, reason = *ecx, status;
	unsigned int slot = VMX_EXIT_STATS_TOTAL;

	if (!READ_ONCE(exit_stats_leaves))
		return false;

	switch (leaf) {
	case VMX_EXIT_STATS_LEAF_IDENT:
		vmx_exit_stats_ident(eax, ebx, ecx, edx);
		return true;
	case VMX_EXIT_STATS_LEAF_SNAPSHOT:
		vmx_exit_stats_snapshot(es, reason, eax, ebx, ecx, edx);
		return true;
	case VMX_EXIT_STATS_LEAF_TOTAL:
	case VMX_EXIT_STATS_LEAF_CYCLES:
		vmx_exit_stats_read(es, &slot, 1, &v);
		if (leaf == VMX_EXIT_STATS_LEAF_CYCLES)
			v.count = 0;
		status = 0;
		break;
	case VMX_EXIT_STATS_LEAF_COUNT:
	case VMX_EXIT_STATS_LEAF_REASON_CYCLES:
	case VMX_EXIT_STATS_LEAF_SNAPSHOT_CYCLES:
		/* ecx is guest-controlled: vmx_exit_stats_status() clamps it. */
		status = vmx_exit_stats_status(&reason);
		if (status == VMX_EXIT_STATS_STATUS_OK)
			vmx_exit_stats_read(es, &reason, 1, &v);
		if (leaf == VMX_EXIT_STATS_LEAF_COUNT)
			v.cycles = 0;
		else if (leaf == VMX_EXIT_STATS_LEAF_REASON_CYCLES)
			v.count = 0;
		/* The version 1 leaves say "not enabled" with all zeroes. */
		if (leaf != VMX_EXIT_STATS_LEAF_SNAPSHOT_CYCLES &&
		    status == VMX_EXIT_STATS_STATUS_DISABLED)
			status = 0;
		break;
	default:
		return false;
	}

	*eax = lower_32_bits(v.count);
	*ebx = upper_32_bits(v.cycles);
	*ecx = lower_32_bits(v.cycles);
	*edx = status;
	return true;
}

static void vmx_exit_stats_print(struct seq_file *m,
				 struct vmx_exit_stats_vm *vm)
{
	struct vmx_exit_stats_counter v;
	const char *name;
	unsigned int i;

	seq_puts(m, "# reason name count cycles\n");
	for (i = 0; i <= VMX_EXIT_STATS_TOTAL; i++) {
		if (vm)
			vmx_exit_stats_read_vm(vm, &i, 1, &v);
		else
			vmx_exit_stats_read_host(&i, 1, &v);
		if (i == VMX_EXIT_STATS_TOTAL) {
			seq_printf(m, "total - %llu %llu\n", v.count, v.cycles);
			break;
		}
		name = vmx_exit_stats_names[i] ? vmx_exit_stats_names[i] : "-";
		seq_printf(m, "%u %s %llu %llu\n", i, name, v.count, v.cycles);
	}
}

static int vmx_exit_stats_show(struct seq_file *m, void *v)
{
	vmx_exit_stats_print(m, m->private);
	return 0;
}

static int vmx_exit_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, vmx_exit_stats_show, NULL);
}

/* Writing anything resets the host-wide view. */
static ssize_t vmx_exit_stats_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	int r = vmx_exit_stats_reset_host();

	return r ? (ssize_t)r : (ssize_t)len;
}

static const struct file_operations vmx_exit_stats_fops = {
	.owner		= THIS_MODULE,
	.open		= vmx_exit_stats_open,
	.read		= seq_read,
	.write		= vmx_exit_stats_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* A VM's file holds a reference to the VM while open, like KVM's stats. */
static int vmx_exit_stats_vm_open(struct inode *inode, struct file *file)
{
	struct vmx_exit_stats_vm *vm = inode->i_private;
	int r;

	if (!kvm_get_kvm_safe(vm->kvm))
		return -ENOENT;
	r = single_open(file, vmx_exit_stats_show, vm);
	if (r)
		kvm_put_kvm(vm->kvm);
	return r;
}

static int vmx_exit_stats_vm_release(struct inode *inode, struct file *file)
{
	struct vmx_exit_stats_vm *vm = inode->i_private;

	single_release(inode, file);
	kvm_put_kvm(vm->kvm);
	return 0;
}

/* Writing anything resets this VM's view, the one its leaves report. */
static ssize_t vmx_exit_stats_vm_write(struct file *file,
				       const char __user *buf, size_t len,
				       loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	int r = vmx_exit_stats_reset_vm(m->private);

	return r ? (ssize_t)r : (ssize_t)len;
}

static const struct file_operations vmx_exit_stats_vm_fops = {
	.owner		= THIS_MODULE,
	.open		= vmx_exit_stats_vm_open,
	.read		= seq_read,
	.write		= vmx_exit_stats_vm_write,
	.llseek		= seq_lseek,
	.release	= vmx_exit_stats_vm_release,
};

/*
 * The controls in the format of exitprobe's vmx-caps --kvm, with its field
 * names.  KVM never activates the secondary VM-exit controls; a field KVM
 * does not activate (secondary or tertiary execution controls on a CPU
 * without them) reads 0: KVM sets none of its bits.
 */
static void vmx_exit_stats_print_controls(struct seq_file *m,
					  const char *prefix,
					  const struct vmx_exit_stats_controls *c)
{
	seq_printf(m, "%spin_based 0x%08x\n", prefix, c->pin);
	seq_printf(m, "%scpu_based 0x%08x\n", prefix, c->exec);
	seq_printf(m, "%ssecondary 0x%08x\n", prefix, c->secondary_exec);
	seq_printf(m, "%stertiary 0x%016llx\n", prefix, c->tertiary_exec);
	seq_printf(m, "%svmexit 0x%08x\n", prefix, c->vm_exit);
	seq_printf(m, "%ssecondary_vmexit 0x%016llx\n", prefix, 0ULL);
	seq_printf(m, "%svmentry 0x%08x\n", prefix, c->vm_entry);
}

static int vmx_exit_stats_controls_show(struct seq_file *m, void *v)
{
	seq_puts(m, "# VMCS controls KVM may set: vmcs_config, less the features turned off at setup\n");
	vmx_exit_stats_print_controls(m, "", &vmx_exit_stats_kvm_controls);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmx_exit_stats_controls);

/* Each vCPU's current VMCS: vmcs01, or vmcs02 while it runs a nested guest. */
static int vmx_exit_stats_vm_controls_show(struct seq_file *m, void *v)
{
	struct vmx_exit_stats_vm *vm = m->private;
	struct vmx_exit_stats_controls c;
	struct vmx_exit_stats_vcpu *es;
	char prefix[16];

	seq_puts(m, "# vcpu field value: the controls of each vCPU's current VMCS\n");
	spin_lock(&vm->lock);
	list_for_each_entry(es, &vm->vcpus, node) {
		snprintf(prefix, sizeof(prefix), "%d ",
			 vmx_exit_stats_vcpu_controls(es, &c));
		vmx_exit_stats_print_controls(m, prefix, &c);
	}
	spin_unlock(&vm->lock);
	return 0;
}

static int vmx_exit_stats_vm_controls_open(struct inode *inode,
					   struct file *file)
{
	struct vmx_exit_stats_vm *vm = inode->i_private;
	int r;

	if (!kvm_get_kvm_safe(vm->kvm))
		return -ENOENT;
	r = single_open(file, vmx_exit_stats_vm_controls_show, vm);
	if (r)
		kvm_put_kvm(vm->kvm);
	return r;
}

static const struct file_operations vmx_exit_stats_vm_controls_fops = {
	.owner		= THIS_MODULE,
	.open		= vmx_exit_stats_vm_controls_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= vmx_exit_stats_vm_release,
};

void vmx_exit_stats_vm_debugfs(struct vmx_exit_stats_vm *vm,
			       struct dentry *dir)
{
	debugfs_create_file("exit_stats", 0600, dir, vm,
			    &vmx_exit_stats_vm_fops);
	debugfs_create_file("vmx_controls", 0400, dir, vm,
			    &vmx_exit_stats_vm_controls_fops);
}

void vmx_exit_stats_debugfs_init(void)
{
	struct dentry *kvm_dir = debugfs_lookup("kvm", NULL);

	if (IS_ERR_OR_NULL(kvm_dir))
		return;
	vmx_exit_stats_dentry = debugfs_create_file("exit_stats", 0600, kvm_dir,
						    NULL, &vmx_exit_stats_fops);
	vmx_exit_stats_controls_dentry =
		debugfs_create_file("vmx_controls", 0400, kvm_dir, NULL,
				    &vmx_exit_stats_controls_fops);
	dput(kvm_dir);
}

void vmx_exit_stats_debugfs_exit(void)
{
	debugfs_remove(vmx_exit_stats_dentry);
	vmx_exit_stats_dentry = NULL;
	debugfs_remove(vmx_exit_stats_controls_dentry);
	vmx_exit_stats_controls_dentry = NULL;
}
