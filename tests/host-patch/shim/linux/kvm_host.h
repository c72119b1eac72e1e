/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: a VM is its reference count, as far as the exit
 * statistics care (kvm_get_kvm_safe() fails once it dropped to zero).
 */
#ifndef SHIM_LINUX_KVM_HOST_H
#define SHIM_LINUX_KVM_HOST_H

#include <linux/types.h>

struct kvm {
	int users_count;	/* atomic; 0: the VM is being destroyed */
};

struct kvm_vcpu;

bool kvm_get_kvm_safe(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);

#endif
