// SPDX-License-Identifier: GPL-2.0
/*
 * What the scenario table (probe-os/scentab.c) points at, for the host
 * builds of the unit tests: the loops are guest assembly and never called
 * here.
 */
#include "../../probe-os/loops.h"
#include "../../probe-os/trap.h"
#include "../../probe-os/task.h"
#include "../../probe-os/scenhooks.h"
#include "../../probe-os/apic.h"

#define STUB_LOOP(name)						\
	void loop_##name(u32 n, u32 arg) { (void)n, (void)arg; }	\
	const char insn_##name[2], insn_##name##_end[1];
PROBE_LOOPS(STUB_LOOP)
APIC_LOOPS(STUB_LOOP)
void timer_start(void) {}
void timer_stop(void) {}
void task_enter(void) {}
void task_leave(void) {}
u32 task_far_ptr_to_b(void) { return 0; }
void umip_on(void) {}
void umip_off(void) {}
void ioapic_enter(void) {}
void ioapic_leave(void) {}
void hpet_enter(void) {}
void hpet_leave(void) {}
void apic_nmi_enter(void) {}
void apic_nmi_leave(void) {}
void apic_deadline_enter(void) {}
void apic_deadline_leave(void) {}
void apic_eoi_exit_enter(void) {}
void apic_eoi_exit_leave(void) {}
void apic_x2_enter(void) {}
void apic_x2_leave(void) {}
