// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-caps.ko: print what this CPU's VMX can do to the kernel log when
 * loaded. The report is the one `vmx-caps` prints (vmx-caps/decode.c,
 * shared as is); this file only reads the MSRs. One "vmx-caps: " line per
 * report line; docs/vmx-caps.md explains them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/cpumask.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>

#include "decode.h"

static unsigned int cpu;
module_param(cpu, uint, 0444);
MODULE_PARM_DESC(cpu, "CPU whose VMX capability MSRs are read (default 0)");

static void vmx_caps_print(void *ctx, const char *line)
{
	pr_info("%s\n", line);
}

static int __init vmx_caps_init(void)
{
	struct vmx_msrs msrs = { .present = 0 };
	unsigned int i;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		pr_err("cpu=%u is not an online CPU\n", cpu);
		return -EINVAL;
	}
	/* Without VMX the MSRs fault; say why instead of an empty report. */
	if (!boot_cpu_has(X86_FEATURE_VMX)) {
		pr_err("this CPU does not report VMX (CPUID.1:ECX.VMX = 0, or disabled by the kernel)\n");
		return -ENODEV;
	}
	for (i = 0; i < VMX_MSR_COUNT; i++) {
		u64 v;

		/* A #GP (no such MSR on this CPU) leaves it absent. */
		if (rdmsrl_safe_on_cpu(cpu, VMX_MSR_FIRST + i, &v))
			continue;
		msrs.value[i] = v;
		msrs.present |= 1u << i;
	}
	pr_info("report for cpu %u follows\n", cpu);
	vmx_report(&msrs, NULL, VMX_FORMAT_TEXT, vmx_caps_print, NULL);
	return 0;
}

static void __exit vmx_caps_exit(void)
{
}

module_init(vmx_caps_init);
module_exit(vmx_caps_exit);
MODULE_DESCRIPTION("exitprobe vmx-caps: decoded VMX capability MSRs in the kernel log");
MODULE_LICENSE("GPL");
