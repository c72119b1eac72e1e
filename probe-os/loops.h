/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction loops, one per scenario (probe-os/loops.asm):
 *   void loop_NAME(u32 n, u32 arg)   runs the body n times;
 *   insn_NAME .. insn_NAME_end       the instruction under test, so the trap
 *                                    handler can resume right after it.
 * Written in assembly so that each body is exactly the instructions named in
 * the scenario table, whatever the C compiler does.
 */
#ifndef PROBE_LOOPS_H
#define PROBE_LOOPS_H

#include "types.h"

#define PROBE_LOOPS(X) \
	X(cpuid) X(hlt) X(invd) X(invlpg) X(rdpmc) X(rdtsc) X(vmcall) \
	X(cr0) X(cr4) X(cr3read) X(dr7read) X(ioout) X(ioin) X(rdmsr) \
	X(wrmsr) X(mwait) X(monitor) X(pause) X(ud2) X(int3) X(sgdt) \
	X(touch) X(rdtscp) X(wbinvd) X(xsetbv) X(rdrand) X(rdseed) \
	X(vmclear) X(vmlaunch) X(vmptrld) X(vmptrst) X(vmread) X(vmresume) \
	X(vmwrite) X(vmxoff) X(vmxon) X(invept) X(invvpid) X(vmfunc) \
	X(taskjmp) X(lmsw) X(clts) X(dr7write) X(ioinkernel) X(iooutkernel) \
	X(outsb) X(insb) X(rdmsrpass) X(wrmsrpass) X(sidt) X(sldt) X(str) \
	X(mmioread) X(mmiowrite) X(invpcid)

#define DECLARE_LOOP(name)					\
	void loop_##name(u32 n, u32 arg);			\
	extern const char insn_##name[], insn_##name##_end[];
PROBE_LOOPS(DECLARE_LOOP)
#undef DECLARE_LOOP

/* Task B's code (task.c builds its TSS). */
extern const char task_b_entry[];

#endif
