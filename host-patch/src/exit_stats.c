// SPDX-License-Identifier: GPL-2.0
/*
 * VM-Exit statistics for VMX: count every VM-Exit per basic exit reason and
 * the host TSC cycles KVM spends handling it, answer the exitprobe CPUID
 * leaves from them and show them in debugfs (kvm/exit_stats).
 *
 * Counting.  A VM-Exit is counted once, when KVM is done with it: by
 * vmx_handle_exit(), or, for an exit handled in the fastpath after which KVM
 * re-enters the guest without calling vmx_handle_exit(), by the next
 * vmx_vcpu_run().  Every return from VMLAUNCH/VMRESUME to the host counts,
 * including VM-Entry failures; exits with a basic reason above
 * VMX_EXIT_STATS_MAX_REASON (e.g. KVM's 0xdead for VMfail) count in the
 * totals only.  Exits synthesized for invalid guest state (no VM-Entry was
 * attempted) do not count.
 *
 * Cycles.  Two segments are timed with RDTSC and summed per exit:
 *  1. from right after the hardware VM-Exit in vmx_vcpu_run() to the moment
 *     vcpu_enter_guest() hands the exit to vmx_handle_exit_irqoff() (or, for
 *     a fastpath exit that re-enters the guest, to the next vmx_vcpu_run());
 *     this includes the fastpath handler and runs with IRQs disabled;
 *  2. the call of vmx_handle_exit(), i.e. the exit handler.
 * Not included: host IRQ/NMI dispatch in vmx_handle_exit_irqoff(), the window
 * in vcpu_enter_guest() where IRQs are enabled and the task may be preempted,
 * time in userspace (e.g. I/O exits to the VMM) and time blocked in HLT, both
 * of which happen after vmx_handle_exit() returns.
 *
 * Concurrency.  Counters are per-CPU and only ever written by their own CPU
 * with preemption disabled; nothing updates them from IRQ context, so a plain
 * (non-locked) read-modify-write is safe and no cache line is shared on the
 * exit path.  Readers sum all CPUs.  A reset never writes another CPU's
 * counters: it records the current sums as a baseline that readers subtract.
 *
 * The table of defined reasons is the Intel SDM, Vol. 3D, Appendix C,
 * Table C-1 "Basic Exit Reasons" (Order Number 325462-088US, June 2025).
 * Linux's own list (uapi/asm/vmx.h) is not this table.  A defined reason is
 * "enabled in KVM" if KVM's exit handler table has a handler for it; every
 * reason KVM handles in its fastpath has one too, as the fastpath may decline.
 */

#include <linux/compiler.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <asm/barrier.h>
#include <asm/msr.h>

#include "exit_stats.h"

static bool __read_mostly exit_stats_leaves = true;
module_param(exit_stats_leaves, bool, 0644);
MODULE_PARM_DESC(exit_stats_leaves,
		 "Answer the exit statistics CPUID leaves 0x4ffffffc-0x4fffffff (exposes host-wide VM-Exit activity to all guests)");

/* Index of the totals in struct vmx_exit_stats. */
#define VMX_EXIT_STATS_TOTAL	VMX_EXIT_STATS_NR_REASONS

struct vmx_exit_stats {
	u64 count[VMX_EXIT_STATS_NR_REASONS + 1];
	u64 cycles[VMX_EXIT_STATS_NR_REASONS + 1];
};

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

static bool __read_mostly vmx_exit_stats_enabled[VMX_EXIT_STATS_NR_REASONS];
static struct vmx_exit_stats __percpu *vmx_exit_stats_pcpu;
static struct vmx_exit_stats vmx_exit_stats_base;
static struct dentry *vmx_exit_stats_dentry;

int vmx_exit_stats_setup(const vmx_exit_handler_t handlers[],
			 unsigned int nr_handlers)
{
	unsigned int i;

	for (i = 0; i < VMX_EXIT_STATS_NR_REASONS; i++)
		vmx_exit_stats_enabled[i] = vmx_exit_stats_names[i] &&
					    i < nr_handlers && handlers[i];

	memset(&vmx_exit_stats_base, 0, sizeof(vmx_exit_stats_base));
	vmx_exit_stats_pcpu = alloc_percpu(struct vmx_exit_stats);
	return vmx_exit_stats_pcpu ? 0 : -ENOMEM;
}

void vmx_exit_stats_unsetup(void)
{
	free_percpu(vmx_exit_stats_pcpu);
	vmx_exit_stats_pcpu = NULL;
}

static void vmx_exit_stats_end_segment(struct vmx_exit_stats_vcpu *es)
{
	u64 delta;

	if (!es->running)
		return;
	es->running = false;
	delta = rdtsc() - es->start;
	/* Segment 2 may migrate; ignore a TSC that is behind on this CPU. */
	if ((s64)delta > 0)
		es->cycles += delta;
}

static void vmx_exit_stats_commit(struct vmx_exit_stats_vcpu *es,
				  u32 exit_reason)
{
	u16 basic = (u16)exit_reason;
	struct vmx_exit_stats *s;

	es->pending = false;

	/*
	 * Only this CPU writes its counters, with preemption disabled, and
	 * never from IRQ context, so the read-modify-write needs no lock.
	 * WRITE_ONCE() makes each update a single 64-bit store, which other
	 * CPUs summing the counters with READ_ONCE() cannot see torn: aligned
	 * 64-bit accesses are atomic on x86-64 (SDM Vol. 3A, 9.1.1), while the
	 * compiler would be free to split or re-do plain accesses.
	 */
	s = get_cpu_ptr(vmx_exit_stats_pcpu);
	WRITE_ONCE(s->count[VMX_EXIT_STATS_TOTAL],
		   s->count[VMX_EXIT_STATS_TOTAL] + 1);
	WRITE_ONCE(s->cycles[VMX_EXIT_STATS_TOTAL],
		   s->cycles[VMX_EXIT_STATS_TOTAL] + es->cycles);
	if (basic < VMX_EXIT_STATS_NR_REASONS) {
		WRITE_ONCE(s->count[basic], s->count[basic] + 1);
		WRITE_ONCE(s->cycles[basic], s->cycles[basic] + es->cycles);
	}
	put_cpu_ptr(vmx_exit_stats_pcpu);
}

/* Called right after the hardware VM-Exit, with IRQs disabled. */
void vmx_exit_stats_vm_exit(struct vmx_exit_stats_vcpu *es)
{
	es->cycles = 0;
	es->pending = true;
	es->running = true;
	es->start = rdtsc();
}

/*
 * Called first thing in vmx_vcpu_run(): an exit still pending here was
 * handled in the fastpath and KVM re-enters the guest without calling
 * vmx_handle_exit().  @exit_reason is still that exit's reason.
 */
void vmx_exit_stats_vcpu_run(struct vmx_exit_stats_vcpu *es, u32 exit_reason)
{
	if (!es->pending)
		return;
	vmx_exit_stats_end_segment(es);
	vmx_exit_stats_commit(es, exit_reason);
}

/* Called when vcpu_enter_guest() hands the exit to handle_exit_irqoff(). */
void vmx_exit_stats_exit_irqoff(struct vmx_exit_stats_vcpu *es)
{
	vmx_exit_stats_end_segment(es);
}

void vmx_exit_stats_handle_start(struct vmx_exit_stats_vcpu *es)
{
	if (!es->pending)
		return;
	es->running = true;
	es->start = rdtsc();
}

void vmx_exit_stats_handle_end(struct vmx_exit_stats_vcpu *es,
			       u32 exit_reason)
{
	if (!es->pending)
		return;
	vmx_exit_stats_end_segment(es);
	vmx_exit_stats_commit(es, exit_reason);
}

/* Sum over all CPUs since the last reset; @i is a reason or the total. */
static void vmx_exit_stats_read(unsigned int i, u64 *count, u64 *cycles)
{
	u64 base_count = READ_ONCE(vmx_exit_stats_base.count[i]);
	u64 base_cycles = READ_ONCE(vmx_exit_stats_base.cycles[i]);
	u64 c = 0, t = 0;
	int cpu;

	/*
	 * Read the baseline before the counters (pairs with the smp_mb() in
	 * vmx_exit_stats_reset()): counters only grow, so the sums read
	 * afterwards are never below the baseline.
	 */
	smp_rmb();
	for_each_possible_cpu(cpu) {
		struct vmx_exit_stats *s = per_cpu_ptr(vmx_exit_stats_pcpu, cpu);

		c += READ_ONCE(s->count[i]);
		t += READ_ONCE(s->cycles[i]);
	}
	*count = c - base_count;
	*cycles = t - base_cycles;
}

static void vmx_exit_stats_reset(void)
{
	struct vmx_exit_stats *sum;
	unsigned int i;
	int cpu;

	/*
	 * Concurrent resets need no lock: each baseline entry ends up as a sum
	 * one of them read, and any such sum is <= the counters read later.
	 */
	for (i = 0; i <= VMX_EXIT_STATS_TOTAL; i++) {
		u64 c = 0, t = 0;

		for_each_possible_cpu(cpu) {
			sum = per_cpu_ptr(vmx_exit_stats_pcpu, cpu);
			c += READ_ONCE(sum->count[i]);
			t += READ_ONCE(sum->cycles[i]);
		}
		/* Order the counter reads before the baseline stores. */
		smp_mb();
		WRITE_ONCE(vmx_exit_stats_base.count[i], c);
		WRITE_ONCE(vmx_exit_stats_base.cycles[i], t);
	}
}

/*
 * Answer the exit statistics leaves (the exitprobe guest ABI):
 *  0x4fffffff: eax = total exits, ebx:ecx = total cycles, edx = 0
 *  0x4ffffffe: ebx:ecx = total cycles, eax = edx = 0
 *  0x4ffffffd: eax = exits of basic reason ecx, ebx = ecx = edx = 0
 *  0x4ffffffc: ebx:ecx = cycles of basic reason ecx, eax = edx = 0
 * A reason not defined by the SDM gives eax = ebx = ecx = 0, edx = ~0; one
 * defined but not enabled in KVM gives all zeroes.  Counts are truncated to
 * their low 32 bits.  Returns false, leaving the registers alone, for any
 * other leaf or when the leaves are turned off.
 */
bool vmx_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx,
			  u32 *edx)
{
	u32 leaf = *eax, reason = *ecx;
	u64 count = 0, cycles = 0, unused;

	if (!READ_ONCE(exit_stats_leaves))
		return false;

	switch (leaf) {
	case VMX_EXIT_STATS_LEAF_TOTAL:
		vmx_exit_stats_read(VMX_EXIT_STATS_TOTAL, &count, &cycles);
		break;
	case VMX_EXIT_STATS_LEAF_CYCLES:
		vmx_exit_stats_read(VMX_EXIT_STATS_TOTAL, &unused, &cycles);
		break;
	case VMX_EXIT_STATS_LEAF_COUNT:
	case VMX_EXIT_STATS_LEAF_REASON_CYCLES:
		/* ecx is guest-controlled. */
		if (reason >= VMX_EXIT_STATS_NR_REASONS)
			goto undefined;
		reason = array_index_nospec(reason, VMX_EXIT_STATS_NR_REASONS);
		if (!vmx_exit_stats_names[reason])
			goto undefined;
		if (!vmx_exit_stats_enabled[reason])
			break;
		if (leaf == VMX_EXIT_STATS_LEAF_COUNT)
			vmx_exit_stats_read(reason, &count, &unused);
		else
			vmx_exit_stats_read(reason, &unused, &cycles);
		break;
	default:
		return false;
	}

	*eax = lower_32_bits(count);
	*ebx = upper_32_bits(cycles);
	*ecx = lower_32_bits(cycles);
	*edx = 0;
	return true;

undefined:
	*eax = 0;
	*ebx = 0;
	*ecx = 0;
	*edx = VMX_EXIT_STATS_UNDEFINED;
	return true;
}

static int vmx_exit_stats_show(struct seq_file *m, void *v)
{
	const char *name;
	u64 count, cycles;
	unsigned int i;

	seq_puts(m, "# reason name count cycles\n");
	for (i = 0; i < VMX_EXIT_STATS_NR_REASONS; i++) {
		name = vmx_exit_stats_names[i] ? vmx_exit_stats_names[i] : "-";
		vmx_exit_stats_read(i, &count, &cycles);
		seq_printf(m, "%u %s %llu %llu\n", i, name, count, cycles);
	}
	vmx_exit_stats_read(VMX_EXIT_STATS_TOTAL, &count, &cycles);
	seq_printf(m, "total - %llu %llu\n", count, cycles);
	return 0;
}

static int vmx_exit_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, vmx_exit_stats_show, NULL);
}

/* Writing anything resets all counters. */
static ssize_t vmx_exit_stats_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	vmx_exit_stats_reset();
	return len;
}

static const struct file_operations vmx_exit_stats_fops = {
	.owner		= THIS_MODULE,
	.open		= vmx_exit_stats_open,
	.read		= seq_read,
	.write		= vmx_exit_stats_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

void vmx_exit_stats_debugfs_init(void)
{
	struct dentry *kvm_dir = debugfs_lookup("kvm", NULL);

	if (IS_ERR_OR_NULL(kvm_dir))
		return;
	vmx_exit_stats_dentry = debugfs_create_file("exit_stats", 0600, kvm_dir,
						    NULL, &vmx_exit_stats_fops);
	dput(kvm_dir);
}

void vmx_exit_stats_debugfs_exit(void)
{
	debugfs_remove(vmx_exit_stats_dentry);
	vmx_exit_stats_dentry = NULL;
}
