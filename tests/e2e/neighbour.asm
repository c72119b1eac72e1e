; SPDX-License-Identifier: GPL-2.0
; neighbour: the noisy second VM of the end-to-end run (tests/e2e/, issue 8).
;
; It causes, in a loop, exits of the very reasons the probe measures in the
; other VM, on the same L1 host:
;   CPUID (10), RDMSR and WRMSR of IA32_APIC_BASE (31, 32), OUT and IN on
;   port 0x80 (30), and every 8th round STI;HLT (12), woken by the PIT
;   (in-kernel PIC/PIT, about 1 kHz of guest time).
; Each round also reads COM1's line status (30): a byte received on COM1 is
; the signal to stop. Then it prints "neighbour-done rounds=0x..." and halts
; with interrupts off for good, so its exit counts stay still while the L1
; init compares its per-VM debugfs view with the kvm_exit histogram.
;
; It has no isa-debug-exit: its QEMU stays alive (and its VM with its
; kvm/<pid>-<fd>/ directory) until the L1 init kills it.

bits 32

MB_MAGIC	equ 0x1BADB002
COM1		equ 0x3f8
IA32_APIC_BASE	equ 0x1b
PIC1		equ 0x20
PIC2		equ 0xa0
PIT_CH0		equ 0x40
PIT_CMD		equ 0x43
PIT_DIVISOR	equ 1193		; 1193182 Hz / 1193 = ~1 kHz
IRQ_BASE	equ 0x20

section .text
align 4
	dd MB_MAGIC
	dd 0
	dd -MB_MAGIC

global _start
_start:
	cli
	mov esp, stack_top
	call idt_setup
	call pic_pit_setup
	mov esi, s_begin
	call puts
	xor ebp, ebp			; rounds done
.round:
	xor eax, eax
	cpuid
	mov ecx, IA32_APIC_BASE
	rdmsr
	wrmsr				; the same value back: no effect
	mov al, 0
	out 0x80, al
	in al, 0x80
	test ebp, 7
	jnz .nohlt
	sti
	hlt
	cli
.nohlt:
	inc ebp
	mov dx, COM1 + 5		; line status: bit 0 = data ready
	in al, dx
	test al, 1
	jz .round

	mov esi, s_done
	call puts
	mov eax, ebp
	call puthex
	mov al, 10
	call putc
.forever:
	cli
	hlt
	jmp .forever

; Every vector 0x20..0x2f: acknowledge at both PICs and return.
irq_stub:
	push eax
	mov al, 0x20
	out PIC2, al
	out PIC1, al
	pop eax
	iret

idt_setup:
	mov ecx, IRQ_BASE
	mov edx, irq_stub
.fill:
	lea edi, [idt + ecx * 8]
	mov [edi], dx			; offset 15:0
	mov ax, cs
	mov [edi + 2], ax		; selector: the loader's flat code segment
	mov word [edi + 4], 0x8e00	; present, DPL 0, 32-bit interrupt gate
	mov eax, edx
	shr eax, 16
	mov [edi + 6], ax		; offset 31:16
	inc ecx
	cmp ecx, IRQ_BASE + 16
	jb .fill
	lidt [idt_desc]
	ret

; Remap the PICs to 0x20/0x28, unmask IRQ 0 only, PIT channel 0 rate gen.
pic_pit_setup:
	mov al, 0x11
	out PIC1, al
	out PIC2, al
	mov al, IRQ_BASE
	out PIC1 + 1, al
	mov al, IRQ_BASE + 8
	out PIC2 + 1, al
	mov al, 4
	out PIC1 + 1, al
	mov al, 2
	out PIC2 + 1, al
	mov al, 1
	out PIC1 + 1, al
	out PIC2 + 1, al
	mov al, 0xfe
	out PIC1 + 1, al
	mov al, 0xff
	out PIC2 + 1, al
	mov al, 0x34			; channel 0, lo/hi byte, mode 2
	out PIT_CMD, al
	mov ax, PIT_DIVISOR
	out PIT_CH0, al
	mov al, ah
	out PIT_CH0, al
	ret

%include "com1.inc"

section .data
s_begin:	db "neighbour-begin", 10, 0
s_done:		db "neighbour-done rounds=", 0
align 8
idt_desc:
	dw 256 * 8 - 1
	dd idt

section .bss
align 8
idt:		resb 256 * 8
		resb 4096
stack_top:
