/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: no section placement in a test binary. */
#ifndef SHIM_LINUX_CACHE_H
#define SHIM_LINUX_CACHE_H

#define __read_mostly

#endif
