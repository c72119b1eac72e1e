/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two hardware tasks for the task-switch scenario: the probe's own (A) and
 * a tiny one (B) that only jumps back. task_enter() installs a GDT with
 * both TSS descriptors and loads TR with A; task_leave() puts the boot GDT
 * back and clears the CR0.TS that every task switch sets.
 */
#ifndef PROBE_TASK_H
#define PROBE_TASK_H

#include "types.h"

void task_enter(void);
void task_leave(void);
/* The far pointer (offset, selector) a JMP through which switches to B. */
u32 task_far_ptr_to_b(void);

#endif
