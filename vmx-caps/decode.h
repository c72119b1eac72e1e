/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmx-caps decoder: the VMX capability MSRs (IA32_VMX_BASIC 0x480 to
 * IA32_VMX_EXIT_CTLS2 0x493) turned into a report of what this CPU's VMX
 * can do, control bit by control bit, and which exit reasons that makes
 * possible. Control names and the control -> exit reason map come from
 * common/vmx-controls.def; reason names from common/sdm-exit-reasons.def.
 *
 * Freestanding on purpose: the same decode.c is built into the userspace
 * command (vmx-caps/main.c) and the kernel module
 * (host-patch/vmx-caps-module/). It uses no libc; the report goes out one
 * complete line at a time through a callback.
 */
#ifndef VMX_CAPS_DECODE_H
#define VMX_CAPS_DECODE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#define VMX_MSR_FIRST	0x480u	/* IA32_VMX_BASIC */
#define VMX_MSR_LAST	0x493u	/* IA32_VMX_EXIT_CTLS2 */
#define VMX_MSR_COUNT	(VMX_MSR_LAST - VMX_MSR_FIRST + 1)

/* Raw capability MSRs as read; an MSR that faulted is not present. */
struct vmx_msrs {
	uint64_t value[VMX_MSR_COUNT];	/* index: MSR - VMX_MSR_FIRST */
	uint32_t present;		/* bit i: MSR VMX_MSR_FIRST + i read */
};

/* The VMCS control fields, in SDM order. */
enum vmx_field {
	VMX_FIELD_PINBASED,
	VMX_FIELD_PROCBASED,
	VMX_FIELD_PROCBASED2,
	VMX_FIELD_PROCBASED3,
	VMX_FIELD_EXIT,
	VMX_FIELD_EXIT2,
	VMX_FIELD_ENTRY,
	VMX_FIELD_COUNT
};

/* What the CPU allows in one control field (SDM Vol. 3D, Appendix A.3-A.5). */
struct vmx_field_caps {
	bool present;		/* the field exists on this CPU */
	unsigned int msr;	/* the MSR the settings come from (0: none) */
	uint64_t must_be_1;	/* allowed 0-settings: a 1 bit must be 1 */
	uint64_t may_be_1;	/* allowed 1-settings: a 1 bit may be 1 */
};

/*
 * The controls a hypervisor actually uses (vmx-caps --kvm): one value per
 * field, as published by the patched KVM (docs/vmx-caps.md).
 */
struct vmx_kvm_controls {
	uint32_t present;	/* bit f: value[f] was given */
	uint64_t value[VMX_FIELD_COUNT];
};

/* How a control governs its reasons (common/vmx-controls.def: kind). */
enum vmx_kind {
	VMX_KIND_NA,	/* governs no exit reason */
	VMX_KIND_ONLY,	/* the reasons occur only if such a control is 1 */
	VMX_KIND_ALSO,	/* adds or selects exits that also occur without it */
};

/* One row of common/vmx-controls.def. */
struct vmx_control {
	enum vmx_field field;
	unsigned int bit;
	const char *ident;
	const char *name;
	enum vmx_kind kind;
	int reason[2];		/* basic exit reasons governed; -1: none */
};

extern const struct vmx_control vmx_controls[];
extern const unsigned int vmx_control_count;

enum vmx_format { VMX_FORMAT_TEXT, VMX_FORMAT_JSON };

/* Receives one complete report line, without its newline. */
typedef void vmx_line_fn(void *ctx, const char *line);

/*
 * The field's name in reports and in the --kvm file: pin_based, cpu_based,
 * secondary, tertiary, vmexit, secondary_vmexit, vmentry. NULL if out of
 * range.
 */
const char *vmx_field_name(enum vmx_field field);

/* The name of basic exit reason nr in sdm-exit-reasons.def, or NULL. */
const char *vmx_reason_name(int nr);

/* Fill *caps for one field from the MSRs, applying the TRUE_* and
 * "activate secondary/tertiary" rules.
 */
void vmx_field_caps(const struct vmx_msrs *msrs, enum vmx_field field,
		    struct vmx_field_caps *caps);

/*
 * Write the whole report: raw MSRs, BASIC/MISC/fixed bits/EPT-VPID/VMFUNC,
 * each field, each control bit, each exit reason. kvm may be NULL; when
 * given, control and reason lines say what KVM has on. JSON is one array
 * with one object per line.
 */
void vmx_report(const struct vmx_msrs *msrs, const struct vmx_kvm_controls *kvm,
		enum vmx_format format, vmx_line_fn *out, void *ctx);

#endif /* VMX_CAPS_DECODE_H */
