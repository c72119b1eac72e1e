/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: a debugfs tree of fixed size. Directories are made
 * by the tests (KVM's kvm/ and kvm/<pid>-<fd>/); files by the code under
 * test. shim_debugfs_find() is how a test reaches a file, as a user would
 * by path.
 */
#ifndef SHIM_LINUX_DEBUGFS_H
#define SHIM_LINUX_DEBUGFS_H

#include <linux/fs.h>

struct dentry {
	char name[32];
	struct dentry *parent;
	unsigned short mode;
	const struct file_operations *fops;	/* NULL for a directory */
	struct inode inode;
	bool used;
};

#define IS_ERR_OR_NULL(p) ((p) == NULL)

struct dentry *debugfs_lookup(const char *name, struct dentry *parent);
struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops);
void debugfs_remove(struct dentry *d);
void dput(struct dentry *d);

struct dentry *shim_debugfs_create_dir(const char *name,
				       struct dentry *parent);
struct dentry *shim_debugfs_find(struct dentry *parent, const char *name);
extern int shim_dput_balance;	/* lookups minus dput()s */

#endif
