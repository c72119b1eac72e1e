/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the few kernel APIs exit_stats.c uses, so the test
 * compiles the kernel file as-is. Kept minimal and faithful where behaviour
 * matters: READ_ONCE/WRITE_ONCE are single volatile accesses,
 * array_index_nospec() is the kernel's generic mask, per-CPU data is one
 * slot per simulated CPU, and rdtsc() reads a per-thread fake clock.
 */
#ifndef SHIM_H
#define SHIM_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef long long s64;

#define __read_mostly
#define __user
#define __percpu

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))

#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))

/* include/linux/nospec.h, generic array_index_mask_nospec() */
static inline unsigned long array_index_mask_nospec(unsigned long index,
						    unsigned long size)
{
	return ~(long)(index | (size - 1UL - index)) >> (sizeof(long) * 8 - 1);
}

#define array_index_nospec(index, size)					\
({									\
	__typeof__(index) _i = (index);					\
	__typeof__(size) _s = (size);					\
	unsigned long _mask = array_index_mask_nospec(_i, _s);		\
	(__typeof__(_i))(_i & _mask);					\
})

#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)

/* Per-CPU data: SHIM_NR_CPUS slots; each test thread plays one CPU. */
#define SHIM_NR_CPUS 8
extern __thread int shim_cpu;
extern int shim_get_cpu_depth[SHIM_NR_CPUS];

#define alloc_percpu(type) ((type *)calloc(SHIM_NR_CPUS, sizeof(type)))
#define free_percpu(p) free(p)
#define per_cpu_ptr(p, cpu) (&(p)[cpu])
#define get_cpu_ptr(p) (shim_get_cpu_depth[shim_cpu]++, &(p)[shim_cpu])
#define put_cpu_ptr(p) ((void)(p), shim_get_cpu_depth[shim_cpu]--)
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < SHIM_NR_CPUS; (cpu)++)

/* The fake TSC of the calling thread. */
extern __thread u64 shim_tsc;
static inline u64 rdtsc(void)
{
	return shim_tsc;
}

/* Module parameters and module identity. */
#define THIS_MODULE NULL
#define module_param(name, type, perm)
#define MODULE_PARM_DESC(name, desc)

/* debugfs / seq_file / VFS, just enough for the show/write handlers. */
struct dentry {
	int unused;
};
struct inode {
	int unused;
};
struct file {
	void *private_data;
};
struct seq_file {
	char buf[65536];
	size_t len;
};
struct file_operations {
	void *owner;
	int (*open)(struct inode *inode, struct file *file);
	ssize_t (*read)(struct file *file, char __user *buf, size_t len,
			loff_t *ppos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t len,
			 loff_t *ppos);
	loff_t (*llseek)(struct file *file, loff_t off, int whence);
	int (*release)(struct inode *inode, struct file *file);
};

int seq_puts(struct seq_file *m, const char *s);
int seq_printf(struct seq_file *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int single_open(struct file *file, int (*show)(struct seq_file *m, void *v),
		void *data);
ssize_t seq_read(struct file *file, char __user *buf, size_t len,
		 loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t off, int whence);
int single_release(struct inode *inode, struct file *file);

#define IS_ERR_OR_NULL(p) ((p) == NULL)
struct dentry *debugfs_lookup(const char *name, struct dentry *parent);
struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops);
void debugfs_remove(struct dentry *d);
void dput(struct dentry *d);

#endif
