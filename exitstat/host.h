/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What exitstat needs from the machine, behind one table of functions so
 * that the unit tests can put a fake host with state in its place
 * (tests/exitstat/fake-host.c). host-linux.c is the real one.
 */
#ifndef EXITSTAT_HOST_H
#define EXITSTAT_HOST_H

#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

struct host_ops {
	/* Executes CPUID: in a VM, always a VM exit of reason CPUID. */
	void (*cpuid)(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);
	/* Monotonic time in nanoseconds. */
	uint64_t (*now_ns)(void);
	/* Sleeps until now_ns() >= deadline. */
	void (*sleep_until_ns)(uint64_t deadline);
	/*
	 * Runs argv[0] (searched in PATH) with argv, waits for it and returns
	 * a shell-style status: its exit code, 128 + signal when killed,
	 * 127 when it could not be started (message on stderr).
	 */
	int (*run_command)(char *const argv[]);
	/*
	 * Pins the calling thread to the CPU it is on; returns 0 or an errno.
	 * Commands started later get the affinity that was in force before.
	 */
	int (*pin_cpu)(void);
};

/* The real machine (host-linux.c). */
extern const struct host_ops host_linux;

/* The real command runner, for fakes that wrap it. */
int host_linux_run_command(char *const argv[]);

#endif /* EXITSTAT_HOST_H */
