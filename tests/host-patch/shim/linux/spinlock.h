/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: a spinlock is a pthread mutex that remembers its
 * owner. Taking a lock twice, releasing one not held, or
 * lockdep_assert_held() on a lock the thread does not hold aborts the test
 * with a message: those are bugs the kernel's lockdep would report.
 */
#ifndef SHIM_LINUX_SPINLOCK_H
#define SHIM_LINUX_SPINLOCK_H

#include <pthread.h>

typedef struct {
	pthread_mutex_t mutex;
	pthread_t owner;
	int held;	/* once-accessed: another thread may look */
} spinlock_t;

#define DEFINE_SPINLOCK(name) \
	spinlock_t name = { PTHREAD_MUTEX_INITIALIZER, 0, 0 }

void spin_lock_init(spinlock_t *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void shim_lockdep_assert_held(spinlock_t *lock, const char *what);
/*
 * Called right after every spin_lock(): lets a test run a vCPU's lockless
 * exit path at an exact point inside a reader's or a resetter's critical
 * section, as another CPU could.
 */
extern void (*shim_spin_lock_hook)(spinlock_t *lock);

#define lockdep_assert_held(lock) shim_lockdep_assert_held(lock, #lock)

#endif
