// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario table. Expectations are what Linux KVM (Intel VMX, EPT,
 * unrestricted guest) does in 6.1 and 6.12 (arch/x86/kvm/vmx/vmx.c):
 * - CPUID, HLT, I/O (unconditional I/O exiting), INVD, VMCALL, MONITOR,
 *   MWAIT, RDPMC, INVLPG-with-shadow-paging are in KVM's required
 *   CPU-based controls; WBINVD exiting is on when the CPU has it; MSRs not
 *   in the pass-through list (IA32_APIC_BASE) exit on RDMSR and WRMSR.
 * - With EPT, INVLPG and CR3 loads/stores are not intercepted (KVM clears
 *   them once paging is on or the guest is unrestricted). With shadow
 *   paging (kvm_intel.ept=0) init_vmcs_control() keeps
 *   CPU_BASED_INVLPG_EXITING and CR3_LOAD/STORE_EXITING from the required
 *   controls ("No need to intercept CR3 access or INVPLG when using EPT"
 *   clears them only if enable_ept): every INVLPG and every MOV from CR3
 *   exits, one exit each (measured: 250 INVLPG in 5 x 50, ept=0 under
 *   Bochs). An unknown paging mode leaves those two undecided (SKIP).
 * - MOV to CR0/CR4 exits when it changes a host-owned bit: guest-owned are
 *   at most CR0.TS/WP and CR4.PVI/DE/PCE/OSFXSR/OSXMMEXCPT/PGE/TSD/FSGSBASE
 *   (KVM_POSSIBLE_CR*_GUEST_BITS), so CR0.MP and CR4.MCE flips exit.
 * - MOV DR exits once, then KVM stops intercepting (KVM_DEBUGREG_WONT_EXIT)
 *   and re-arms it when it syncs the debug registers after the next exit.
 *   The counter reads between samples are exits, so each sample's first DR
 *   access exits: at least one per sample (measured: 5 DR exits in 5
 *   samples, patched 6.1 under Bochs; 1 in the whole run on a stock KVM,
 *   where the probe does not read counters between samples).
 * - #UD is always in the exception bitmap, #BP only for guest debugging.
 * - RDTSC, RDTSCP, RDRAND, RDSEED, descriptor-table exits are not enabled
 *   when the guest's CPUID has the feature (and UMIP is not emulated).
 * - PAUSE exits only through pause-loop exiting: at most one per PAUSE.
 * - HLT, MONITOR/MWAIT and PAUSE are not intercepted at all when the VMM
 *   disabled those exits (KVM_CAP_X86_DISABLE_EXITS, QEMU -overcommit
 *   cpu-pm=on): vmx_exec_control() clears CPU_BASED_MWAIT_EXITING and
 *   CPU_BASED_MONITOR_EXITING if kvm_mwait_in_guest(), HLT_EXITING if
 *   kvm_hlt_in_guest(), and PLE is off if kvm_pause_in_guest(). Those rows
 *   name their .gate; main.c observes each once before the window and a
 *   gate observed off makes the row expect none (hostset.c).
 * - A write to a page the guest never touched takes at most one EPT
 *   violation (none if the host already maps it, e.g. a huge page).
 *   Without EPT there are no EPT violations at all: the fresh page faults
 *   into KVM as #PF (vmx_need_pf_intercept() is true when !enable_ept),
 *   counted as EXCEPTION_NMI in the scenario's "other".
 *
 * Issue 10 (probe 1.0), the non-APIC scenarios, same two lines:
 * - VMX instructions (VMCLEAR..VMXON 19-27, INVEPT 50, INVVPID 53) exit
 *   unconditionally in VMX non-root operation (the hardware CR4.VMXE is 1
 *   under KVM, so VMXON does not #UD first). With nested=0 every one lands
 *   in handle_vmx_instruction(), which queues #UD; with nested=1 the
 *   nested.c handlers do the same because the probe never did VMXON
 *   (nested_vmx_check_permission) and its CR4.VMXE is 0 (handle_vmxon). The
 *   #UD is injected, not intercepted: one exit per instruction. VMFUNC (59)
 *   differs by line: 6.1 keeps "enable VM functions" in vmcs01 with no
 *   function enabled (VM_FUNCTION_CONTROL 0), so VMFUNC exits and KVM
 *   injects #UD (handle_vmfunc / handle_vmx_instruction; measured 1 per
 *   iteration, dev-a1); 6.12's vmx_secondary_exec_control() clears the
 *   control ("KVM doesn't support VMFUNC for L1"), so VMFUNC raises #UD
 *   without an exit (the #UD itself is intercepted: reason 0). The guest
 *   cannot tell the lines apart: at most one per iteration.
 * - A far JMP to a TSS is a task switch, an unconditional exit (9);
 *   handle_task_switch() -> kvm_task_switch() emulates it: A -> B -> A is
 *   two exits.
 * - Port I/O: port 0x21 is KVM's in-kernel PIC (kvm_pic_init registers it on
 *   the PIO bus with QEMU's default kernel irqchip), 0x80 goes to QEMU: one
 *   exit each way. String I/O (handle_io -> kvm_emulate_instruction): em_out
 *   writes one element per emulation and x86_emulate_instruction() returns to
 *   userspace for every element that no in-kernel device takes, re-entering
 *   the guest at the same REP OUTSB: one exit per element. REP INSB refills
 *   a read-ahead cache of min(count, 1024, rest of the page) elements with
 *   one userspace exit (pio_in_emulated) and completes from it in the
 *   kernel. In both, the emulation that brings RCX to 0 does not count as
 *   "completed" (string_insn_completed() tests only REPE/REPNE's ZF) and
 *   skips the RIP writeback, so the guest re-executes the REP with ECX=0,
 *   which exits once more (unconditional I/O exiting) and KVM finishes it:
 *   count + 1 exits for REP OUTSB, 2 for REP INSB of 4 bytes in one page
 *   (measured: 5 and 2 per iteration, dev-a1 under Bochs, 6.1).
 * - MMIO (no memslot): with EPT the first access is an EPT violation that
 *   installs an MMIO SPTE; later ones are EPT misconfigurations (49),
 *   handle_ept_misconfig(), one exit each whether KVM's IOAPIC or QEMU's HPET
 *   answers. The enter hook makes that first access outside the samples. A
 *   fresh MMIO page per sample would need unassigned addresses the probe
 *   cannot be sure of: no first-access row. With shadow paging every access
 *   is an intercepted #PF (reason 0, in "other"): none of reason 49.
 * - INVPCID (58): vmx_secondary_exec_control() enables it when the guest's
 *   CPUID has it; with EPT it runs in the guest, with shadow paging INVLPG
 *   exiting makes it exit (handle_invpcid). Type 2 needs no CR4.PCIDE; its
 *   descriptor's reserved bits must still be 0 (#GP otherwise).
 * - LMSW flipping CR0.MP exits like MOV CR0 (handle_cr, LMSW type); CLTS
 *   does not exit: CR0.TS is in KVM_POSSIBLE_CR0_GUEST_BITS and guest-owned
 *   in vmcs01. MOV to DR7 exits like MOV from DR7 (KVM_DEBUGREG_WONT_EXIT).
 * - IA32_SYSENTER_CS is passed through for read and write (vmx_vcpu_create
 *   disables its intercepts; vmx_possible_passthrough_msrs): no exit.
 * - UMIP: on a CPU without UMIP, KVM (vmx_umip_emulated, vmx_set_cr4) turns
 *   descriptor-table exiting on while the guest has CR4.UMIP=1 and emulates
 *   SGDT/SIDT (46) and SLDT/STR (47) at CPL 0 (handle_desc): one exit each.
 *   The rows need CPUID.7:ECX.UMIP. On a CPU that has UMIP itself, KVM
 *   leaves CR4.UMIP to the hardware and these rows see no exit (a FAIL that
 *   says so); the guest cannot tell the two cases apart from CPUID.
 * - The APIC rows (apic.*) follow the host's APIC virtualization mode
 *   (host: apic=, apic.c apic_detect), KVM 6.1 and 6.12 alike. apicv is
 *   enable_apicv (APIC-register virtualization + virtual-interrupt
 *   delivery; cpu_has_vmx_apicv() also needs posted interrupts, which
 *   Bochs' corei7_skylake_x lacks). Without it KVM may still enable
 *   virtualize APIC accesses + TPR shadow (flexpriority), but it never maps
 *   the APIC-access page: kvm_faultin_pfn() (6.1) / __kvm_faultin_pfn()
 *   (6.12) return RET_PF_EMULATE for the APIC-access memslot when
 *   !kvm_apicv_activated(), "without caching the MMIO access or creating a
 *   MMIO SPTE". So every xAPIC access faults (EPT violation, or #PF under
 *   shadow paging) and is emulated: mode "emulated", whatever
 *   kvm_intel.flexpriority says. "flexpriority" (APIC_ACCESS exits, the
 *   page mapped without APIC-register virtualization) is kept for hosts
 *   that do map it; KVM 6.1/6.12 never do.
 *   - Emulated: a write is one EPT violation; a read is two on 6.1
 *     (retry_instruction(): a faulting instruction that does not write page
 *     tables is first re-executed after kvm_mmu_unprotect_page(), only its
 *     second fault at the same eip and address is emulated) and one on 6.12
 *     (EMULTYPE_ALLOW_RETRY_PF only for write-protection faults,
 *     kvm_mmu_write_protect_fault): apic.mmioread expects at least one per
 *     iteration, apic.mmiowrite exactly one.
 *   - APIC_ACCESS (handle_apic_access: EOI by its fast path, the rest
 *     through kvm_emulate_instruction) is one exit per access of a
 *     non-TPR register with the page mapped and no APIC-register
 *     virtualization; with it reads do not exit and writes are trap-like
 *     APIC_WRITE exits (handle_apic_write); emulated accesses are never 44.
 *   - TPR_BELOW_THRESHOLD: the ICR write leaves the self-IPI pending under
 *     a raised TPR; before re-entry update_cr8_intercept() passes the
 *     highest pending class to vmx_update_cr8_intercept(), which sets
 *     TPR_THRESHOLD to it (tpr < irr is false). A TPR write through the TPR
 *     shadow below it is one exit 43, then the IPI is injected. But a 32-bit
 *     guest writes the TPR only through the APIC page: that needs the page
 *     mapped (flexpriority). Emulated, the write is an EPT violation and
 *     KVM's apic_set_tpr() makes the IPI deliverable itself; with APICv
 *     update_cr8_intercept() returns at once: none in both. (MOV CR8, the
 *     other TPR-shadow path, exists only in 64-bit mode.)
 *   - x2APIC mode (apic.x2*, entered and left around the row): KVM sets
 *     virtualize x2APIC mode whenever the CPU has it, APICv or not
 *     (vmx_set_virtual_apic_mode), and vmx_update_msr_bitmap_x2apic()
 *     passes the TPR MSR (0x808) through: a TPR write is then virtualized
 *     by the TPR shadow, so apic.x2tpr reaches TPR_BELOW_THRESHOLD (one
 *     exit 43) where the xAPIC page cannot. Every other x2APIC MSR write
 *     exits without APICv (one WRMSR each: apic.x2ipi counts the ICR write,
 *     handled in KVM's fastpath by handle_fastpath_set_x2apic_icr_irqoff
 *     for a fixed, physical, non-broadcast IPI, and the handler's EOI);
 *     with APICv the EOI write is passed through and the ICR write too
 *     with IPI virtualization (enable_ipiv): at most one.
 *   - INTERRUPT_WINDOW: with IF=0 the pending self-IPI cannot be injected,
 *     so inject_pending_event() calls enable_irq_window()
 *     (vmx_enable_irq_window: CPU_BASED_INTR_WINDOW_EXITING); STI;NOP opens
 *     the window: one exit 7, plus two APIC_ACCESS (ICR, EOI). With APICv
 *     kvm_cpu_has_injectable_intr() is false for APIC interrupts (virtual
 *     interrupt delivery waits for IF itself): none.
 *   - NMI_WINDOW: an NMI sent while the handler of the previous one runs is
 *     pending with NMIs blocked (virtual NMIs); vmx_nmi_allowed() is false,
 *     so KVM calls enable_nmi_window() (CPU_BASED_NMI_WINDOW_EXITING) and
 *     the handler's IRET exits: one exit 8 per iteration, in every APIC
 *     mode (APICv does not virtualize NMIs).
 *   - TSC deadline: WRMSR IA32_TSC_DEADLINE is intercepted in every mode
 *     and handled in KVM's fastpath (handle_fastpath_set_msr_irqoff ->
 *     handle_fastpath_set_tscdeadline, when kvm_can_use_hv_timer()): one
 *     exit 32. Its expiry, emulated with the VMX-preemption timer, is one
 *     exit 52, handled in the fastpath too
 *     (handle_fastpath_preemption_timer -> kvm_lapic_expired_hv_timer; in
 *     6.1.192 and 6.12.117 alike); the timer interrupt's EOI is one
 *     APIC_ACCESS. The guest spins rather than HLTs: a blocking vCPU moves
 *     the deadline to a host hrtimer (vcpu_block: kvm_lapic_switch_to_sw_timer).
 *     Where kvm_can_use_hv_timer() is false the deadline is a host hrtimer
 *     and the WRMSR takes the slow path: kvm_intel.preemption_timer=0,
 *     posted timer interrupts with APICv, MWAIT in the guest, or KVM
 *     turning the timer off in hardware_setup() because its rate
 *     (TSC >> IA32_VMX_MISC[4:0]) exceeds 0xffffffff / 10 Hz: Bochs
 *     reports rate 0 with a 3.5 GHz TSC, so on the e2e stack there is no
 *     PREEMPTION_TIMER exit at all. apic_deadline_detect sees which before
 *     the window and apic.preempt SKIPs with what it saw. With the timer
 *     on, these two rows and apic.x2ipi (the x2APIC ICR write) are the
 *     ones whose exits KVM handles in its fastpath, i.e. the probe's test
 *     of the host patch's fastpath accounting; without it only apic.x2ipi.
 *   - EOI_INDUCED (handle_apic_eoi_induced) needs virtual-interrupt delivery
 *     and a vector in the EOI-exit bitmap, which KVM sets for vectors of
 *     level-triggered I/O APIC entries aimed at the vCPU
 *     (kvm_ioapic_scan_entry, masked or not): apic.eoiexit claims one with a
 *     masked entry on pin 23. APIC_WRITE (handle_apic_write) needs
 *     APIC-register virtualization. Both SKIP, naming the mode, without
 *     APICv. Neither is measured: the e2e stack has no APICv.
 *   - INTERRUPT_WINDOW, NMI_WINDOW and PREEMPTION_TIMER are ASYNC in the
 *     SDM table, but only the row's own programming requests them here (the
 *     PIT is stopped and the PICs masked while it runs).
 */
#include "scenarios.h"
#include "loops.h"
#include "apic.h"
#include "trap.h"
#include "cpu.h"
#include "task.h"
#include "scenhooks.h"

#define V(v) (1u << (v))
#define UD 6
#define BP 3
#define GP 13

static const char *needs_timer(const struct probe_env *e, u32 i, u32 s)
{
	(void)i, (void)s;
	return e->timer_ok ? NULL : "no PIT interrupt arrived: no wake-up source for HLT";
}

static const char *needs_low_apicbase(const struct probe_env *e, u32 i, u32 s)
{
	(void)i, (void)s;
	return e->apicbase >> 32 ? "IA32_APIC_BASE has high bits set" : NULL;
}

static const char *needs_kvm_mwait_nop(const struct probe_env *e, u32 i, u32 s)
{
	(void)i, (void)s;
	if (!e->kvm)
		return "MWAIT only runs under KVM (elsewhere it may sleep with interrupts off)";
	if (e->f1_ecx & F1_ECX_MONITOR)
		return "CPUID.1:ECX.MONITOR=1: MWAIT may be passed through and sleep";
	return NULL;
}

static const char *needs_fresh_ram(const struct probe_env *e, u32 iters, u32 samples)
{
	u64 need = (u64)TOUCH_BASE + (u64)touch_region_size(iters) * samples;

	return need <= e->mem_end ? NULL : "not enough RAM above 4 MiB for one fresh region per sample";
}

/*
 * The .hidden rows: KVM intercepts RDRAND/RDSEED only when the guest's
 * CPUID hides the feature (vmx_secondary_exec_control ->
 * vmx_adjust_sec_exec_exiting) and injects #UD (kvm_handle_invalid_op); a
 * CPU without the exiting control raises the #UD in the guest (reason 0).
 * The gate observed before the window says which (host: rdrand_exits=).
 */
static const char *needs_rdrand_hidden(const struct probe_env *e, u32 i, u32 s)
{
	(void)i, (void)s;
	return e->f1_ecx & F1_ECX_RDRAND ?
	       "the guest sees RDRAND (row rdrand); KVM intercepts it only when CPUID hides it, e.g. -cpu host,-rdrand" : NULL;
}

static const char *needs_rdseed_hidden(const struct probe_env *e, u32 i, u32 s)
{
	(void)i, (void)s;
	return e->max_basic >= 7 && (e->f7_ebx & F7_EBX_RDSEED) ?
	       "the guest sees RDSEED (row rdseed); KVM intercepts it only when CPUID hides it, e.g. -cpu host,-rdseed" : NULL;
}

/* After CPUID.1:ECX.XSAVE (the row's need): can XCR0 be written back? */
static const char *needs_osxsave(const struct probe_env *e, u32 i, u32 s)
{
	(void)i, (void)s;
	if (!e->osxsave)
		return "CR4.OSXSAVE could not be set";
	return e->xcr0 >> 32 ? "XCR0 has high bits set" : NULL;
}

static u32 arg_scratch(const struct probe_env *e, u32 s, u32 i)
{
	(void)s, (void)i;
	return e->scratch;
}

static u32 arg_apicbase(const struct probe_env *e, u32 s, u32 i)
{
	(void)s, (void)i;
	return (u32)e->apicbase;
}

static u32 arg_xcr0(const struct probe_env *e, u32 s, u32 i)
{
	(void)s, (void)i;
	return (u32)e->xcr0;
}

/* A guest address as a loop argument. The unit tests build this file for a
 * 64-bit host, where these arguments are never used: only the guest's
 * 32-bit addresses must survive the cast. */
#define GUEST_ADDR(p)	((u32)(unsigned long)(p))

static u32 arg_task(const struct probe_env *e, u32 s, u32 i)
{
	(void)e, (void)s, (void)i;
	return task_far_ptr_to_b();
}

/* DR7's reset value: bit 10 reads as 1, no breakpoint enabled. */
static u32 arg_dr7(const struct probe_env *e, u32 s, u32 i)
{
	(void)e, (void)s, (void)i;
	return 0x400;
}

/* The master PIC's IMR: KVM's in-kernel PIC (kvm_pic_init) answers it. */
static u32 arg_pic_imr(const struct probe_env *e, u32 s, u32 i)
{
	(void)e, (void)s, (void)i;
	return 0x21;
}

/* The same port, and the IMR value pic_init() left (all masked): the write
 * changes nothing. */
static u32 arg_pic_imr_same(const struct probe_env *e, u32 s, u32 i)
{
	return arg_pic_imr(e, s, i) | (u32)PIC_IMR_ALL_MASKED << 16;
}

/* A zeroed INVPCID descriptor: reserved bits must be 0 for every type. */
static u32 arg_invpcid_desc(const struct probe_env *e, u32 s, u32 i)
{
	static const u64 desc[2] __attribute__((aligned(16)));

	(void)e, (void)s, (void)i;
	return GUEST_ADDR(desc);
}

static u32 arg_string_io(const struct probe_env *e, u32 s, u32 i)
{
	static struct string_io io;

	(void)s, (void)i;
	io.buf = e->scratch;
	io.count = STRING_IO_COUNT;
	return GUEST_ADDR(&io);
}

static u32 arg_sysenter_cs(const struct probe_env *e, u32 s, u32 i)
{
	(void)e, (void)s, (void)i;
	return MSR_IA32_SYSENTER_CS;
}

static u32 arg_ioapic_win(const struct probe_env *e, u32 s, u32 i)
{
	(void)e, (void)s, (void)i;
	return IOAPIC_BASE + IOAPIC_IOWIN;
}

static u32 arg_ioapic_sel(const struct probe_env *e, u32 s, u32 i)
{
	static const struct mmio_write w = { IOAPIC_BASE + IOAPIC_IOREGSEL, IOAPIC_REG_VER };

	(void)e, (void)s, (void)i;
	return GUEST_ADDR(&w);
}

static u32 arg_hpet_id(const struct probe_env *e, u32 s, u32 i)
{
	(void)e, (void)s, (void)i;
	return HPET_BASE + HPET_ID;
}

static u32 arg_hpet_write(const struct probe_env *e, u32 s, u32 i)
{
	static const struct mmio_write w = { HPET_BASE + HPET_ID, 0 };

	(void)e, (void)s, (void)i;
	return GUEST_ADDR(&w);
}

static u32 arg_fresh(const struct probe_env *e, u32 sample, u32 iters)
{
	(void)e;
	return TOUCH_BASE + sample * touch_region_size(iters);
}

u32 touch_region_size(u32 iters)
{
	u64 bytes = (u64)iters * 4096;
	u64 two_mb = 2u << 20;

	bytes = (bytes + two_mb - 1) & ~(two_mb - 1);
	return bytes > 0xffffffffu ? 0xffffffffu : (u32)bytes;
}

/* One expectation in every paging mode, or one per mode (EPT, shadow,
 * unknown), in the order of enum paging_mode. */
#define X(k, n_)		{ .kind = EXPECT_##k, .n = n_ }
#define ALL(k, n_)		.expect = { X(k, n_), X(k, n_), X(k, n_) }
#define BY_PAGING(e, s, u)	.expect = { e, s, u }
/* One per APIC mode: flexpriority, APICv, emulated, unknown (enum apic_mode). */
#define BY_APIC(f, a, n, u)	.axis = BY_APIC_MODE, .expect = { f, a, n, u }
#define APIC_ROW		.cannot_run = apic_cannot_run, .arg = apic_arg_base

#define NEEDS(w, m, text)	.needs = { .word = CPUID_##w, .mask = m, .why = text }
/* Exits that depend on the paging mode: with EPT, with shadow paging. */
#define EPT_ONLY(k, n_)		BY_PAGING(X(k, n_), X(NONE, 0), X(UNDECIDED, 0))
#define SHADOW_ONLY(k, n_)	BY_PAGING(X(NONE, 0), X(k, n_), X(UNDECIDED, 0))
/* A VMX instruction: one exit, then the #UD KVM injects. */
#define VMX(name)	ALL(EXACT, 1), LOOP(name), .ok_vectors = V(UD)
#define UMIP_ON .needs = { .word = CPUID_7_ECX, .mask = F7_ECX_UMIP, \
	.why = "CPUID.7:ECX.UMIP=0: KVM neither has nor emulates UMIP" }, \
	.enter = umip_on, .leave = umip_off, .gate = GATE_UMIP

/* The APIC rows' CPUID needs (the xAPIC itself: apic_cannot_run). */
#define TSC_DEADLINE_NEED	NEEDS(1_ECX, F1_ECX_TSC_DEADLINE, "CPUID.1:ECX.TSC_DEADLINE=0")
#define X2APIC_NEED		NEEDS(1_ECX, F1_ECX_X2APIC, "CPUID.1:ECX.x2APIC=0")

#define LOOP(name) .loop = loop_##name, .insn_at = insn_##name, .insn_end = insn_##name##_end

const struct scenario scenarios[] = {
	{ .id = "ud2", .reason = 0, .insn = "ud2", ALL(EXACT, 1),
	  LOOP(ud2), .ok_vectors = V(UD) },
	{ .id = "int3", .reason = 0, .insn = "int3", ALL(NONE, 0),
	  LOOP(int3), .ok_vectors = V(BP) },
	{ .id = "apic.irqwin", .reason = 7, .insn = "self-IPI with IF=0; sti;nop",
	  BY_APIC(X(EXACT, 1), X(NONE, 0), X(EXACT, 1), X(UNDECIDED, 0)),
	  LOOP(irqwin), APIC_ROW },
	{ .id = "apic.nmiwin", .reason = 8, .insn = "NMI to self; the NMI handler sends one more",
	  ALL(EXACT, 1), LOOP(nmiwin), APIC_ROW,
	  .enter = apic_nmi_enter, .leave = apic_nmi_leave },
	{ .id = "task.jmp", .reason = 9, .insn = "jmp far to a TSS (there and back)",
	  ALL(EXACT, 2), LOOP(taskjmp), .arg = arg_task,
	  .enter = task_enter, .leave = task_leave },
	{ .id = "cpuid", .reason = 10, .insn = "cpuid(0)", ALL(EXACT, 1),
	  LOOP(cpuid) },
	{ .id = "hlt", .reason = 12, .insn = "sti;hlt (PIT wake-up)", ALL(EXACT, 1),
	  LOOP(hlt), .cannot_run = needs_timer, .enter = timer_start, .leave = timer_stop,
	  .gate = GATE_HLT },
	{ .id = "invd", .reason = 13, .insn = "invd", ALL(EXACT, 1),
	  LOOP(invd) },
	{ .id = "invlpg", .reason = 14, .insn = "invlpg [mem]", SHADOW_ONLY(EXACT, 1),
	  LOOP(invlpg), .arg = arg_scratch },
	{ .id = "rdpmc", .reason = 15, .insn = "rdpmc(0)", ALL(EXACT, 1),
	  LOOP(rdpmc), .ok_vectors = V(GP) },
	{ .id = "rdtsc", .reason = 16, .insn = "rdtsc", ALL(NONE, 0),
	  LOOP(rdtsc) },
	{ .id = "vmcall", .reason = 18, .insn = "vmcall(0x7fff0000)", ALL(EXACT, 1),
	  LOOP(vmcall) },
	{ .id = "vmx.vmclear", .reason = 19, .insn = "vmclear [mem]", VMX(vmclear), .arg = arg_scratch },
	{ .id = "vmx.vmlaunch", .reason = 20, .insn = "vmlaunch", VMX(vmlaunch) },
	{ .id = "vmx.vmptrld", .reason = 21, .insn = "vmptrld [mem]", VMX(vmptrld), .arg = arg_scratch },
	{ .id = "vmx.vmptrst", .reason = 22, .insn = "vmptrst [mem]", VMX(vmptrst), .arg = arg_scratch },
	{ .id = "vmx.vmread", .reason = 23, .insn = "vmread ebx,eax", VMX(vmread) },
	{ .id = "vmx.vmresume", .reason = 24, .insn = "vmresume", VMX(vmresume) },
	{ .id = "vmx.vmwrite", .reason = 25, .insn = "vmwrite eax,ebx", VMX(vmwrite) },
	{ .id = "vmx.vmxoff", .reason = 26, .insn = "vmxoff", VMX(vmxoff) },
	{ .id = "vmx.vmxon", .reason = 27, .insn = "vmxon [mem]", VMX(vmxon), .arg = arg_scratch },
	{ .id = "cr.cr0", .reason = 28, .insn = "mov cr0 (flip MP, twice)", ALL(EXACT, 2),
	  LOOP(cr0) },
	{ .id = "cr.cr4", .reason = 28, .insn = "mov cr4 (flip MCE, twice)", ALL(EXACT, 2),
	  LOOP(cr4), NEEDS(1_EDX, F1_EDX_MCE, "CPUID.1:EDX.MCE=0, CR4.MCE is reserved") },
	{ .id = "cr.cr3read", .reason = 28, .insn = "mov eax,cr3", SHADOW_ONLY(EXACT, 1),
	  LOOP(cr3read) },
	{ .id = "cr.lmsw", .reason = 28, .insn = "lmsw (flip MP, twice)", ALL(EXACT, 2),
	  LOOP(lmsw) },
	{ .id = "cr.clts", .reason = 28, .insn = "clts (after setting CR0.TS)", ALL(NONE, 0),
	  LOOP(clts) },
	{ .id = "dr.dr7read", .reason = 29, .insn = "mov eax,dr7", ALL(ATLEAST, 1),
	  LOOP(dr7read) },
	{ .id = "dr.dr7write", .reason = 29, .insn = "mov dr7,0x400", ALL(ATLEAST, 1),
	  LOOP(dr7write), .arg = arg_dr7 },
	{ .id = "io.out", .reason = 30, .insn = "out 0x80,al", ALL(EXACT, 1),
	  LOOP(ioout) },
	{ .id = "io.in", .reason = 30, .insn = "in al,0x80", ALL(EXACT, 1),
	  LOOP(ioin) },
	{ .id = "io.in-kernel", .reason = 30, .insn = "in al,0x21 (in-kernel PIC)",
	  ALL(EXACT, 1), LOOP(ioinkernel), .arg = arg_pic_imr },
	{ .id = "io.out-kernel", .reason = 30, .insn = "out 0x21,al (in-kernel PIC, same IMR)",
	  ALL(EXACT, 1), LOOP(iooutkernel), .arg = arg_pic_imr_same },
	{ .id = "io.outsb", .reason = 30, .insn = "rep outsb (4 bytes to 0x80)",
	  ALL(EXACT, STRING_IO_COUNT + 1), LOOP(outsb), .arg = arg_string_io },
	{ .id = "io.insb", .reason = 30, .insn = "rep insb (4 bytes from 0x80)",
	  ALL(EXACT, 2), LOOP(insb), .arg = arg_string_io },
	{ .id = "msr.rdmsr", .reason = 31, .insn = "rdmsr(IA32_APIC_BASE)", ALL(EXACT, 1),
	  LOOP(rdmsr) },
	{ .id = "msr.rdmsr-pass", .reason = 31, .insn = "rdmsr(IA32_SYSENTER_CS)",
	  ALL(NONE, 0), LOOP(rdmsrpass), .arg = arg_sysenter_cs },
	{ .id = "msr.wrmsr", .reason = 32, .insn = "wrmsr(IA32_APIC_BASE, same value)",
	  ALL(EXACT, 1), LOOP(wrmsr), .cannot_run = needs_low_apicbase,
	  .arg = arg_apicbase },
	{ .id = "msr.wrmsr-pass", .reason = 32, .insn = "wrmsr(IA32_SYSENTER_CS, same value)",
	  ALL(NONE, 0), LOOP(wrmsrpass), .arg = arg_sysenter_cs },
	{ .id = "apic.deadline", .reason = 32, .insn = "wrmsr(IA32_TSC_DEADLINE, tsc+100000); sti; spin",
	  ALL(EXACT, 1), LOOP(tscdl), .cannot_run = apic_cannot_run, TSC_DEADLINE_NEED,
	  .arg = apic_arg_base, .enter = apic_deadline_enter, .leave = apic_deadline_leave },
	{ .id = "apic.x2ipi", .reason = 32, .insn = "x2APIC: wrmsr(ICR, fixed IPI to self) (and its EOI)",
	  BY_APIC(X(EXACT, 2), X(ATMOST, 0), X(EXACT, 2), X(UNDECIDED, 0)),
	  LOOP(x2ipi), .cannot_run = apic_x2_cannot_run, X2APIC_NEED,
	  .enter = apic_x2_enter, .leave = apic_x2_leave },
	{ .id = "mwait", .reason = 36, .insn = "mwait(0,0)", ALL(EXACT, 1),
	  LOOP(mwait), .cannot_run = needs_kvm_mwait_nop, .gate = GATE_MWAIT },
	{ .id = "monitor", .reason = 39, .insn = "monitor [mem]", ALL(EXACT, 1),
	  LOOP(monitor), .arg = arg_scratch, .gate = GATE_MWAIT },
	{ .id = "pause", .reason = 40, .insn = "pause", ALL(ATMOST, 0),
	  LOOP(pause), .gate = GATE_PAUSE },
	{ .id = "apic.tpr", .reason = 43, .insn = "mov [TPR],0 below a pending self-IPI",
	  BY_APIC(X(EXACT, 1), X(NONE, 0), X(NONE, 0), X(UNDECIDED, 0)),
	  LOOP(tpr), APIC_ROW },
	{ .id = "apic.x2tpr", .reason = 43, .insn = "x2APIC: wrmsr(TPR, 0) below a pending self-IPI",
	  BY_APIC(X(EXACT, 1), X(NONE, 0), X(EXACT, 1), X(UNDECIDED, 0)),
	  LOOP(x2tpr), .cannot_run = apic_x2_cannot_run, X2APIC_NEED,
	  .enter = apic_x2_enter, .leave = apic_x2_leave },
	{ .id = "apic.read", .reason = 44, .insn = "mov eax,[APIC version]",
	  BY_APIC(X(EXACT, 1), X(NONE, 0), X(NONE, 0), X(UNDECIDED, 0)),
	  LOOP(apicread), APIC_ROW },
	{ .id = "apic.eoiexit", .reason = 45, .insn = "EOI of an I/O APIC-claimed self-IPI",
	  BY_APIC(X(NONE, 0), X(EXACT, 1), X(NONE, 0), X(UNDECIDED, 0)),
	  LOOP(eoiexit), .cannot_run = apic_apicv_cannot_run, .arg = apic_arg_base,
	  .enter = apic_eoi_exit_enter, .leave = apic_eoi_exit_leave },
	{ .id = "sgdt", .reason = 46, .insn = "sgdt [mem]", ALL(NONE, 0),
	  LOOP(sgdt), .arg = arg_scratch },
	{ .id = "desc.sgdt-umip", .reason = 46, .insn = "sgdt [mem] (CR4.UMIP=1)",
	  ALL(EXACT, 1), LOOP(sgdt), .arg = arg_scratch, UMIP_ON },
	{ .id = "desc.sidt-umip", .reason = 46, .insn = "sidt [mem] (CR4.UMIP=1)",
	  ALL(EXACT, 1), LOOP(sidt), .arg = arg_scratch, UMIP_ON },
	{ .id = "desc.sldt-umip", .reason = 47, .insn = "sldt [mem] (CR4.UMIP=1)",
	  ALL(EXACT, 1), LOOP(sldt), .arg = arg_scratch, UMIP_ON },
	{ .id = "desc.str-umip", .reason = 47, .insn = "str [mem] (CR4.UMIP=1)",
	  ALL(EXACT, 1), LOOP(str), .arg = arg_scratch, UMIP_ON },
	{ .id = "ept.touch", .reason = 48, .insn = "mov [fresh page],eax",
	  BY_PAGING(X(ATMOST, 0), X(NONE, 0), X(ATMOST, 0)),
	  LOOP(touch), .cannot_run = needs_fresh_ram, .arg = arg_fresh },
	{ .id = "apic.mmioread", .reason = 48, .insn = "mov eax,[APIC version] (emulated)",
	  BY_APIC(X(NONE, 0), X(NONE, 0), X(ATLEAST, 0), X(UNDECIDED, 0)),
	  LOOP(apicread), .cannot_run = apic_ept_cannot_run, .arg = apic_arg_base },
	{ .id = "apic.mmiowrite", .reason = 48, .insn = "mov [APIC ESR],0 (emulated)",
	  BY_APIC(X(NONE, 0), X(NONE, 0), X(EXACT, 1), X(UNDECIDED, 0)),
	  LOOP(apicwrite), .cannot_run = apic_ept_cannot_run, .arg = apic_arg_base },
	{ .id = "mmio.kernel-read", .reason = 49, .insn = "mov eax,[IOAPIC IOWIN] (in-kernel)",
	  EPT_ONLY(EXACT, 1), LOOP(mmioread), .arg = arg_ioapic_win,
	  .enter = ioapic_enter, .leave = ioapic_leave },
	{ .id = "mmio.kernel-write", .reason = 49, .insn = "mov [IOAPIC IOREGSEL],1 (in-kernel)",
	  EPT_ONLY(EXACT, 1), LOOP(mmiowrite), .arg = arg_ioapic_sel,
	  .enter = ioapic_enter, .leave = ioapic_leave },
	{ .id = "mmio.user-read", .reason = 49, .insn = "mov eax,[HPET ID] (QEMU)",
	  EPT_ONLY(EXACT, 1), LOOP(mmioread), .arg = arg_hpet_id,
	  .enter = hpet_enter, .leave = hpet_leave },
	{ .id = "mmio.user-write", .reason = 49, .insn = "mov [HPET ID],0 (QEMU, read-only)",
	  EPT_ONLY(EXACT, 1), LOOP(mmiowrite), .arg = arg_hpet_write,
	  .enter = hpet_enter, .leave = hpet_leave },
	{ .id = "vmx.invept", .reason = 50, .insn = "invept eax,[mem]", VMX(invept), .arg = arg_scratch },
	{ .id = "rdtscp", .reason = 51, .insn = "rdtscp", ALL(NONE, 0),
	  LOOP(rdtscp), NEEDS(81_EDX, F81_EDX_RDTSCP, "CPUID.80000001H:EDX.RDTSCP=0") },
	{ .id = "apic.preempt", .reason = 52, .insn = "TSC-deadline expiry while spinning",
	  ALL(EXACT, 1), LOOP(tscdl), .cannot_run = apic_preempt_cannot_run, TSC_DEADLINE_NEED,
	  .arg = apic_arg_base, .enter = apic_deadline_enter, .leave = apic_deadline_leave },
	{ .id = "vmx.invvpid", .reason = 53, .insn = "invvpid eax,[mem]", VMX(invvpid), .arg = arg_scratch },
	{ .id = "wbinvd", .reason = 54, .insn = "wbinvd", ALL(EXACT, 1),
	  LOOP(wbinvd) },
	{ .id = "xsetbv", .reason = 55, .insn = "xsetbv(XCR0, same value)", ALL(EXACT, 1),
	  LOOP(xsetbv), NEEDS(1_ECX, F1_ECX_XSAVE, "CPUID.1:ECX.XSAVE=0"),
	  .cannot_run = needs_osxsave, .arg = arg_xcr0 },
	{ .id = "apic.apicwrite", .reason = 56, .insn = "mov [APIC ESR],0",
	  BY_APIC(X(NONE, 0), X(EXACT, 1), X(NONE, 0), X(UNDECIDED, 0)),
	  LOOP(apicwrite), .cannot_run = apic_apicv_cannot_run, .arg = apic_arg_base },
	{ .id = "rdrand", .reason = 57, .insn = "rdrand eax", ALL(NONE, 0),
	  LOOP(rdrand), NEEDS(1_ECX, F1_ECX_RDRAND, "CPUID.1:ECX.RDRAND=0") },
	{ .id = "rdrand.hidden", .reason = 57, .insn = "rdrand eax (CPUID hides RDRAND)",
	  ALL(EXACT, 1), LOOP(rdrand), .ok_vectors = V(UD),
	  .cannot_run = needs_rdrand_hidden, .gate = GATE_RDRAND },
	{ .id = "invpcid", .reason = 58, .insn = "invpcid(2: all contexts) [mem]",
	  SHADOW_ONLY(EXACT, 1), LOOP(invpcid), .arg = arg_invpcid_desc,
	  NEEDS(7_EBX, F7_EBX_INVPCID, "CPUID.7:EBX.INVPCID=0") },
	{ .id = "vmx.vmfunc", .reason = 59, .insn = "vmfunc(0)", ALL(ATMOST, 0),
	  LOOP(vmfunc), .ok_vectors = V(UD) },
	{ .id = "rdseed", .reason = 61, .insn = "rdseed eax", ALL(NONE, 0),
	  LOOP(rdseed), NEEDS(7_EBX, F7_EBX_RDSEED, "CPUID.7:EBX.RDSEED=0") },
	{ .id = "rdseed.hidden", .reason = 61, .insn = "rdseed eax (CPUID hides RDSEED)",
	  ALL(EXACT, 1), LOOP(rdseed), .ok_vectors = V(UD),
	  .cannot_run = needs_rdseed_hidden, .gate = GATE_RDSEED },
};
const u32 scenario_count = ARRAY_SIZE(scenarios);

u32 cpuid_word_value(const struct probe_env *e, enum cpuid_word w)
{
	switch (w) {
	case CPUID_1_ECX: return e->f1_ecx;
	case CPUID_1_EDX: return e->f1_edx;
	case CPUID_7_EBX: return e->max_basic >= 7 ? e->f7_ebx : 0;
	case CPUID_7_ECX: return e->max_basic >= 7 ? e->f7_ecx : 0;
	case CPUID_81_EDX: return e->f81_edx;
	default: return 0;
	}
}

const char *scenario_cannot_run(const struct scenario *s, const struct probe_env *e,
				u32 iters, u32 samples)
{
	if (s->needs.word != CPUID_NONE && !(cpuid_word_value(e, s->needs.word) & s->needs.mask))
		return s->needs.why;
	return s->cannot_run ? s->cannot_run(e, iters, samples) : NULL;
}

u32 axis_columns(enum mode_axis a)
{
	return a == BY_APIC_MODE ? APIC_MODES : PAGING_MODES;
}

u32 axis_unknown(enum mode_axis a)
{
	return a == BY_APIC_MODE ? APIC_UNKNOWN : PAGING_UNKNOWN;
}

const char *axis_noun(enum mode_axis a)
{
	return a == BY_APIC_MODE ? "APIC virtualization" : "paging";
}

const char *axis_column_text(enum mode_axis a, u32 column)
{
	static const char *const paging[PAGING_MODES] = {
		"EPT", "shadow paging", "an unknown paging mode" };
	static const char *const apic[APIC_MODES] = {
		"flexpriority", "APICv", "emulated xAPIC accesses", "an unknown APIC mode" };

	if (column >= axis_columns(a))
		return "-";
	return a == BY_APIC_MODE ? apic[column] : paging[column];
}

const struct expect *scenario_expect(const struct scenario *s, u32 m)
{
	return &s->expect[m < axis_columns(s->axis) ? m : 0];
}

u32 scenario_mode(const struct scenario *s, const struct probe_env *e)
{
	return s->axis == BY_APIC_MODE ? (u32)e->apic : (u32)e->paging;
}

u32 scenario_expected(const struct expect *x, u32 iters)
{
	switch (x->kind) {
	case EXPECT_EXACT:
		return x->n * iters;
	case EXPECT_ATLEAST:
	case EXPECT_ATMOST:
		return x->n ? x->n : iters;
	default:
		return 0;
	}
}

const char *expect_name(enum expect_kind k)
{
	switch (k) {
	case EXPECT_EXACT: return "exact";
	case EXPECT_ATLEAST: return "atleast";
	case EXPECT_ATMOST: return "atmost";
	case EXPECT_UNDECIDED: return "undecided";
	default: return "none";
	}
}

enum paging_mode paging_decide(u32 ept_violations, u32 exceptions, u32 pages)
{
	/* More exits than pages touched: something else ran, trust neither. */
	if (ept_violations >= 1 && ept_violations <= pages && exceptions == 0)
		return PAGING_EPT;
	if (exceptions >= 1 && exceptions <= pages && ept_violations == 0)
		return PAGING_SHADOW;
	return PAGING_UNKNOWN;
}

const char *paging_name(enum paging_mode m)
{
	switch (m) {
	case PAGING_EPT: return "ept";
	case PAGING_SHADOW: return "shadow";
	case PAGING_UNKNOWN: return "unknown";
	default: return "-";
	}
}
