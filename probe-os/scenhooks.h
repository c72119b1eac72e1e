/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Enter/leave hooks of scenarios that need machine state around their
 * samples (not inside them): CR4.UMIP, and a first touch of each MMIO page
 * so the samples see KVM's steady state (an MMIO SPTE already installed).
 */
#ifndef PROBE_SCENHOOKS_H
#define PROBE_SCENHOOKS_H

#include "types.h"

/* The chipset's MMIO devices on QEMU's pc machine (paging is off: these
 * are the physical addresses). */
#define IOAPIC_BASE	0xfec00000u	/* KVM's in-kernel IOAPIC */
#define IOAPIC_IOREGSEL	0x00
#define IOAPIC_IOWIN	0x10
#define IOAPIC_REG_VER	0x01
#define HPET_BASE	0xfed00000u	/* QEMU's HPET, emulated in userspace */
#define HPET_ID		0x00		/* read-only capabilities and ID */
/* The master PIC's IMR as trap.c's pic_init() leaves it. */
#define PIC_IMR_ALL_MASKED	0xffu

void umip_on(void);
void umip_off(void);
/* IOREGSEL selects the version register, restored on leave. */
void ioapic_enter(void);
void ioapic_leave(void);
void hpet_enter(void);
void hpet_leave(void);

#endif
