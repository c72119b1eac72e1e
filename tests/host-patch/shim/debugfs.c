// SPDX-License-Identifier: GPL-2.0
/* A fixed table of debugfs entries; removal frees the slot. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/debugfs.h>

#define SHIM_DEBUGFS_MAX 64

static struct dentry shim_dentries[SHIM_DEBUGFS_MAX];
static pthread_mutex_t shim_debugfs_mutex = PTHREAD_MUTEX_INITIALIZER;
int shim_dput_balance;

static struct dentry *shim_debugfs_new(const char *name, struct dentry *parent,
				       unsigned short mode, void *data,
				       const struct file_operations *fops)
{
	struct dentry *d = NULL;
	int i;

	pthread_mutex_lock(&shim_debugfs_mutex);
	for (i = 0; i < SHIM_DEBUGFS_MAX && !d; i++)
		if (!shim_dentries[i].used)
			d = &shim_dentries[i];
	if (d) {
		memset(d, 0, sizeof(*d));
		snprintf(d->name, sizeof(d->name), "%s", name);
		d->parent = parent;
		d->mode = mode;
		d->fops = fops;
		d->inode.i_private = data;
		d->used = true;
	}
	pthread_mutex_unlock(&shim_debugfs_mutex);
	return d;
}

struct dentry *shim_debugfs_find(struct dentry *parent, const char *name)
{
	struct dentry *d = NULL;
	int i;

	pthread_mutex_lock(&shim_debugfs_mutex);
	for (i = 0; i < SHIM_DEBUGFS_MAX && !d; i++)
		if (shim_dentries[i].used && shim_dentries[i].parent == parent &&
		    !strcmp(shim_dentries[i].name, name))
			d = &shim_dentries[i];
	pthread_mutex_unlock(&shim_debugfs_mutex);
	return d;
}

struct dentry *shim_debugfs_create_dir(const char *name, struct dentry *parent)
{
	return shim_debugfs_new(name, parent, 0755, NULL, NULL);
}

struct dentry *debugfs_lookup(const char *name, struct dentry *parent)
{
	struct dentry *d = shim_debugfs_find(parent, name);

	if (d)
		__atomic_add_fetch(&shim_dput_balance, 1, __ATOMIC_RELAXED);
	return d;
}

struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops)
{
	return shim_debugfs_new(name, parent, mode, data, fops);
}

void debugfs_remove(struct dentry *d)
{
	int i;

	if (!d)
		return;
	pthread_mutex_lock(&shim_debugfs_mutex);
	/* Recursive, like debugfs_remove() of a directory. */
	for (i = 0; i < SHIM_DEBUGFS_MAX; i++)
		if (shim_dentries[i].used && shim_dentries[i].parent == d)
			shim_dentries[i].used = false;
	d->used = false;
	pthread_mutex_unlock(&shim_debugfs_mutex);
}

void dput(struct dentry *d)
{
	if (d)
		__atomic_sub_fetch(&shim_dput_balance, 1, __ATOMIC_RELAXED);
}
