/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: single_open() files. As in the kernel, open only
 * allocates; read runs show() into a buffer (at offset 0) and copies out;
 * release frees. shim_single_open_fail makes the next single_open() fail.
 */
#ifndef SHIM_LINUX_SEQ_FILE_H
#define SHIM_LINUX_SEQ_FILE_H

#include <linux/fs.h>

struct seq_file {
	char *buf;
	size_t size, count;
	int (*show)(struct seq_file *m, void *v);
	void *private;
};

extern int shim_single_open_fail;
extern int shim_seq_files_open;

int seq_puts(struct seq_file *m, const char *s);
int seq_printf(struct seq_file *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int single_open(struct file *file, int (*show)(struct seq_file *m, void *v),
		void *data);
ssize_t seq_read(struct file *file, char __user *buf, size_t len,
		 loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t off, int whence);
int single_release(struct inode *inode, struct file *file);

/* As the kernel's: NAME_open() single_open()s NAME_show() with i_private. */
#define DEFINE_SHOW_ATTRIBUTE(__name)					\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {		\
	.owner		= THIS_MODULE,					\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}

#endif
