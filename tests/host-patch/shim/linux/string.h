/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: libc's string functions plus sysfs_streq(). */
#ifndef SHIM_LINUX_STRING_H
#define SHIM_LINUX_STRING_H

#include <string.h>

#include <linux/types.h>

/* Equal, ignoring one trailing newline on either side (sysfs input). */
bool sysfs_streq(const char *s1, const char *s2);

#endif
