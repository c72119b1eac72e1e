/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where vmx-caps gets its input: the CPU (CPUID, /dev/cpu/N/msr), a file
 * of recorded MSR values (--msrs), and the controls KVM uses (--kvm).
 * Every reader returns one of the exit codes below and, on failure, a
 * message for the user in err.
 */
#ifndef VMX_CAPS_SOURCES_H
#define VMX_CAPS_SOURCES_H

#include <stddef.h>

#include "decode.h"

/* The command's exit codes (docs/vmx-caps.md is the user's copy). */
enum vc_exit {
	VC_EXIT_OK = 0,
	VC_EXIT_BAD_INPUT = 1,	/* bad arguments or a malformed input file */
	VC_EXIT_NO_VMX = 2,	/* CPUID.1:ECX.VMX[bit 5] is 0 */
	VC_EXIT_NO_MSR = 3,	/* no msr device (driver missing), or reads fail */
	VC_EXIT_NOT_ROOT = 4,	/* the msr device is there, access denied */
};

#define VC_ERR_LEN 512
#define VC_KVM_DEFAULT "/sys/kernel/debug/kvm/vmx_controls"

/* VC_EXIT_OK if CPUID says this CPU has VMX, else NO_VMX and why. */
int vc_check_vmx(char *err, size_t len);

/*
 * Read 0x480-0x493 from an msr device file (pread at offset = MSR index).
 * An MSR whose read fails with EIO (the driver's answer to #GP) is absent.
 * With load_driver, a missing device makes it run `modprobe msr` once.
 */
int vc_read_msr_dev(const char *path, int load_driver, struct vmx_msrs *m,
		    char *err, size_t len);

/* Recorded values: "0xADDR 0xVALUE" or "0xADDR absent" per line. */
int vc_read_msrs_file(const char *path, struct vmx_msrs *m, char *err, size_t len);

/* KVM's controls: "NAME 0xVALUE" per line; a directory means DIR/vmx_controls. */
int vc_read_kvm_file(const char *path, struct vmx_kvm_controls *k, char *err, size_t len);

#endif /* VMX_CAPS_SOURCES_H */
