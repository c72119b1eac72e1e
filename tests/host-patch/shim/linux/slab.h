/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: allocation comes from libc. */
#ifndef SHIM_LINUX_SLAB_H
#define SHIM_LINUX_SLAB_H

#include <stdlib.h>

#endif
