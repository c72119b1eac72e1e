// SPDX-License-Identifier: GPL-2.0
/* The real machine: the CPUID instruction, the clock, fork/exec, affinity. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "host.h"

static void linux_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	/* __cpuid_count, not __get_cpuid: our leaves lie above every range the
	 * CPU advertises, and __get_cpuid refuses those. */
	__cpuid_count(leaf, subleaf, r->eax, r->ebx, r->ecx, r->edx);
}

static uint64_t linux_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void linux_sleep_until_ns(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000u),
		.tv_nsec = (long)(deadline % 1000000000u),
	};

	/* Absolute deadlines: intervals do not drift by the time spent reading. */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static cpu_set_t affinity_before_pin;
static int affinity_saved;

static int linux_pin_cpu(void)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return errno;
	if (sched_getaffinity(0, sizeof(affinity_before_pin), &affinity_before_pin) == 0)
		affinity_saved = 1;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) ? errno : 0;
}

int host_linux_run_command(char *const argv[])
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status;
	pid_t pid;

	/* Like system(): a ^C meant for the command must not kill the report. */
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "exitstat: cannot fork: %s\n", strerror(errno));
		status = EXITSTAT_CMD_NOT_FOUND;
		goto out;
	}
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		/* The pin is for exitstat's own reads, not for what it measures. */
		if (affinity_saved)
			sched_setaffinity(0, sizeof(affinity_before_pin), &affinity_before_pin);
		execvp(argv[0], argv);
		fprintf(stderr, "exitstat: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? EXITSTAT_CMD_NOT_FOUND : EXITSTAT_CMD_NOT_EXECUTABLE);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "exitstat: waitpid: %s\n", strerror(errno));
			status = EXITSTAT_CMD_NOT_FOUND;
			goto out;
		}
	}
	if (WIFEXITED(status))
		status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		status = 128 + WTERMSIG(status);
	else
		status = EXITSTAT_CMD_NOT_FOUND;
out:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return status;
}

const struct host_ops host_linux = {
	.cpuid = linux_cpuid,
	.now_ns = linux_now_ns,
	.sleep_until_ns = linux_sleep_until_ns,
	.run_command = host_linux_run_command,
	.pin_cpu = linux_pin_cpu,
};
