; SPDX-License-Identifier: GPL-2.0
; leafguest: a tiny multiboot guest for the end-to-end run (tests/e2e/).
;
; It executes CPUID for a fixed list of (leaf, subleaf) pairs and prints the
; four output registers of each on COM1, one line per pair:
;
;   leafguest-begin
;   leaf=0x00000000 subleaf=0x00000000 eax=0x... ebx=0x... ecx=0x... edx=0x...
;   ...
;   leafguest-end
;
; then exits QEMU through isa-debug-exit (port 0xf4, code 0x10 = status 33).
; The e2e verdict compares the ordinary leaves (0, 1, 0x40000000, 0x80000000)
; between the patched and the unpatched L1 KVM (they must be identical), and
; checks the patched answers to the exitprobe leaves with hostile ecx values
; (undefined reasons and out-of-range numbers: eax=ebx=ecx=0, edx=0xffffffff)
; and the snapshot leaf's status of every reason against the VMCS controls
; the patched KVM publishes (vmx-caps --kvm).
; It is independent of probe.elf on purpose: a second, minimal guest whose
; every instruction is visible here.

bits 32

MB_MAGIC equ 0x1BADB002
COM1     equ 0x3f8

section .text
	; The multiboot header must lie in the first 8 KiB of the file: keep
	; it first in .text (link with -n so .text starts near the file head).
align 4
	dd MB_MAGIC
	dd 0
	dd -MB_MAGIC

global _start
_start:
	cli
	mov esp, stack_top
	mov esi, s_begin
	call puts
	mov ebp, pairs
.next:
	cmp ebp, pairs_end
	jae .done
	mov esi, s_leaf
	call puts
	mov eax, [ebp]
	call puthex
	mov esi, s_subleaf
	call puts
	mov eax, [ebp + 4]
	call puthex
	mov eax, [ebp]
	mov ecx, [ebp + 4]
	cpuid
	mov [regs], eax
	mov [regs + 4], ebx
	mov [regs + 8], ecx
	mov [regs + 12], edx
	mov esi, s_eax
	call puts
	mov eax, [regs]
	call puthex
	mov esi, s_ebx
	call puts
	mov eax, [regs + 4]
	call puthex
	mov esi, s_ecx
	call puts
	mov eax, [regs + 8]
	call puthex
	mov esi, s_edx
	call puts
	mov eax, [regs + 12]
	call puthex
	mov al, 10
	call putc
	add ebp, 8
	jmp .next
.done:
	mov esi, s_end
	call puts
	mov dx, 0xf4		; isa-debug-exit: QEMU exits with (0x10 << 1) | 1
	mov al, 0x10
	out dx, al
	mov esi, s_shutdown	; no such device: Bochs' shutdown port
	mov dx, 0x8900
.sd:	lodsb
	test al, al
	jz .halt
	out dx, al
	jmp .sd
.halt:	hlt
	jmp .halt

%include "com1.inc"

section .rodata
s_begin:	db "leafguest-begin", 10, 0
s_end:		db "leafguest-end", 10, 0
s_leaf:		db "leaf=", 0
s_subleaf:	db " subleaf=", 0
s_eax:		db " eax=", 0
s_ebx:		db " ebx=", 0
s_ecx:		db " ecx=", 0
s_edx:		db " edx=", 0
s_shutdown:	db "Shutdown", 0

align 4
pairs:
	; ordinary leaves: must not change with the patch
	dd 0x00000000, 0
	dd 0x00000001, 0
	dd 0x40000000, 0
	dd 0x40000001, 0
	dd 0x80000000, 0
	dd 0x80000001, 0
	; the exitprobe leaves
	dd 0x4FFFFFFF, 0
	dd 0x4FFFFFFE, 0
	; count and cycles leaves: a defined reason, then hostile ecx values
	%macro hostile 1
	dd %1, 10		; CPUID: defined and enabled
	dd %1, 35		; undefined by the SDM
	dd %1, 38
	dd %1, 42
	dd %1, 86		; first number past the last defined reason
	dd %1, 0x7FFFFFFF
	dd %1, 0x8000000A	; reason 10 with bit 31 (failed VM entry) set
	dd %1, 0xFFFFFFFF
	%endmacro
	hostile 0x4FFFFFFD
	hostile 0x4FFFFFFC
	; the status of every SDM reason 0..85 (snapshot leaf, edx: 0 enabled,
	; 1 not enabled, 0xffffffff undefined), against vmx-caps --kvm
	%assign n 0
	%rep 86
	dd 0x4FFFFFFA, n
	%assign n n + 1
	%endrep
pairs_end:

section .bss
align 16
regs:	resd 4
	resb 4096
stack_top:
