// SPDX-License-Identifier: GPL-2.0
/* single_open() files: show() runs at read time, into a growing buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/seq_file.h>

int shim_single_open_fail;
int shim_seq_files_open;

int seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(m->buf + m->count, m->size - m->count, fmt, ap);
		va_end(ap);
		if (n < 0)
			return n;
		if ((size_t)n < m->size - m->count)
			break;
		m->size = 2 * m->size + (size_t)n + 1;
		m->buf = realloc(m->buf, m->size);
		if (!m->buf)
			abort();
	}
	m->count += (size_t)n;
	return 0;
}

int seq_puts(struct seq_file *m, const char *s)
{
	return seq_printf(m, "%s", s);
}

int single_open(struct file *file, int (*show)(struct seq_file *m, void *v),
		void *data)
{
	struct seq_file *m;

	if (shim_single_open_fail) {
		shim_single_open_fail = 0;
		return -ENOMEM;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->show = show;
	m->private = data;
	file->private_data = m;
	__atomic_add_fetch(&shim_seq_files_open, 1, __ATOMIC_RELAXED);
	return 0;
}

ssize_t seq_read(struct file *file, char __user *buf, size_t len,
		 loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	size_t n;
	int r;

	if (*ppos == 0) {
		m->size = m->size ? m->size : 64;
		m->buf = m->buf ? m->buf : malloc(m->size);
		if (!m->buf)
			return -ENOMEM;
		m->count = 0;
		m->buf[0] = '\0';
		r = m->show(m, NULL);
		if (r)
			return r;
	}
	if ((size_t)*ppos >= m->count)
		return 0;
	n = m->count - (size_t)*ppos;
	if (n > len)
		n = len;
	memcpy(buf, m->buf + *ppos, n);
	*ppos += (loff_t)n;
	return (ssize_t)n;
}

loff_t seq_lseek(struct file *file, loff_t off, int whence)
{
	return whence == 0 ? off : -EINVAL;
}

int single_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	free(m->buf);
	free(m);
	file->private_data = NULL;
	__atomic_sub_fetch(&shim_seq_files_open, 1, __ATOMIC_RELAXED);
	return 0;
}
