// SPDX-License-Identifier: GPL-2.0
#include "scenhooks.h"
#include "cpu.h"

static inline u32 mmio_read32(u32 addr)
{
	return *(volatile u32 *)addr;
}

static inline void mmio_write32(u32 addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

/* A MOV to CR4 that flips UMIP exits (host-owned bit) and, where KVM
 * emulates UMIP, turns descriptor-table exiting on or off. */
void umip_on(void)
{
	write_cr4(read_cr4() | CR4_UMIP);
}

void umip_off(void)
{
	write_cr4(read_cr4() & ~CR4_UMIP);
}

static u32 ioregsel_saved;

void ioapic_enter(void)
{
	ioregsel_saved = mmio_read32(IOAPIC_BASE + IOAPIC_IOREGSEL);
	mmio_write32(IOAPIC_BASE + IOAPIC_IOREGSEL, IOAPIC_REG_VER);
	(void)mmio_read32(IOAPIC_BASE + IOAPIC_IOWIN);
}

void ioapic_leave(void)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_IOREGSEL, ioregsel_saved);
}

void hpet_enter(void)
{
	(void)mmio_read32(HPET_BASE + HPET_ID);
}

/* Nothing to restore: the scenarios only read the ID register and write
 * to it, which is read-only. */
void hpet_leave(void)
{
}
