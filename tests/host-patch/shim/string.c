// SPDX-License-Identifier: GPL-2.0
/* sysfs_streq(): what a sysfs write compares against (echo adds '\n'). */
#include <linux/string.h>

bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	return *s1 == '\n' && !s1[1] && !*s2;
}
