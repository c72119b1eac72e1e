/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest/host ABI of exitprobe: four CPUID leaves answered by the patched
 * KVM (host-patch/) and read by the probe (probe-os/). Freestanding: no libc.
 *
 * All outputs are 32-bit registers. "cycles" are host TSC cycles summed over
 * all vCPUs of all VMs; 64-bit values are split high:low over ebx:ecx.
 *
 *  leaf (eax)           ecx     returns
 *  EXITPROBE_LEAF_TOTAL    -    eax = total exits (low 32 bits),
 *                               ebx:ecx = total cycles, edx = 0
 *  EXITPROBE_LEAF_CYCLES   -    ebx:ecx = total cycles, eax = edx = 0
 *  EXITPROBE_LEAF_COUNT    n    eax = exits of basic reason n (low 32 bits),
 *                               ebx = ecx = edx = 0
 *  EXITPROBE_LEAF_REASON_CYCLES n  ebx:ecx = cycles of reason n, eax = edx = 0
 *
 * For COUNT and REASON_CYCLES: n not defined by the SDM (see
 * sdm-exit-reasons.def) gives eax = ebx = ecx = 0, edx = EXITPROBE_UNDEFINED;
 * n defined but not enabled in KVM gives all four registers 0.
 */
#ifndef EXITPROBE_ABI_H
#define EXITPROBE_ABI_H

#define EXITPROBE_LEAF_TOTAL		0x4FFFFFFFu
#define EXITPROBE_LEAF_CYCLES		0x4FFFFFFEu
#define EXITPROBE_LEAF_COUNT		0x4FFFFFFDu
#define EXITPROBE_LEAF_REASON_CYCLES	0x4FFFFFFCu

#define EXITPROBE_UNDEFINED		0xFFFFFFFFu

/* Highest basic exit reason defined in sdm-exit-reasons.def. */
#define SDM_EXIT_REASON_MAX		85

#endif /* EXITPROBE_ABI_H */
