; SPDX-License-Identifier: GPL-2.0
; The local APIC loops (apic.h; shape: loop.inc). arg (esi) is the xAPIC
; MMIO base. The values written come from apic.c, so the vectors and ICR
; commands are defined once (apic.h); register offsets are the SDM's.
; Expectations and their KVM citations: scentab.c.

bits 32
section .text

%include "loop.inc"

extern apic_icr_ipi, apic_icr_eoi_exit, apic_icr_nmi, apic_tpr_block
extern apic_deadline_delta, apic_timer_fired, apic_nmi_resend
extern apic_icr_x2ipi, apic_x2_id

%define APIC_VERSION	0x030
%define APIC_TPR	0x080
%define APIC_ESR	0x280
%define APIC_ICR_LO	0x300
%define MSR_TSC_DEADLINE 0x6e0
%define MSR_X2APIC_TPR	0x808
%define MSR_X2APIC_ICR	0x830

; Read the version register: not the TPR, so no TPR shadow serves it.
LOOP_BEGIN apicread
INSN apicread
	mov eax, [esi + APIC_VERSION]
INSN_END apicread
LOOP_END

; Write the error status register (a write only re-arms it in xAPIC mode).
LOOP_BEGIN apicwrite
	xor eax, eax
INSN apicwrite
	mov [esi + APIC_ESR], eax
INSN_END apicwrite
LOOP_END

; Raise the TPR over the self-IPI's class, send it (held back by the TPR),
; lower the TPR below it: with a TPR shadow KVM set the TPR threshold to the
; pending class, so the lowering write exits; the IPI is then delivered.
LOOP_BEGIN tpr
	sti
	mov eax, [apic_tpr_block]
	mov [esi + APIC_TPR], eax
	mov eax, [apic_icr_ipi]
	mov [esi + APIC_ICR_LO], eax
	xor eax, eax
INSN tpr
	mov [esi + APIC_TPR], eax
INSN_END tpr
	cli
LOOP_END

; A self-IPI with interrupts off stays pending; STI opens the window one
; instruction later (the STI shadow), after the NOP.
LOOP_BEGIN irqwin
	mov eax, [apic_icr_ipi]
	mov [esi + APIC_ICR_LO], eax
	sti
INSN irqwin
	nop
INSN_END irqwin
	cli
LOOP_END

; An NMI to ourselves; its handler (apic.c apic_nmi) sends the second one
; while NMIs are blocked, delivered after the handler's IRET.
LOOP_BEGIN nmiwin
	mov dword [apic_nmi_resend], 1
	mov eax, [apic_icr_nmi]
INSN nmiwin
	mov [esi + APIC_ICR_LO], eax
INSN_END nmiwin
LOOP_END

; Arm the TSC deadline apic_deadline_delta cycles ahead, then spin with
; interrupts on (no HLT: a halted vCPU moves KVM's deadline to a host timer)
; until the timer interrupt or, bounded, 1024 deltas past the deadline.
LOOP_BEGIN tscdl
	mov dword [apic_timer_fired], 0
	rdtsc
	add eax, [apic_deadline_delta]
	adc edx, 0
	mov ebx, eax
	mov ebp, edx
	mov ecx, MSR_TSC_DEADLINE
INSN tscdl
	wrmsr
INSN_END tscdl
	sti
%$spin:
	cmp dword [apic_timer_fired], 0
	jne %$fired
	rdtsc
	sub eax, ebx
	sbb edx, ebp
	js %$spin		; before the deadline
	jnz %$fired		; 2^32 cycles past it: give up
	mov ecx, [apic_deadline_delta]
	shl ecx, 10
	cmp eax, ecx
	jb %$spin
%$fired:
	cli
LOOP_END

; A self-IPI of the vector an I/O APIC pin claims: its EOI (in apic_irq)
; is the one KVM asked to see.
LOOP_BEGIN eoiexit
	mov eax, [apic_icr_eoi_exit]
	sti
INSN eoiexit
	mov [esi + APIC_ICR_LO], eax
INSN_END eoiexit
	cli
LOOP_END

; x2APIC mode (apic_x2_enter): a fixed IPI to our own x2APIC ID through the
; ICR MSR, delivered at once; its EOI is an MSR write too (apic_irq).
LOOP_BEGIN x2ipi
	mov ecx, MSR_X2APIC_ICR
	mov eax, [apic_icr_x2ipi]
	mov edx, [apic_x2_id]
	sti
INSN x2ipi
	wrmsr
INSN_END x2ipi
	cli
LOOP_END

; The TPR-threshold sequence of the tpr loop with the x2APIC TPR MSR,
; which KVM passes through to the TPR shadow in x2APIC mode.
LOOP_BEGIN x2tpr
	sti
	mov ecx, MSR_X2APIC_TPR
	mov eax, [apic_tpr_block]
	xor edx, edx
	wrmsr
	mov ecx, MSR_X2APIC_ICR
	mov eax, [apic_icr_x2ipi]
	mov edx, [apic_x2_id]
	wrmsr
	mov ecx, MSR_X2APIC_TPR
	xor eax, eax
	xor edx, edx
INSN x2tpr
	wrmsr
INSN_END x2tpr
	cli
LOOP_END
