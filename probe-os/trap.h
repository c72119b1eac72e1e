/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions and interrupts. A scenario arms a "try" around its samples:
 *  - a fault (or trap) raised by the scenario's own instruction is counted
 *    and execution resumes right after that instruction, so e.g. every UD2
 *    of a loop raises #UD and the loop goes on;
 *  - any other exception while armed unwinds to the try point (longjmp), so
 *    the scenario ends with that vector as its result;
 *  - an exception outside any try is a probe bug: it is reported as a FAIL
 *    record and the probe ends with result=fail. No triple fault, no hang.
 */
#ifndef PROBE_TRAP_H
#define PROBE_TRAP_H

#include "types.h"

struct trap_frame {
	u32 edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;	/* pushad */
	u32 vector, error;
	u32 eip, cs, eflags;
};

typedef u32 jmpbuf_t[6];
int probe_setjmp(jmpbuf_t buf) __attribute__((returns_twice));
void probe_longjmp(jmpbuf_t buf, int val) __attribute__((noreturn));

struct trap_arm {
	const void *insn, *insn_end;	/* the instruction under test */
	u32 faults;			/* how many times it raised an exception */
	u32 vectors;			/* bit v: vector v was raised */
	jmpbuf_t unwind;
	int armed;
	u32 stray_vector, stray_eip;	/* what unwound the try */
};

extern struct trap_arm *trap_current;
extern volatile u32 timer_ticks;

void trap_init(void);
const char *vector_name(u32 v);

/* Legacy PIC (remapped to 0x20..0x2f, all masked) and PIT channel 0,
 * which ticks at PIT_INPUT_HZ / PIT_DIVISOR. */
#define PIT_INPUT_HZ	1193182u
#define PIT_DIVISOR	597u	/* ~2 kHz, 500 us period */
void pic_init(void);
void timer_start(void);		/* PIT periodic ~2 kHz, IRQ0 unmasked */
void timer_stop(void);		/* IRQ0 masked, PIT stopped */

#endif
