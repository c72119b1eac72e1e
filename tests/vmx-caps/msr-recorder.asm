; SPDX-License-Identifier: GPL-2.0
; msr-recorder: a tiny multiboot guest that prints the VMX capability MSRs
; of the CPU it runs on, for the decoder's recorded test data.
;
; Booted by GRUB under Bochs (tests/vmx-caps/record-vmx-msrs), it reads
; IA32_VMX_BASIC (0x480) through IA32_VMX_EXIT_CTLS2 (0x493) with RDMSR and
; prints one line per MSR on COM1:
;
;   msr-recorder-begin
;   cpuid1: eax=0x... ecx=0x...
;   msr=0x00000480 value=0x<high 32 bits><low 32 bits>
;   msr=0x00000492 absent
;   ...
;   msr-recorder-end
;
; "absent" means RDMSR raised #GP: the CPU model does not implement that
; MSR. The #GP handler skips the 2-byte RDMSR and sets a flag; that needs
; our own GDT and IDT (multiboot leaves GDTR undefined). Then it stops
; Bochs through its shutdown port 0x8900.

bits 32

MB_MAGIC equ 0x1BADB002
COM1     equ 0x3f8
MSR_FIRST equ 0x480
MSR_LAST  equ 0x493
VEC_GP    equ 13

section .text
align 4
	dd MB_MAGIC
	dd 0
	dd -MB_MAGIC

global _start
_start:
	cli
	lgdt [gdt_desc]
	jmp 0x08:.flat
.flat:	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov esp, stack_top
	call idt_init
	lidt [idt_desc]
	call uart_init

	mov esi, s_begin
	call puts
	; CPUID.1 identifies the model and tells whether VMX is there at all
	; (ecx bit 5): without it every VMX MSR is expected to be absent.
	mov eax, 1
	cpuid
	push ecx
	mov esi, s_cpuid
	call puts
	call puthex
	mov esi, s_ecx
	call puts
	pop eax
	call puthex
	mov al, 10
	call putc

	mov ebp, MSR_FIRST
.next:	cmp ebp, MSR_LAST
	ja .done
	mov esi, s_msr
	call puts
	mov eax, ebp
	call puthex
	mov byte [gp_seen], 0
	mov ecx, ebp
	xor eax, eax
	xor edx, edx
.rdmsr:				; the one RDMSR (_start.rdmsr)
	rdmsr			; 0f 32: the #GP handler skips these 2 bytes
	cmp byte [gp_seen], 0
	jne .absent
	push eax
	push edx
	mov esi, s_value
	call puts
	pop eax
	call puthex
	pop eax
	call puthex_digits
	jmp .eol
.absent:
	mov esi, s_absent
	call puts
.eol:	mov al, 10
	call putc
	inc ebp
	jmp .next
.done:
	mov esi, s_end
	call puts
	; Let the UART finish (LSR.TEMT): Bochs drops what is still being
	; shifted out when it shuts down.
	mov dx, COM1 + 5
.drain:	in al, dx
	test al, 0x40
	jz .drain
	mov esi, s_shutdown
	mov dx, 0x8900
.sd:	lodsb
	test al, al
	jz .halt
	out dx, al
	jmp .sd
.halt:	hlt
	jmp .halt

; Every vector goes to unexpected_trap except #GP.
idt_init:
	mov edi, idt
	mov ecx, 32
.fill:	mov eax, unexpected_trap
	cmp ecx, 32 - VEC_GP
	jne .set
	mov eax, gp_trap
.set:	mov [edi], ax			; offset 15:0
	mov word [edi + 2], 0x08	; code selector
	mov word [edi + 4], 0x8e00	; present, DPL 0, 32-bit interrupt gate
	shr eax, 16
	mov [edi + 6], ax		; offset 31:16
	add edi, 8
	loop .fill
	ret

; #GP: only the RDMSR above may fault; skip it and say so.
gp_trap:
	add esp, 4			; error code
	cmp dword [esp], _start.rdmsr
	jne unexpected_trap
	add dword [esp], 2
	mov byte [gp_seen], 1
	iret

unexpected_trap:
	mov esi, s_trap
	call puts
	jmp _start.done

; uart_init: 115200 8N1 with DLAB clear, so that writes to COM1 are data
; (nothing before us is obliged to have set the UART up).
uart_init:
	mov dx, COM1 + 3
	mov al, 0x80		; DLAB on: the next two ports are the divisor
	out dx, al
	mov dx, COM1
	mov al, 1		; divisor 1: 115200 baud
	out dx, al
	mov dx, COM1 + 1
	xor al, al
	out dx, al
	mov dx, COM1 + 3
	mov al, 0x03		; 8N1, DLAB off
	out dx, al
	ret

; putc: al to COM1, waiting for the transmitter holding register.
putc:
	push edx
	push eax
	mov dx, COM1 + 5
.wait:	in al, dx
	test al, 0x20
	jz .wait
	pop eax
	mov dx, COM1
	out dx, al
	pop edx
	ret

; puts: NUL-terminated string at esi.
puts:
	push eax
.l:	lodsb
	test al, al
	jz .e
	call putc
	jmp .l
.e:	pop eax
	ret

; puthex: eax as 0x + 8 lowercase hex digits; puthex_digits without 0x.
puthex:
	push eax
	mov al, '0'
	call putc
	mov al, 'x'
	call putc
	pop eax
puthex_digits:
	push ecx
	push ebx
	mov ebx, eax
	mov ecx, 8
.d:	rol ebx, 4
	mov eax, ebx
	and eax, 0xf
	mov al, [hexdigits + eax]
	call putc
	dec ecx
	jnz .d
	pop ebx
	pop ecx
	ret

section .rodata
align 8
gdt:	dq 0
	dq 0x00cf9a000000ffff		; 0x08: flat 32-bit code
	dq 0x00cf92000000ffff		; 0x10: flat data
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt
idt_desc:
	dw 32 * 8 - 1
	dd idt
hexdigits:	db "0123456789abcdef"
s_begin:	db "msr-recorder-begin", 10, 0
s_cpuid:	db "cpuid1: eax=", 0
s_ecx:		db " ecx=", 0
s_msr:		db "msr=", 0
s_value:	db " value=", 0
s_absent:	db " absent", 0
s_trap:		db "msr-recorder-error: unexpected exception", 10, 0
s_end:		db "msr-recorder-end", 10, 0
s_shutdown:	db "Shutdown", 0

section .bss
alignb 8
idt:	resb 32 * 8
gp_seen: resb 1
alignb 16
	resb 4096
stack_top:
