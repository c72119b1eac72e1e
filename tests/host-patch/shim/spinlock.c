// SPDX-License-Identifier: GPL-2.0
/* Spinlocks as checked mutexes: misuse aborts the test with a message. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/spinlock.h>

void (*shim_spin_lock_hook)(spinlock_t *lock);

static void shim_lock_bug(const char *what)
{
	fprintf(stderr, "FAIL: spinlock: %s\n", what);
	abort();
}

/* Only the owner can see itself as the owner: no race on the answer. */
static bool shim_lock_mine(spinlock_t *lock)
{
	return __atomic_load_n(&lock->held, __ATOMIC_ACQUIRE) &&
	       pthread_equal(lock->owner, pthread_self());
}

void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->mutex, NULL);
	lock->held = 0;
}

void spin_lock(spinlock_t *lock)
{
	if (shim_lock_mine(lock))
		shim_lock_bug("spin_lock() of a lock this thread holds (deadlock)");
	pthread_mutex_lock(&lock->mutex);
	lock->owner = pthread_self();
	__atomic_store_n(&lock->held, 1, __ATOMIC_RELEASE);
	if (shim_spin_lock_hook)
		shim_spin_lock_hook(lock);
}

void spin_unlock(spinlock_t *lock)
{
	if (!shim_lock_mine(lock))
		shim_lock_bug("spin_unlock() of a lock this thread does not hold");
	__atomic_store_n(&lock->held, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&lock->mutex);
}

void shim_lockdep_assert_held(spinlock_t *lock, const char *what)
{
	if (!shim_lock_mine(lock)) {
		fprintf(stderr, "FAIL: lockdep: %s not held\n", what);
		abort();
	}
}
