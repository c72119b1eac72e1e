// SPDX-License-Identifier: GPL-2.0
/* The table of module parameters and the bool operations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/moduleparam.h>

#define SHIM_MAX_PARAMS 8

static const struct kernel_param *shim_params[SHIM_MAX_PARAMS];
static unsigned int shim_nr_params;

void shim_param_register(const struct kernel_param *kp)
{
	if (shim_nr_params == SHIM_MAX_PARAMS) {
		fprintf(stderr, "FAIL: shim: more than %d module parameters\n",
			SHIM_MAX_PARAMS);
		abort();
	}
	shim_params[shim_nr_params++] = kp;
}

static const struct kernel_param *shim_param_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < shim_nr_params; i++)
		if (!strcmp(shim_params[i]->name, name))
			return shim_params[i];
	return NULL;
}

int shim_param_set(const char *name, const char *val)
{
	const struct kernel_param *kp = shim_param_find(name);

	return kp ? kp->ops->set(val, kp) : -ENOENT;
}

const char *shim_param_get(const char *name)
{
	/* The kernel's getters write at most a page. */
	static char buf[4096];
	const struct kernel_param *kp = shim_param_find(name);

	buf[0] = '\0';
	if (kp && kp->ops->get(buf, kp) < 0)
		buf[0] = '\0';
	return buf;
}

int param_set_bool(const char *val, const struct kernel_param *kp)
{
	/* No value at all ("modprobe kvm_intel exit_stats") means true. */
	if (!val)
		val = "1";
	return kstrtobool(val, kp->arg);
}

int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}

const struct kernel_param_ops param_ops_bool = {
	.set = param_set_bool,
	.get = param_get_bool,
};
