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

; ---- issue 10: VMX instructions, task switch, string I/O, MMIO, UMIP ----

; VMX instructions (SDM reasons 19-27, 50, 53): in VMX non-root operation
; each exits unconditionally; KVM answers with #UD (nothing was VMXON'd).
; Memory operands point at scratch memory (arg), never read or written:
; KVM injects the #UD before it looks at them.
%macro VMX_LOOP 2+
LOOP_BEGIN %1
	xor eax, eax
	xor ebx, ebx
INSN %1
	%2
INSN_END %1
LOOP_END
%endmacro

VMX_LOOP vmclear, vmclear [esi]
VMX_LOOP vmlaunch, vmlaunch
VMX_LOOP vmptrld, vmptrld [esi]
VMX_LOOP vmptrst, vmptrst [esi]
VMX_LOOP vmread, vmread ebx, eax
VMX_LOOP vmresume, vmresume
VMX_LOOP vmwrite, vmwrite eax, ebx
VMX_LOOP vmxoff, vmxoff
VMX_LOOP vmxon, vmxon [esi]
VMX_LOOP invept, invept eax, [esi]
VMX_LOOP invvpid, invvpid eax, [esi]
VMX_LOOP vmfunc, vmfunc

; A far JMP through the far pointer at arg (offset, TSS selector) switches
; to task B (probe-os/task.c); task B's own far JMP switches back, and this
; task resumes after its JMP: two task switches per iteration.
LOOP_BEGIN taskjmp
INSN taskjmp
	jmp far [esi]
INSN_END taskjmp
LOOP_END

; Task B's code: its esi (from its TSS) points at the far pointer back to
; the probe's task. Each switch into B resumes after B's previous JMP.
global task_b_entry
task_b_entry:
	jmp far [esi]
	jmp task_b_entry

; LMSW flips CR0.MP (host-owned) twice: two exits, like cr0.
LOOP_BEGIN lmsw
	mov eax, cr0
	xor eax, 2
INSN lmsw
	lmsw ax
INSN_END lmsw
	xor eax, 2
	lmsw ax
LOOP_END

; CLTS after setting CR0.TS: both touch only TS, which KVM lets the guest
; own, so neither exits. Were TS host-owned, CLTS would exit (TS set in the
; read shadow) and so would the MOV that sets it.
LOOP_BEGIN clts
	mov eax, cr0
	or eax, 8
	mov cr0, eax
INSN clts
	clts
INSN_END clts
LOOP_END

; MOV to DR7 of arg (its reset value).
LOOP_BEGIN dr7write
INSN dr7write
	mov dr7, esi
INSN_END dr7write
LOOP_END

; Port I/O to a port arg that KVM's in-kernel devices answer (PIC IMR).
LOOP_BEGIN ioinkernel
	mov edx, esi
INSN ioinkernel
	in al, dx
INSN_END ioinkernel
LOOP_END

; Writes a byte to an in-kernel port: arg = port | value << 16 (the value
; must be what the port already holds: scentab.c says which).
LOOP_BEGIN iooutkernel
	mov edx, esi
	and edx, 0xffff
	mov eax, esi
	shr eax, 16
INSN iooutkernel
	out dx, al
INSN_END iooutkernel
LOOP_END

; String I/O between memory and port 0x80 (QEMU userspace). arg points at
; struct string_io (scenarios.h): { buffer, count }. esi/edi are the loop's
; own registers: ebp keeps them across the string instruction.
LOOP_BEGIN outsb
	mov ebp, esi
	mov ecx, [ebp + 4]
	mov esi, [ebp]
	mov edx, 0x80
INSN outsb
	rep outsb
INSN_END outsb
	mov esi, ebp
LOOP_END

LOOP_BEGIN insb
	mov ebp, edi
	mov ecx, [esi + 4]
	mov edi, [esi]
	mov edx, 0x80
INSN insb
	rep insb
INSN_END insb
	mov edi, ebp
LOOP_END

; RDMSR/WRMSR of an MSR KVM passes through (arg: the MSR); WRMSR writes
; back what RDMSR read.
LOOP_BEGIN rdmsrpass
	mov ecx, esi
INSN rdmsrpass
	rdmsr
INSN_END rdmsrpass
LOOP_END

LOOP_BEGIN wrmsrpass
	mov ecx, esi
	rdmsr
INSN wrmsrpass
	wrmsr
INSN_END wrmsrpass
LOOP_END

; Descriptor-table stores into scratch memory (arg).
LOOP_BEGIN sidt
INSN sidt
	sidt [esi]
INSN_END sidt
LOOP_END

LOOP_BEGIN sldt
INSN sldt
	sldt [esi]
INSN_END sldt
LOOP_END

LOOP_BEGIN str
INSN str
	str [esi]
INSN_END str
LOOP_END

; MMIO read of the 32-bit register at arg.
LOOP_BEGIN mmioread
INSN mmioread
	mov eax, [esi]
INSN_END mmioread
LOOP_END

; MMIO write: arg points at { address, value }.
LOOP_BEGIN mmiowrite
	mov ebx, [esi]
	mov eax, [esi + 4]
INSN mmiowrite
	mov [ebx], eax
INSN_END mmiowrite
LOOP_END

; INVPCID type 2 (all contexts, globals included): needs no PCID, so it is
; valid with CR4.PCIDE=0. The descriptor (arg) is still checked: its
; reserved bits must be 0 (else #GP), so it is a zeroed one of its own.
LOOP_BEGIN invpcid
	mov eax, 2
INSN invpcid
	invpcid eax, [esi]
INSN_END invpcid
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
