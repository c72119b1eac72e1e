// SPDX-License-Identifier: GPL-2.0
/*
 * kstrtobool(), the run-time stand-in for CONFIG_X86_64, and the state of
 * the small inline shims (preemption depth, sequence-count retries, a
 * failing allocation).
 */
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/seqlock.h>
#include <linux/slab.h>

bool shim_config_x86_64 = true;
__thread int shim_preempt_depth;
unsigned long shim_seqcount_retries;
int shim_alloc_fail;

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}
