/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the VFS objects a debugfs file's handlers see. */
#ifndef SHIM_LINUX_FS_H
#define SHIM_LINUX_FS_H

#include <linux/compiler.h>
#include <linux/types.h>

struct module;

struct inode {
	void *i_private;	/* the data given to debugfs_create_file() */
};

struct file {
	void *private_data;
};

struct file_operations {
	struct module *owner;
	int (*open)(struct inode *inode, struct file *file);
	ssize_t (*read)(struct file *file, char __user *buf, size_t len,
			loff_t *ppos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t len,
			 loff_t *ppos);
	loff_t (*llseek)(struct file *file, loff_t off, int whence);
	int (*release)(struct inode *inode, struct file *file);
};

#endif
