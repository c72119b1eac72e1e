// SPDX-License-Identifier: GPL-2.0
#include "trap.h"
#include "cpu.h"
#include "report.h"
#include "apic.h"

struct idt_gate {
	u16 off_lo, sel;
	u8 zero, type;
	u16 off_hi;
} __attribute__((packed));

static struct idt_gate idt[48];
extern const u32 isr_stub_table[48];

struct trap_arm *trap_current;
volatile u32 timer_ticks;

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "v15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "v22", "v23",
	"v24", "v25", "v26", "v27", "#HV", "#VC", "#SX", "v31",
};

const char *vector_name(u32 v)
{
	return v < 32 ? names[v] : "irq";
}

void trap_init(void)
{
	struct {
		u16 limit;
		u32 base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (u32)idt };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(idt); i++) {
		idt[i].off_lo = (u16)isr_stub_table[i];
		idt[i].off_hi = (u16)(isr_stub_table[i] >> 16);
		idt[i].sel = 0x08;
		idt[i].zero = 0;
		idt[i].type = 0x8e;	/* present, DPL 0, 32-bit interrupt gate */
	}
	asm volatile("lidt %0" :: "m"(desc));
}

/* Faults report the faulting instruction, traps (#BP, #OF) the next one. */
static int is_trap(u32 v)
{
	return v == 3 || v == 4;
}

void trap_dispatch(struct trap_frame *f)
{
	struct trap_arm *t = trap_current;

	if (f->vector >= 32) {
		/* Master PIC runs in auto-EOI mode: nothing to acknowledge. */
		if (f->vector == 0x20)
			timer_ticks++;
		else if (f->vector >= APIC_VEC_FIRST && f->vector <= APIC_VEC_LAST)
			apic_irq(f->vector);
		return;
	}
	if (f->vector == 2) {
		/* Ours (the NMI-window row) or the host's: never our fault. */
		apic_nmi();
		return;
	}
	if (t && t->armed) {
		u32 at = is_trap(f->vector) ? (u32)t->insn_end : (u32)t->insn;

		if (f->eip == at) {
			t->faults++;
			t->vectors |= 1u << f->vector;
			f->eip = (u32)t->insn_end;
			return;
		}
		t->armed = 0;
		t->stray_vector = f->vector;
		t->stray_eip = f->eip;
		probe_longjmp(t->unwind, 1);
	}
	report_panic(f->vector, f->eip, f->error);
}

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIT_CH0		0x40
#define PIT_CMD		0x43

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);	/* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20);	/* ICW2: vectors 0x20..0x27 */
	outb(PIC2_DATA, 0x28);	/*       and 0x28..0x2f */
	outb(PIC1_DATA, 0x04);	/* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x03);	/* ICW4: 8086 mode, auto EOI (no EOI write) */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff);	/* everything masked */
	outb(PIC2_DATA, 0xff);
}

void timer_start(void)
{
	outb(PIT_CMD, 0x34);	/* channel 0, lo/hi, mode 2 (rate generator) */
	outb(PIT_CH0, PIT_DIVISOR & 0xff);
	outb(PIT_CH0, PIT_DIVISOR >> 8);
	outb(PIC1_DATA, 0xfe);	/* unmask IRQ0 */
}

void timer_stop(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIT_CMD, 0x30);	/* channel 0, mode 0: one terminal count, then idle */
	outb(PIT_CH0, 0xff);
	outb(PIT_CH0, 0xff);
}
