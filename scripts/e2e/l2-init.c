// SPDX-License-Identifier: GPL-2.0
/*
 * l2-init: /init of the Linux L2 guest's initramfs (make-l2-initramfs).
 * As PID 1 it runs exitstat as soon as userspace starts (the exits of the
 * boot so far), then a fixed workload under `exitstat --` (a file written
 * and read back, a fork/exec loop), prints both as JSON (for the e2e
 * verdict) between "@@l2" marker lines on the console, then one snapshot as
 * the plain table, most frequent reasons first (what a person reads), and
 * powers the VM off.
 *
 *   l2-init                   the sequence (powers off only as PID 1)
 *   l2-init workload DIR N    the workload: 256 KiB file in DIR, N fork/execs
 *   l2-init child             exits 0 (what the fork/exec loop executes)
 *
 * Environment (the kernel hands unknown word=value boot parameters without
 * a dot to init as environment): l2_exit=poweroff (default) or reboot
 * (for a kernel without ACPI power-off, with QEMU's -no-reboot), and for
 * runs outside a VM (tests): L2_EXITSTAT (default /bin/exitstat), L2_DIR
 * (default /tmp) where the workload and the reports go.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Fixed, so that two runs measure the same work. */
#define WORKLOAD_FILE_BYTES	(256 * 1024)
#define WORKLOAD_FORKS_ARG	"16"
#define CHUNK			4096

/* ---- the workload -------------------------------------------------------- */

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

static int write_read_file(const char *dir)
{
	unsigned char buf[CHUNK];
	char path[4096];
	size_t off, i;
	int fd, bad = 0;

	snprintf(path, sizeof(path), "%s/l2-workload.dat", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, "workload: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (off = 0; off < WORKLOAD_FILE_BYTES; off += CHUNK) {
		for (i = 0; i < CHUNK; i++)
			buf[i] = pattern(off + i);
		if (write(fd, buf, CHUNK) != CHUNK) {
			fprintf(stderr, "workload: write %s: %s\n", path, strerror(errno));
			bad = 1;
			break;
		}
	}
	if (fsync(fd) && errno != EINVAL)	/* tmpfs/ramfs: nothing to sync */
		bad = 1;
	close(fd);
	fd = bad ? -1 : open(path, O_RDONLY);
	for (off = 0; fd >= 0 && off < WORKLOAD_FILE_BYTES; off += CHUNK) {
		if (read(fd, buf, CHUNK) != CHUNK) {
			bad = 1;
			break;
		}
		for (i = 0; i < CHUNK; i++)
			bad |= buf[i] != pattern(off + i);
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
	if (bad) {
		fprintf(stderr, "workload: %s did not read back as written\n", path);
		return -1;
	}
	return 0;
}

static int fork_exec_loop(const char *self, int n)
{
	int i, status;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "workload: fork: %s\n", strerror(errno));
			return -1;
		}
		if (pid == 0) {
			execl(self, self, "child", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "workload: %s child failed (status 0x%x)\n", self, status);
			return -1;
		}
	}
	return 0;
}

static int workload(const char *self, const char *dir, const char *count)
{
	char *end;
	long n = strtol(count, &end, 10);

	if (*end || n < 1 || n > 100000) {
		fprintf(stderr, "workload: bad fork count \"%s\"\n", count);
		return 2;
	}
	if (write_read_file(dir) || fork_exec_loop(self, (int)n))
		return 1;
	printf("workload: ok: %d bytes written and read back in %s, %ld fork/exec of %s\n",
	       WORKLOAD_FILE_BYTES, dir, n, self);
	return 0;
}

/* ---- the sequence ------------------------------------------------------ */

/* Runs argv, waits; the shell-style status. */
static int run(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "l2-init: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Copies a report file to stdout between the markers. */
static void print_file(const char *path)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
}

static int step(const char *name, char *const argv[], const char *report)
{
	int rc;

	unlink(report);
	printf("@@l2 %s begin\n", name);
	rc = run(argv);
	print_file(report);
	printf("@@l2 %s end rc=%d\n", name, rc);
	fflush(stdout);
	return rc;
}

/* As PID 1: a console, and the file systems exitstat and the workload use. */
static void become_init(void)
{
	int fd;

	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/tmp", 01777);
	if (fcntl(1, F_GETFD) < 0) {
		/* No /dev/console in the initramfs: make one. */
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	mount("proc", "/proc", "proc", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
}

static int sequence(char *self)
{
	const char *exitstat = getenv("L2_EXITSTAT") ? getenv("L2_EXITSTAT") : "/bin/exitstat";
	const char *dir = getenv("L2_DIR") ? getenv("L2_DIR") : "/tmp";
	const char *how = getenv("l2_exit") ? getenv("l2_exit") : "poweroff";
	char boot_json[4096], work_json[4096], text[4096];
	int boot_rc, work_rc, text_rc, pid1 = getpid() == 1;

	if (pid1)
		become_init();
	snprintf(boot_json, sizeof(boot_json), "%s/l2-boot.json", dir);
	snprintf(work_json, sizeof(work_json), "%s/l2-workload.json", dir);
	snprintf(text, sizeof(text), "%s/l2-text.txt", dir);
	printf("@@l2 begin l2-init=1 exitstat=%s dir=%s pid1=%d\n", exitstat, dir, pid1);
	{
		/* First thing in userspace: the exits of the boot so far. */
		char *boot[] = { (char *)exitstat, "--json", "-o", boot_json, NULL };
		char *work[] = { (char *)exitstat, "--json", "-o", work_json, "--",
				 self, "workload", (char *)dir, WORKLOAD_FORKS_ARG, NULL };
		/* Last, so that its bytes on the console are in no JSON figure. */
		char *table[] = { (char *)exitstat, "--sort=count", "-o", text, NULL };

		boot_rc = step("exitstat-boot", boot, boot_json);
		work_rc = step("exitstat-workload", work, work_json);
		text_rc = step("exitstat-text", table, text);
	}
	printf("@@l2 end boot_rc=%d workload_rc=%d text_rc=%d\n", boot_rc, work_rc, text_rc);
	fflush(stdout);
	if (!pid1) {
		printf("@@l2 %s skipped: not PID 1\n", how);
		return boot_rc || work_rc || text_rc;
	}
	sync();
	reboot(strcmp(how, "reboot") ? RB_POWER_OFF : RB_AUTOBOOT);
	/* Still here: PID 1 must not exit; say why and wait. */
	fprintf(stderr, "l2-init: reboot(%s): %s\n", how, strerror(errno));
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	/* The kernel passes unknown boot words to init as arguments: ignore them. */
	if (getpid() == 1)
		return sequence(argv[0]);
	if (argc == 2 && !strcmp(argv[1], "child"))
		return 0;
	if (argc == 4 && !strcmp(argv[1], "workload"))
		return workload(argv[0], argv[2], argv[3]);
	if (argc != 1) {
		fprintf(stderr, "usage: l2-init | l2-init workload DIR N | l2-init child\n");
		return 2;
	}
	return sequence(argv[0]);
}
