// SPDX-License-Identifier: GPL-2.0
/*
 * l1-shutdown: end the Bochs run from inside L1 by writing "Shutdown" to
 * Bochs' shutdown port 0x8900 (our minimal L1 kernel has no ACPI, so
 * `poweroff -f` would leave Bochs running). busybox cannot do port I/O,
 * hence this helper, built with `gcc -static`.
 */
#include <stdio.h>
#include <sys/io.h>

int main(void)
{
	const char *s = "Shutdown";

	if (ioperm(0x8900, 1, 1)) {
		perror("l1-shutdown: ioperm(0x8900)");
		return 1;
	}
	while (*s)
		outb((unsigned char)*s++, 0x8900);
	/* Still here: not Bochs (or its shutdown port is disabled). */
	fprintf(stderr, "l1-shutdown: port 0x8900 did not stop the machine\n");
	return 1;
}
