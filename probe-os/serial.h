/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The log sink: COM1 (16550, polled, 115200 8N1), or a RAM buffer while
 * "deferred". Every byte sent to the UART is a VM exit (I/O instruction), and
 * how many there are depends on the length of the cycle fields; so between
 * the sweep's baseline and the sweep the log is buffered and written after,
 * which keeps the sweep's I/O and EPT counts identical run to run.
 */
#ifndef PROBE_SERIAL_H
#define PROBE_SERIAL_H

#include "types.h"

void serial_init(void);
void log_write(const char *s, u32 len);
void log_defer(int on);		/* off: flush the buffer to the UART */
void serial_drain(void);	/* wait until the UART has sent everything */

#endif
