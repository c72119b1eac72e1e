; SPDX-License-Identifier: GPL-2.0
; The scenario instruction loops (see loops.h; their shape: loop.inc) and
; setjmp/longjmp for trap.c.

bits 32
section .text

%include "loop.inc"

LOOP_BEGIN cpuid
	xor eax, eax
	xor ecx, ecx
INSN cpuid
	cpuid
INSN_END cpuid
LOOP_END

LOOP_BEGIN hlt
	sti
INSN hlt
	hlt
INSN_END hlt
	cli
LOOP_END

LOOP_BEGIN invd
INSN invd
	invd
INSN_END invd
LOOP_END

LOOP_BEGIN invlpg
INSN invlpg
	invlpg [esi]
INSN_END invlpg
LOOP_END

LOOP_BEGIN rdpmc
	xor ecx, ecx
INSN rdpmc
	rdpmc
INSN_END rdpmc
LOOP_END

LOOP_BEGIN rdtsc
INSN rdtsc
	rdtsc
INSN_END rdtsc
LOOP_END

; An unknown hypercall number: KVM on Intel returns -KVM_ENOSYS in eax.
LOOP_BEGIN vmcall
	mov eax, 0x7fff0000
	xor ebx, ebx
	xor ecx, ecx
	xor edx, edx
INSN vmcall
	vmcall
INSN_END vmcall
LOOP_END

; CR0.MP is host-owned in KVM (only TS and WP can be guest-owned), so each
; write that flips it exits: two exits per iteration.
LOOP_BEGIN cr0
	mov eax, cr0
	xor eax, 2
INSN cr0
	mov cr0, eax
INSN_END cr0
	xor eax, 2
	mov cr0, eax
LOOP_END

; CR4.MCE is not in KVM_POSSIBLE_CR4_GUEST_BITS: host-owned, two exits.
LOOP_BEGIN cr4
	mov eax, cr4
	xor eax, 0x40
INSN cr4
	mov cr4, eax
INSN_END cr4
	xor eax, 0x40
	mov cr4, eax
LOOP_END

LOOP_BEGIN cr3read
INSN cr3read
	mov eax, cr3
INSN_END cr3read
LOOP_END

LOOP_BEGIN dr7read
INSN dr7read
	mov eax, dr7
INSN_END dr7read
LOOP_END

LOOP_BEGIN ioout
	xor eax, eax
INSN ioout
	out 0x80, al
INSN_END ioout
LOOP_END

LOOP_BEGIN ioin
INSN ioin
	in al, 0x80
INSN_END ioin
LOOP_END

LOOP_BEGIN rdmsr
	mov ecx, 0x1b
INSN rdmsr
	rdmsr
INSN_END rdmsr
LOOP_END

; Writes IA32_APIC_BASE back with its own value (arg; high half is 0).
LOOP_BEGIN wrmsr
	mov ecx, 0x1b
	mov eax, esi
	xor edx, edx
INSN wrmsr
	wrmsr
INSN_END wrmsr
LOOP_END

LOOP_BEGIN mwait
	xor eax, eax
	xor ecx, ecx
INSN mwait
	mwait
INSN_END mwait
LOOP_END

LOOP_BEGIN monitor
	mov eax, esi
	xor ecx, ecx
	xor edx, edx
INSN monitor
	monitor
INSN_END monitor
LOOP_END

LOOP_BEGIN pause
INSN pause
	pause
INSN_END pause
LOOP_END

LOOP_BEGIN ud2
INSN ud2
	ud2
INSN_END ud2
LOOP_END

LOOP_BEGIN int3
INSN int3
	int3
INSN_END int3
LOOP_END

LOOP_BEGIN sgdt
INSN sgdt
	sgdt [esi]
INSN_END sgdt
LOOP_END

; First write to a fresh page each iteration (arg: 4 KiB-aligned base).
LOOP_BEGIN touch
	mov eax, edi
INSN touch
	mov [esi], eax
INSN_END touch
	add esi, 4096
LOOP_END

LOOP_BEGIN rdtscp
INSN rdtscp
	rdtscp
INSN_END rdtscp
LOOP_END

LOOP_BEGIN wbinvd
INSN wbinvd
	wbinvd
INSN_END wbinvd
LOOP_END

; Writes XCR0 back with its own value (arg; high half is 0).
LOOP_BEGIN xsetbv
	xor ecx, ecx
	mov eax, esi
	xor edx, edx
INSN xsetbv
	xsetbv
INSN_END xsetbv
LOOP_END

LOOP_BEGIN rdrand
INSN rdrand
	rdrand eax
INSN_END rdrand
LOOP_END

LOOP_BEGIN rdseed
INSN rdseed
	rdseed eax
INSN_END rdseed
LOOP_END

; int probe_setjmp(u32 buf[6]) / void probe_longjmp(u32 buf[6], int val)
global probe_setjmp, probe_longjmp
probe_setjmp:
	mov eax, [esp + 4]
	mov [eax], ebx
	mov [eax + 4], esi
	mov [eax + 8], edi
	mov [eax + 12], ebp
	lea ecx, [esp + 4]
	mov [eax + 16], ecx
	mov ecx, [esp]
	mov [eax + 20], ecx
	xor eax, eax
	ret

probe_longjmp:
	mov edx, [esp + 4]
	mov eax, [esp + 8]
	mov ebx, [edx]
	mov esi, [edx + 4]
	mov edi, [edx + 8]
	mov ebp, [edx + 12]
	mov esp, [edx + 16]
	jmp [edx + 20]
