/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's sequence counts, with the same
 * ordering: the writer's increments are release stores around its plain
 * stores, the reader's loads acquire. read_seqcount_begin() waits while the
 * count is odd, as the kernel's does; shim_seqcount_retries counts the
 * reader retries so a test can see that the retry path ran.
 */
#ifndef SHIM_LINUX_SEQLOCK_H
#define SHIM_LINUX_SEQLOCK_H

#include <sched.h>

typedef struct {
	unsigned int sequence;
} seqcount_t;

extern unsigned long shim_seqcount_retries;

static inline void seqcount_init(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, 0, __ATOMIC_RELAXED);
}

static inline void raw_write_seqcount_begin(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void raw_write_seqcount_end(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELEASE);
}

static inline unsigned int read_seqcount_begin(const seqcount_t *s)
{
	unsigned int seq;

	while ((seq = __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE)) & 1)
		sched_yield();
	return seq;
}

static inline int read_seqcount_retry(const seqcount_t *s, unsigned int start)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&s->sequence, __ATOMIC_RELAXED) == start)
		return 0;
	__atomic_fetch_add(&shim_seqcount_retries, 1, __ATOMIC_RELAXED);
	return 1;
}

#endif
