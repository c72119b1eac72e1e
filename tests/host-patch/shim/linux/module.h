/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: no module identity in a test binary. */
#ifndef SHIM_LINUX_MODULE_H
#define SHIM_LINUX_MODULE_H

#include <linux/moduleparam.h>

#define THIS_MODULE ((struct module *)0)

#endif
