/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: a static key is a bool. The tests never flip it
 * directly; they go through the module parameter setter, as an admin would.
 * Reads are once-accesses so vCPU threads see a flip made by another thread.
 */
#ifndef SHIM_LINUX_JUMP_LABEL_H
#define SHIM_LINUX_JUMP_LABEL_H

#include <linux/compiler.h>
#include <linux/types.h>

struct static_key_false {
	bool enabled;
	unsigned int flips;	/* how many times enable/disable changed it */
};

#define DEFINE_STATIC_KEY_FALSE(name) struct static_key_false name = { false, 0 }
#define DECLARE_STATIC_KEY_FALSE(name) extern struct static_key_false name

#define static_key_enabled(key) READ_ONCE((key)->enabled)
#define static_branch_unlikely(key) unlikely(READ_ONCE((key)->enabled))

static inline void shim_static_key_set(struct static_key_false *key, bool on)
{
	if (key->enabled != on)
		key->flips++;
	WRITE_ONCE(key->enabled, on);
}

#define static_branch_enable(key) shim_static_key_set(key, true)
#define static_branch_disable(key) shim_static_key_set(key, false)

#endif
