// SPDX-License-Identifier: GPL-2.0
/* The VM reference count: kvm_get_kvm_safe() never revives a dying VM. */
#include <linux/kvm_host.h>

bool kvm_get_kvm_safe(struct kvm *kvm)
{
	int n = __atomic_load_n(&kvm->users_count, __ATOMIC_RELAXED);

	while (n > 0)
		if (__atomic_compare_exchange_n(&kvm->users_count, &n, n + 1,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

void kvm_put_kvm(struct kvm *kvm)
{
	__atomic_sub_fetch(&kvm->users_count, 1, __ATOMIC_ACQ_REL);
}
