/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: a thread is never preempted in the kernel's sense;
 * the depth is kept per thread so a test can check that a preemptible
 * caller disabled preemption around a commit (shim_preempt_depth).
 */
#ifndef SHIM_LINUX_PREEMPT_H
#define SHIM_LINUX_PREEMPT_H

extern __thread int shim_preempt_depth;

#define preempt_disable() (shim_preempt_depth++)
#define preempt_enable() (shim_preempt_depth--)

#endif
