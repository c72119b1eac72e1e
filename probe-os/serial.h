/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The log sink: COM1 (16550, polled, 115200 8N1), written as the records
 * are made. The probe writes only between samples, never inside one, so
 * the UART's I/O exits are in no scenario's figures; what they add to the
 * sweep's IO_INSTRUCTION count is known exactly, because every IN or OUT
 * to the UART is one I/O exit (KVM's unconditional I/O exiting), and the
 * probe counts them (serial_port_accesses) and subtracts them there.
 */
#ifndef PROBE_SERIAL_H
#define PROBE_SERIAL_H

#include "types.h"

void serial_init(void);
void log_write(const char *s, u32 len);
void serial_drain(void);	/* wait until the UART has sent everything */
/* IN and OUT instructions to the UART so far, serial_init's included. */
u32 serial_port_accesses(void);

#endif
