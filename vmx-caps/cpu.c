// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-caps: reading the capability MSRs of this CPU. CPUID decides
 * whether there is VMX to ask about at all; the msr driver's device does
 * the reads.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sources.h"

#define CPUID1_ECX_VMX		(1u << 5)
#define CPUID1_ECX_HYPERVISOR	(1u << 31)

int vc_check_vmx(char *err, size_t len)
{
	unsigned int eax, ebx, ecx, edx, vendor[4] = { 0 };

	if (!__get_cpuid(0, &eax, &vendor[0], &vendor[2], &vendor[1]) ||
	    !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
		snprintf(err, len, "CPUID leaf 1 is not available on this CPU");
		return VC_EXIT_NO_VMX;
	}
	if (ecx & CPUID1_ECX_VMX)
		return VC_EXIT_OK;
	/* Say which of the usual causes applies. */
	snprintf(err, len,
		 "this CPU does not report VMX (CPUID.1:ECX.VMX[bit 5] = 0, vendor %.12s)%s",
		 (const char *)vendor,
		 strncmp((const char *)vendor, "GenuineIntel", 12) ? ": not an Intel CPU" :
		 (ecx & CPUID1_ECX_HYPERVISOR) ?
		 ": we run under a hypervisor (CPUID.1:ECX[31] = 1) that does not expose VMX" :
		 ": VMX is not implemented");
	return VC_EXIT_NO_VMX;
}

static int modprobe_msr(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execlp("modprobe", "modprobe", "msr", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int vc_read_msr_dev(const char *path, int load_driver, struct vmx_msrs *m,
		    char *err, size_t len)
{
	unsigned int i;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 && (errno == ENOENT || errno == ENXIO || errno == ENODEV) &&
	    load_driver && geteuid() == 0) {
		/* The msr driver is a module on most distributions. */
		modprobe_msr();
		fd = open(path, O_RDONLY);
	}
	if (fd < 0) {
		int e = errno;

		if (e == EACCES || e == EPERM) {
			snprintf(err, len, "%s: %s: reading MSRs needs root (CAP_SYS_RAWIO)",
				 path, strerror(e));
			return VC_EXIT_NOT_ROOT;
		}
		snprintf(err, len, "%s: %s: the msr driver is not available%s", path,
			 strerror(e), load_driver ?
			 (geteuid() == 0 ? " (modprobe msr did not help)" :
			  " (not root, so modprobe msr was not tried)") : "");
		return VC_EXIT_NO_MSR;
	}

	m->present = 0;
	for (i = 0; i < VMX_MSR_COUNT; i++) {
		uint64_t v;
		ssize_t n = pread(fd, &v, sizeof(v), VMX_MSR_FIRST + i);

		if (n == (ssize_t)sizeof(v)) {
			m->value[i] = v;
			m->present |= 1u << i;
			continue;
		}
		m->value[i] = 0;
		if (n < 0 && errno == EIO)
			continue;	/* #GP: the CPU has no such MSR */
		snprintf(err, len, "%s: reading MSR 0x%x: %s", path, VMX_MSR_FIRST + i,
			 n < 0 ? strerror(errno) : "short read");
		close(fd);
		return n < 0 && (errno == EACCES || errno == EPERM) ?
		       VC_EXIT_NOT_ROOT : VC_EXIT_NO_MSR;
	}
	close(fd);
	return VC_EXIT_OK;
}
