; SPDX-License-Identifier: GPL-2.0
; exitprobe boot path: multiboot (version 1) header and 32-bit entry.
;
; The loader (QEMU -kernel, GRUB) enters in 32-bit protected mode with paging
; off, eax = 0x2BADB002 and ebx = multiboot info. We install our own flat GDT
; (we must not rely on the loader's), a stack, and call probe_main(magic, mbi).
; The IDT itself is filled in by C (probe-os/trap.c) from isr_stub_table.

MB_MAGIC	equ 0x1BADB002
MB_FLAGS	equ 0x00000003		; page-align modules, want memory info
STACK_SIZE	equ 16384

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

section .text
global _start
extern probe_main
_start:
	cli
	cld
	mov esp, stack_top
	mov esi, eax			; multiboot magic
	mov edi, ebx			; multiboot info (physical = linear)
	lgdt [gdt_desc]
	jmp 0x08:.flat
.flat:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	push edi
	push esi
	call probe_main
.halt:
	cli
	hlt
	jmp .halt

; Interrupt and exception stubs: vectors 0..47. The CPU pushes an error code
; for 8, 10-14, 17, 21, 29, 30; for the rest we push 0 so that every frame
; has one shape (struct trap_frame in probe-os/trap.h).
%macro ISR 1
isr_%1:
%if (%1 = 8) || (%1 >= 10 && %1 <= 14) || (%1 = 17) || (%1 = 21) || (%1 = 29) || (%1 = 30)
%else
	push 0
%endif
	push %1
	jmp isr_common
%endmacro

%assign v 0
%rep 48
ISR v
%assign v v + 1
%endrep

extern trap_dispatch
isr_common:
	pushad
	push esp			; struct trap_frame *
	call trap_dispatch
	add esp, 4
	popad
	add esp, 8			; vector, error code
	iretd

section .rodata
global isr_stub_table
align 4
isr_stub_table:
%assign v 0
%rep 48
	dd isr_ %+ v
%assign v v + 1
%endrep

align 8
gdt:
	dq 0				; null
	dq 0x00CF9A000000FFFF		; 0x08: code, base 0, 4 GiB, 32-bit
	dq 0x00CF92000000FFFF		; 0x10: data, base 0, 4 GiB
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt

section .bss
align 16
global stack_bottom, stack_top
stack_bottom:
	resb STACK_SIZE
stack_top:
