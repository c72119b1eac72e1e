/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host settings that change what an instruction does, observed before the
 * measurement window so that a FAIL means a regression, never a setting:
 * whether HLT, MONITOR/MWAIT and PAUSE exit at all (QEMU's
 * -overcommit cpu-pm=on asks KVM not to intercept them:
 * KVM_CAP_X86_DISABLE_EXITS), the PMU the guest sees and whether it sees
 * VMX (nested). Pure decisions, host-tested; the observation itself is in
 * main.c (it runs the instructions).
 */
#ifndef PROBE_HOSTSET_H
#define PROBE_HOSTSET_H

#include "scenarios.h"

/* One observation of an exit that a setting can switch off. */
enum gate_state {
	GATE_NA,	/* not observed (no patched host, or it could not run) */
	GATE_EXITS,	/* the instruction exited: the table's expectation */
	GATE_OFF,	/* it ran without an exit: none expected */
};

/* From the exits of the gated reason while the instruction ran tries >= 1
 * times: any exit means the host intercepts it. */
enum gate_state gate_decide(u32 exits, u32 tries);
const char *gate_name(enum gate_state g);	/* "yes", "no", "-" */

/*
 * The expectation of sc on this host: its column for the host mode of its
 * axis (paging or APIC), or none when
 * its gate (struct scenario .gate) was observed off.
 */
const struct expect *host_expect(const struct scenario *sc, const struct probe_env *e);

/* CPUID.0AH: "none" or "vN:M" (architectural PMU version N, M counters). */
void pmu_describe(u32 max_basic, u32 l0a_eax, char *out, u32 size);

#endif
