/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest/host ABI of exitprobe: CPUID leaves answered by the patched KVM
 * (host-patch/) and read by the probe (probe-os/) and exitstat. Freestanding:
 * no libc. DEVELOPERS.md has the same table; docs/host-patch.md the design.
 *
 * All outputs are 32-bit registers; 64-bit values are split high:low over
 * ebx:ecx and counts are their low 32 bits. "Scope" is what the counters
 * cover: with EXITPROBE_SCOPE_VM (kvm_intel.exit_stats_scope=vm, the
 * default) the exits of every vCPU of the VM that executes the CPUID, since
 * that VM was created or its per-VM view was last reset; with
 * EXITPROBE_SCOPE_HOST the exits of every vCPU of every VM on the host,
 * including VMs that have exited, since the module was loaded or the
 * host-wide view was last reset. "cycles" are host TSC cycles of the exit
 * window (docs/host-patch.md, "The cycle window").
 *
 * ABI version 1: the four leaves of the original course assignment, kept
 * exactly as specified.
 *
 *  leaf (eax)           ecx     returns
 *  EXITPROBE_LEAF_TOTAL    -    eax = total exits, ebx:ecx = total cycles,
 *                               edx = 0
 *  EXITPROBE_LEAF_CYCLES   -    ebx:ecx = total cycles, eax = edx = 0
 *  EXITPROBE_LEAF_COUNT    n    eax = exits of basic reason n,
 *                               ebx = ecx = edx = 0
 *  EXITPROBE_LEAF_REASON_CYCLES n  ebx:ecx = cycles of reason n, eax = edx = 0
 *
 * For COUNT and REASON_CYCLES: n not defined by the SDM (see
 * sdm-exit-reasons.def) gives eax = ebx = ecx = 0, edx = EXITPROBE_UNDEFINED;
 * n defined but not enabled in KVM gives all four registers 0.
 *
 * ABI version 2 adds three leaves below them; a host that answers
 * EXITPROBE_LEAF_IDENT with the signature has all of them.
 *
 *  EXITPROBE_LEAF_IDENT    -    eax = ABI version (EXITPROBE_ABI_VERSION),
 *                               ebx = EXITPROBE_SIGNATURE,
 *                               ecx = scope (EXITPROBE_SCOPE_*),
 *                               edx = flags (EXITPROBE_FLAG_*) | highest
 *                                     defined reason << 16
 *  EXITPROBE_LEAF_SNAPSHOT n    from one exit, so consistent by construction:
 *                               eax = exits of reason n, ebx = total exits,
 *                               ecx = exits of the ASYNC reasons of
 *                                     sdm-exit-reasons.def, summed,
 *                               edx = status of n (EXITPROBE_STATUS_*)
 *  EXITPROBE_LEAF_SNAPSHOT_CYCLES n  eax = exits of reason n,
 *                               ebx:ecx = cycles of reason n,
 *                               edx = status of n
 *
 * For the two snapshot leaves, eax is 0 when n is not defined or not
 * enabled; ebx and ecx of EXITPROBE_LEAF_SNAPSHOT are the totals whatever n.
 * Unlike the version 1 leaves they tell "not enabled" (status
 * EXITPROBE_STATUS_DISABLED) apart from "enabled, no exit yet".
 *
 * Every leaf read is itself a CPUID exit (reason 10). It is counted when
 * its window closes, at the next VM entry: a read reports every earlier
 * exit of its scope, never itself. With EXITPROBE_FLAG_COUNTING clear
 * (kvm_intel.exit_stats=0) the counters do not move.
 */
#ifndef EXITPROBE_ABI_H
#define EXITPROBE_ABI_H

#define EXITPROBE_LEAF_TOTAL		0x4FFFFFFFu
#define EXITPROBE_LEAF_CYCLES		0x4FFFFFFEu
#define EXITPROBE_LEAF_COUNT		0x4FFFFFFDu
#define EXITPROBE_LEAF_REASON_CYCLES	0x4FFFFFFCu
#define EXITPROBE_LEAF_IDENT		0x4FFFFFFBu
#define EXITPROBE_LEAF_SNAPSHOT		0x4FFFFFFAu
#define EXITPROBE_LEAF_SNAPSHOT_CYCLES	0x4FFFFFF9u

#define EXITPROBE_UNDEFINED		0xFFFFFFFFu

/* EXITPROBE_LEAF_IDENT */
#define EXITPROBE_ABI_VERSION		2u
#define EXITPROBE_SIGNATURE		0x62707865u	/* "expb" in ebx */
#define EXITPROBE_SCOPE_HOST		0u
#define EXITPROBE_SCOPE_VM		1u
#define EXITPROBE_FLAG_COUNTING		(1u << 0)	/* counters move */
#define EXITPROBE_IDENT_MAX_REASON(edx)	((edx) >> 16)

/* edx of the snapshot leaves: the status of reason n */
#define EXITPROBE_STATUS_OK		0u		/* defined, enabled */
#define EXITPROBE_STATUS_DISABLED	1u		/* defined, not enabled */
#define EXITPROBE_STATUS_UNDEFINED	EXITPROBE_UNDEFINED

/* Highest basic exit reason defined in sdm-exit-reasons.def. */
#define SDM_EXIT_REASON_MAX		85

#endif /* EXITPROBE_ABI_H */
