/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: module parameters register themselves (at program
 * start) in a table, so a test sets and reads them by name through their
 * real set/get operations, as writing /sys/module/kvm_intel/parameters/NAME
 * would.
 */
#ifndef SHIM_LINUX_MODULEPARAM_H
#define SHIM_LINUX_MODULEPARAM_H

#include <linux/types.h>

struct kernel_param;

struct kernel_param_ops {
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
};

struct kernel_param {
	const char *name;
	const struct kernel_param_ops *ops;
	void *arg;
	unsigned short perm;
};

extern const struct kernel_param_ops param_ops_bool;
int param_set_bool(const char *val, const struct kernel_param *kp);
int param_get_bool(char *buffer, const struct kernel_param *kp);

void shim_param_register(const struct kernel_param *kp);
/* 0 or the setter's error; -ENOENT for a name no module_param declared. */
int shim_param_set(const char *name, const char *val);
/* The getter's output, "" for an unknown name. */
const char *shim_param_get(const char *name);

#define module_param_cb(name, ops, arg, perm)				\
	static const struct kernel_param shim_param_##name =		\
		{ #name, ops, arg, perm };				\
	static void __attribute__((constructor)) shim_param_init_##name(void) \
	{								\
		shim_param_register(&shim_param_##name);		\
	}
#define module_param(name, type, perm) \
	module_param_cb(name, &param_ops_##type, &name, perm)
#define MODULE_PARM_DESC(name, desc)

#endif
