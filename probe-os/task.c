// SPDX-License-Identifier: GPL-2.0
/*
 * The task-switch scenario's GDT and TSSs. A far JMP to a TSS descriptor
 * is a task switch, which exits unconditionally in VMX non-root operation
 * (SDM reason 9); KVM emulates it (kvm_task_switch). JMP clears the busy
 * bit of the old TSS and sets it in the new one, so A -> B -> A can repeat.
 */
#include "task.h"
#include "loops.h"

struct tss32 {
	u16 link, r0;
	u32 esp0;
	u16 ss0, r1;
	u32 esp1;
	u16 ss1, r2;
	u32 esp2;
	u16 ss2, r3;
	u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u16 es, r4, cs, r5, ss, r6, ds, r7, fs, r8, gs, r9, ldt, r10;
	u16 trap, iomap;
} __attribute__((packed));

struct far_ptr {
	u32 offset;
	u16 sel;
} __attribute__((packed));

struct gdt_ptr {
	u16 limit;
	u32 base;
} __attribute__((packed));

/* Boot GDT (boot/entry.asm): null, code 0x08, data 0x10; the TSSs follow. */
#define BOOT_ENTRIES	3
#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_TSS_A	0x18
#define SEL_TSS_B	0x20
#define TSS_LIMIT	(sizeof(struct tss32) - 1)	/* 103: no I/O bitmap */
#define EFLAGS_FIXED	0x2

static u64 gdt[5] __attribute__((aligned(8)));
static struct gdt_ptr boot_gdt;
static struct tss32 tss_a, tss_b;
static struct far_ptr to_a = { 0, SEL_TSS_A }, to_b = { 0, SEL_TSS_B };
static u8 stack_b[512] __attribute__((aligned(16)));

/* A present, DPL 0, available 32-bit TSS descriptor (type 9). */
static u64 tss_descriptor(const struct tss32 *t)
{
	u64 base = (u32)t, limit = TSS_LIMIT;

	return (limit & 0xffff) | (base & 0xffffff) << 16 | (u64)0x89 << 40 |
	       ((limit >> 16) & 0xf) << 48 | (base >> 24) << 56;
}

void task_enter(void)
{
	struct gdt_ptr p = { sizeof(gdt) - 1, (u32)gdt };
	const u64 *boot;
	u32 i, cr3;

	asm volatile("sgdt %0" : "=m"(boot_gdt));
	boot = (const u64 *)boot_gdt.base;
	for (i = 0; i < BOOT_ENTRIES; i++)
		gdt[i] = boot[i];
	gdt[SEL_TSS_A >> 3] = tss_descriptor(&tss_a);
	gdt[SEL_TSS_B >> 3] = tss_descriptor(&tss_b);

	/* B starts at task_b_entry with its own stack, flat segments, IF=0,
	 * the same CR3 (paging is off; an equal CR3 keeps KVM's MMU root)
	 * and esi pointing at the way back to A. */
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	tss_b = (struct tss32){
		.cr3 = cr3, .eip = (u32)task_b_entry, .eflags = EFLAGS_FIXED,
		.esp = (u32)(stack_b + sizeof(stack_b)), .esi = (u32)&to_a,
		.cs = SEL_CODE, .ss = SEL_DATA, .ds = SEL_DATA, .es = SEL_DATA,
		.fs = SEL_DATA, .gs = SEL_DATA, .iomap = sizeof(struct tss32),
	};
	tss_a = (struct tss32){ .iomap = sizeof(struct tss32) };

	asm volatile("lgdt %0" :: "m"(p) : "memory");
	asm volatile("ltr %w0" :: "r"(SEL_TSS_A) : "memory");
}

void task_leave(void)
{
	/* TR keeps its cached TSS A; no task switch happens after this. */
	asm volatile("lgdt %0; clts" :: "m"(boot_gdt) : "memory");
}

u32 task_far_ptr_to_b(void)
{
	return (u32)&to_b;
}
