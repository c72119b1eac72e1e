/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __KVM_X86_VMX_EXIT_STATS_H
#define __KVM_X86_VMX_EXIT_STATS_H

#include <linux/types.h>

struct kvm_vcpu;

typedef int (*vmx_exit_handler_t)(struct kvm_vcpu *vcpu);

/*
 * Highest basic exit reason defined by the Intel SDM, Vol. 3D, Appendix C,
 * Table C-1 (Order Number 325462-088US, June 2025).
 */
#define VMX_EXIT_STATS_MAX_REASON	85
#define VMX_EXIT_STATS_NR_REASONS	(VMX_EXIT_STATS_MAX_REASON + 1)

/* The exitprobe CPUID leaves, see vmx_exit_stats_cpuid(). */
#define VMX_EXIT_STATS_LEAF_TOTAL		0x4fffffffU
#define VMX_EXIT_STATS_LEAF_CYCLES		0x4ffffffeU
#define VMX_EXIT_STATS_LEAF_COUNT		0x4ffffffdU
#define VMX_EXIT_STATS_LEAF_REASON_CYCLES	0x4ffffffcU
#define VMX_EXIT_STATS_UNDEFINED		0xffffffffU

/*
 * Per-vCPU state of the VM-Exit being timed.  Only the vCPU's own task
 * touches it, so it needs no synchronization.
 */
struct vmx_exit_stats_vcpu {
	u64 start;	/* TSC at the start of the running segment */
	u64 cycles;	/* cycles of the segments that have ended */
	bool pending;	/* a VM-Exit is being handled, not yet committed */
	bool running;	/* a segment is running since @start */
};

int vmx_exit_stats_setup(const vmx_exit_handler_t handlers[],
			 unsigned int nr_handlers);
void vmx_exit_stats_unsetup(void);
void vmx_exit_stats_debugfs_init(void);
void vmx_exit_stats_debugfs_exit(void);

void vmx_exit_stats_vm_exit(struct vmx_exit_stats_vcpu *es);
void vmx_exit_stats_vcpu_run(struct vmx_exit_stats_vcpu *es, u32 exit_reason);
void vmx_exit_stats_exit_irqoff(struct vmx_exit_stats_vcpu *es);
void vmx_exit_stats_handle_start(struct vmx_exit_stats_vcpu *es);
void vmx_exit_stats_handle_end(struct vmx_exit_stats_vcpu *es,
			       u32 exit_reason);

bool vmx_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx,
			  u32 *edx);

#endif /* __KVM_X86_VMX_EXIT_STATS_H */
