/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __KVM_X86_VMX_EXIT_STATS_H
#define __KVM_X86_VMX_EXIT_STATS_H

#include <linux/cache.h>
#include <linux/jump_label.h>
#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <asm/msr.h>

struct dentry;
struct kvm;
struct kvm_vcpu;

typedef int (*vmx_exit_handler_t)(struct kvm_vcpu *vcpu);

/*
 * VMCS control fields, as KVM keeps them: the controls KVM may set in any
 * VMCS (vmcs_config, less features turned off at setup), or those of one
 * vCPU's current VMCS (its controls shadow).
 */
struct vmx_exit_stats_controls {
	u32 pin;
	u32 exec;
	u32 secondary_exec;
	u64 tertiary_exec;
	u32 vm_exit;
	u32 vm_entry;
};

/* The execution control fields whose bits gate exit reasons. */
enum {
	VMX_EXIT_STATS_PIN,
	VMX_EXIT_STATS_EXEC,
	VMX_EXIT_STATS_EXEC2,
	VMX_EXIT_STATS_EXEC3,
};

/*
 * Highest basic exit reason defined by the Intel SDM, Vol. 3D, Appendix C,
 * Table C-1 (Order Number 325462-088US, June 2025).
 */
#define VMX_EXIT_STATS_MAX_REASON	85
#define VMX_EXIT_STATS_NR_REASONS	(VMX_EXIT_STATS_MAX_REASON + 1)
/* Index of the all-reasons total in the counter arrays. */
#define VMX_EXIT_STATS_TOTAL		VMX_EXIT_STATS_NR_REASONS
#define VMX_EXIT_STATS_NR_SLOTS		(VMX_EXIT_STATS_NR_REASONS + 1)

/* The exitprobe CPUID leaves, see vmx_exit_stats_cpuid(). */
#define VMX_EXIT_STATS_LEAF_TOTAL		0x4fffffffU
#define VMX_EXIT_STATS_LEAF_CYCLES		0x4ffffffeU
#define VMX_EXIT_STATS_LEAF_COUNT		0x4ffffffdU
#define VMX_EXIT_STATS_LEAF_REASON_CYCLES	0x4ffffffcU
#define VMX_EXIT_STATS_LEAF_IDENT		0x4ffffffbU
#define VMX_EXIT_STATS_LEAF_SNAPSHOT		0x4ffffffaU
#define VMX_EXIT_STATS_LEAF_SNAPSHOT_CYCLES	0x4ffffff9U
#define VMX_EXIT_STATS_UNDEFINED		0xffffffffU

#define VMX_EXIT_STATS_ABI_VERSION	2
#define VMX_EXIT_STATS_SIGNATURE	0x62707865U	/* "expb" */
#define VMX_EXIT_STATS_SCOPE_HOST	0
#define VMX_EXIT_STATS_SCOPE_VM		1
#define VMX_EXIT_STATS_FLAG_COUNTING	BIT(0)
#define VMX_EXIT_STATS_STATUS_OK	0
#define VMX_EXIT_STATS_STATUS_DISABLED	1

/*
 * The exits of one basic reason and the cycles of their windows.  A pair is
 * 16 bytes and 16-byte aligned, so both counters of a reason share a cache
 * line and one exit dirties one line plus the line of the totals.
 */
struct vmx_exit_stats_counter {
	u64 count;
	u64 cycles;
} __aligned(16);

struct vmx_exit_stats_vm;

/*
 * Per-vCPU statistics.  Everything above @node is written only by the
 * vCPU's own task, without locks or atomics; other readers use READ_ONCE()
 * (an aligned 64-bit access is atomic on x86-64) inside @seq, so that the
 * pairs they copy from one vCPU belong to one instant.
 */
struct vmx_exit_stats_vcpu {
	struct vmx_exit_stats_counter c[VMX_EXIT_STATS_NR_SLOTS];
	seqcount_t seq;		/* odd while @c changes; right after the totals */
	u64 start;		/* TSC when the window was (re)started */
	u64 cycles;		/* cycles of the window before @start */
	u32 epoch;		/* vmx_exit_stats_epoch at the VM-Exit */
	bool pending;		/* an exit's window is open */
	bool running;		/* ... and its clock runs since @start */
	/* Under vmx_exit_stats_lock and the VM's lock. */
	struct list_head node;
	struct vmx_exit_stats_vm *vm;
};

/* Per-VM statistics: the VM's vCPUs and the baseline of its view. */
struct vmx_exit_stats_vm {
	spinlock_t lock;	/* protects @vcpus and @base */
	struct list_head vcpus;
	struct vmx_exit_stats_counter base[VMX_EXIT_STATS_NR_SLOTS];
	struct list_head node;	/* in the host-wide list */
	struct kvm *kvm;
};

DECLARE_STATIC_KEY_FALSE(vmx_exit_stats_on);
extern u32 vmx_exit_stats_epoch;

void vmx_exit_stats_setup(const vmx_exit_handler_t handlers[],
			  unsigned int nr_handlers,
			  const struct vmx_exit_stats_controls *kvm_controls);
void vmx_exit_stats_unsetup(void);
void vmx_exit_stats_debugfs_init(void);
void vmx_exit_stats_debugfs_exit(void);

void vmx_exit_stats_vm_init(struct vmx_exit_stats_vm *vm, struct kvm *kvm);
void vmx_exit_stats_vm_destroy(struct vmx_exit_stats_vm *vm);
void vmx_exit_stats_vm_debugfs(struct vmx_exit_stats_vm *vm,
			       struct dentry *dir);
void vmx_exit_stats_vcpu_init(struct vmx_exit_stats_vcpu *es,
			      struct vmx_exit_stats_vm *vm);
void vmx_exit_stats_vcpu_free(struct vmx_exit_stats_vcpu *es,
			      u32 exit_reason);

/* Provided by vmx.c: the vCPU's id and the controls of its current VMCS. */
int vmx_exit_stats_vcpu_controls(struct vmx_exit_stats_vcpu *es,
				 struct vmx_exit_stats_controls *c);

bool vmx_exit_stats_cpuid(struct vmx_exit_stats_vcpu *es, u32 *eax, u32 *ebx,
			  u32 *ecx, u32 *edx);

/*
 * The window of an exit runs from the hardware VM-Exit to the next VM-Enter
 * of the same vCPU; its clock stops while the vCPU's task is not doing KVM
 * work for the exit (vcpu_put() to vcpu_load(): scheduled out or back in
 * userspace), and it closes early when the exit's handler leaves the vCPU
 * halted.  The hooks below run on every exit: they are inline, behind a
 * static key, and touch only the vCPU's own data.  The common path reads
 * the TSC twice.
 */

/* Right after the hardware VM-Exit, IRQs off. */
static __always_inline void vmx_exit_stats_vm_exit(struct vmx_exit_stats_vcpu *es)
{
	if (!IS_ENABLED(CONFIG_X86_64) ||
	    !static_branch_unlikely(&vmx_exit_stats_on))
		return;
	es->start = rdtsc();
	es->cycles = 0;
	es->epoch = READ_ONCE(vmx_exit_stats_epoch);
	es->pending = true;
	es->running = true;
}

static __always_inline void __vmx_exit_stats_stop(struct vmx_exit_stats_vcpu *es)
{
	u64 delta = rdtsc() - es->start;

	es->running = false;
	/* The task may have migrated; ignore a TSC behind on this CPU. */
	if ((s64)delta > 0)
		es->cycles += delta;
}

static __always_inline void
__vmx_exit_stats_add(struct vmx_exit_stats_counter *c, u64 cycles)
{
	WRITE_ONCE(c->count, c->count + 1);
	WRITE_ONCE(c->cycles, c->cycles + cycles);
}

/* Close the window: count the exit with its reason and cycles. */
static __always_inline void
__vmx_exit_stats_commit(struct vmx_exit_stats_vcpu *es, u32 exit_reason)
{
	u16 basic = (u16)exit_reason;

	es->pending = false;
	if (es->running)
		__vmx_exit_stats_stop(es);
	/* A window opened before counting was last switched on is void. */
	if (unlikely(es->epoch != READ_ONCE(vmx_exit_stats_epoch)))
		return;
	/*
	 * Not a lock: two increments of the vCPU's own sequence around the
	 * stores, so that a reader copying this vCPU's pairs retries rather
	 * than see a reason counted and the total not.  The callers run with
	 * preemption off, so a reader never waits on a preempted writer.
	 */
	raw_write_seqcount_begin(&es->seq);
	__vmx_exit_stats_add(&es->c[VMX_EXIT_STATS_TOTAL], es->cycles);
	if (likely(basic < VMX_EXIT_STATS_NR_REASONS))
		__vmx_exit_stats_add(&es->c[basic], es->cycles);
	raw_write_seqcount_end(&es->seq);
}

/*
 * First thing in vmx_vcpu_run(), IRQs off: the previous exit's window ends
 * here, whether KVM handled it in the fastpath or in vmx_handle_exit().
 * @exit_reason is still that exit's.
 */
static __always_inline void
vmx_exit_stats_vm_enter(struct vmx_exit_stats_vcpu *es, u32 exit_reason)
{
	if (!IS_ENABLED(CONFIG_X86_64) ||
	    !static_branch_unlikely(&vmx_exit_stats_on))
		return;
	if (es->pending)
		__vmx_exit_stats_commit(es, exit_reason);
}

/*
 * After the exit handler: if it left the vCPU halted, what follows is a wait
 * for an event (halt-polling, blocking), not this exit's work, so the window
 * closes now.  @exit_reason is the exit's.
 */
static __always_inline void
vmx_exit_stats_handled(struct vmx_exit_stats_vcpu *es, u32 exit_reason,
		       bool halted)
{
	if (!IS_ENABLED(CONFIG_X86_64) ||
	    !static_branch_unlikely(&vmx_exit_stats_on))
		return;
	if (unlikely(halted) && es->pending) {
		preempt_disable();
		__vmx_exit_stats_commit(es, exit_reason);
		preempt_enable();
	}
}

/* vmx_vcpu_put(): scheduled out, or back to userspace. */
static __always_inline void vmx_exit_stats_put(struct vmx_exit_stats_vcpu *es)
{
	if (!IS_ENABLED(CONFIG_X86_64) ||
	    !static_branch_unlikely(&vmx_exit_stats_on))
		return;
	if (es->pending && es->running)
		__vmx_exit_stats_stop(es);
}

/* vmx_vcpu_load(): the task works for the vCPU again. */
static __always_inline void vmx_exit_stats_load(struct vmx_exit_stats_vcpu *es)
{
	if (!IS_ENABLED(CONFIG_X86_64) ||
	    !static_branch_unlikely(&vmx_exit_stats_on))
		return;
	if (es->pending && !es->running) {
		es->start = rdtsc();
		es->running = true;
	}
}

#endif /* __KVM_X86_VMX_EXIT_STATS_H */
