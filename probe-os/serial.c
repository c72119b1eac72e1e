// SPDX-License-Identifier: GPL-2.0
#include "serial.h"
#include "cpu.h"

#define COM1		0x3f8
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40
#define SPIN_LIMIT	1000000	/* no UART at all must not hang the probe */

#define DEFER_SIZE	(96 * 1024)
static char defer_buf[DEFER_SIZE];
static u32 defer_len;
static int deferring;

void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no UART interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + 4, 0x03);	/* DTR, RTS */
}

static void uart_putc(char c)
{
	u32 spin = SPIN_LIMIT;

	while (!(inb(COM1 + 5) & UART_LSR_THRE) && --spin)
		;
	outb(COM1, (u8)c);
}

void serial_drain(void)
{
	u32 spin = SPIN_LIMIT;

	while (!(inb(COM1 + 5) & UART_LSR_TEMT) && --spin)
		;
}

void log_write(const char *s, u32 len)
{
	u32 i;

	if (deferring) {
		if (defer_len + len <= DEFER_SIZE) {
			for (i = 0; i < len; i++)
				defer_buf[defer_len++] = s[i];
			return;
		}
		/* Full: flush in order and write through from now on (the log
		 * stays complete; only the sweep's I/O count loses stability). */
		log_defer(0);
	}
	for (i = 0; i < len; i++)
		uart_putc(s[i]);
}

void log_defer(int on)
{
	u32 i;

	if (!on) {
		deferring = 0;
		for (i = 0; i < defer_len; i++)
			uart_putc(defer_buf[i]);
		defer_len = 0;
		return;
	}
	deferring = 1;
}
