// SPDX-License-Identifier: GPL-2.0
/* The modes: detect the host, then one snapshot, a command's delta or intervals. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "detect.h"
#include "exitcodes.h"
#include "exitstat.h"
#include "help.h"
#include "output.h"
#include "snapshot.h"

/* Nobody answers the leaves: one clear line, one distinct exit code. */
static int no_counters(const struct host_info *h)
{
	switch (h->kind) {
	case HOST_NO_HYPERVISOR:
		fprintf(stderr, "exitstat: no hypervisor: %s\n", h->detail);
		return EXITSTAT_NO_HYPERVISOR;
	case HOST_AMD:
		fprintf(stderr, "exitstat: AMD CPU: %s\n", h->detail);
		return EXITSTAT_AMD;
	default:
		fprintf(stderr, "exitstat: the hypervisor does not answer the exitprobe leaves "
			"(not the patched KVM, or kvm_intel.exit_stats_leaves=0): %s\n", h->detail);
		return EXITSTAT_UNPATCHED;
	}
}

static void notes_on_host(const struct host_info *h)
{
	if (h->kind != HOST_ABI2)
		return;
	if (h->abi_version > EXITPROBE_ABI_VERSION)
		fprintf(stderr, "exitstat: note: host ABI version %" PRIu32
			" is newer than this exitstat's (%u); reading it as version %u\n",
			h->abi_version, EXITPROBE_ABI_VERSION, EXITPROBE_ABI_VERSION);
	if (h->host_max_reason != SDM_EXIT_REASON_MAX)
		fprintf(stderr, "exitstat: note: the host knows exit reasons up to %" PRIu32
			", this exitstat up to %d; reasons above %d are not shown\n",
			h->host_max_reason, SDM_EXIT_REASON_MAX, SDM_EXIT_REASON_MAX);
	if (!h->counting)
		fprintf(stderr, "exitstat: warning: counting is off on the host "
			"(kvm_intel.exit_stats=0): the counters do not move\n");
}

static int run_command_mode(struct reader *rd, FILE *out, struct report *rep)
{
	struct snapshot before, after;
	struct stats delta;
	uint64_t t0, t1;

	snapshot_read(rd, rep->host, &before);
	t0 = rd->ops->now_ns();
	rep->command_status = rd->ops->run_command(rep->args->command);
	t1 = rd->ops->now_ns();
	snapshot_read(rd, rep->host, &after);
	stats_delta(&before, &after, &delta);
	rep->elapsed_ns = t1 - t0;
	output_stats(out, rep, &delta);
	return rep->command_status;
}

static void run_interval_mode(struct reader *rd, FILE *out, struct report *rep)
{
	struct snapshot prev, cur;
	struct stats delta;
	uint64_t start;

	snapshot_read(rd, rep->host, &prev);
	start = prev.time_ns;
	for (rep->interval = 1; !rep->args->count || rep->interval <= rep->args->count;
	     rep->interval++) {
		rd->ops->sleep_until_ns(start + rep->interval * rep->args->interval_ns);
		snapshot_read(rd, rep->host, &cur);
		stats_delta(&prev, &cur, &delta);
		rep->elapsed_ns = cur.time_ns - prev.time_ns;
		rep->since_start_ns = cur.time_ns - start;
		output_stats(out, rep, &delta);
		if (ferror(out))
			return;
		prev = cur;
	}
}

int exitstat_main(int argc, char **argv, const struct host_ops *host)
{
	struct reader rd = { .ops = host };
	struct host_info info;
	struct report rep = { 0 };
	struct snapshot snap;
	struct args args;
	char err[256];
	FILE *out = stdout;
	int status = EXITSTAT_OK, e;

	if (args_parse(argc, argv, &args, err, sizeof(err))) {
		fprintf(stderr, "exitstat: %s\nTry \"exitstat --help\".\n", err);
		return EXITSTAT_USAGE;
	}
	if (args.help) {
		help_print(stdout);
		return fflush(stdout) ? EXITSTAT_ERROR : EXITSTAT_OK;
	}
	if (args.version) {
		printf("exitstat %s (exitprobe ABI %u)\n", EXITSTAT_VERSION, EXITPROBE_ABI_VERSION);
		return fflush(stdout) ? EXITSTAT_ERROR : EXITSTAT_OK;
	}

	/* One CPU for every read: a snapshot is not split by a migration. */
	e = host->pin_cpu();
	if (e)
		fprintf(stderr, "exitstat: warning: cannot pin to one CPU (%s); reading anyway\n",
			strerror(e));
	host_detect(&rd, &info);
	if (info.kind != HOST_ABI2 && info.kind != HOST_ABI1)
		return no_counters(&info);
	notes_on_host(&info);

	/* Opened only now: a failed detection leaves an existing file alone. */
	if (args.output && !(out = fopen(args.output, "w"))) {
		fprintf(stderr, "exitstat: cannot write %s: %s\n", args.output, strerror(errno));
		return EXITSTAT_ERROR;
	}
	rep.args = &args;
	rep.host = &info;
	output_begin(out, &rep);
	switch (args.mode) {
	case MODE_COMMAND:
		status = run_command_mode(&rd, out, &rep);
		break;
	case MODE_INTERVAL:
		run_interval_mode(&rd, out, &rep);
		break;
	default:
		snapshot_read(&rd, &info, &snap);
		output_stats(out, &rep, &snap.s);
	}
	if (ferror(out) | (out != stdout ? fclose(out) : fflush(out))) {
		fprintf(stderr, "exitstat: cannot write the report to %s\n",
			args.output ? args.output : "standard output");
		return EXITSTAT_ERROR;
	}
	return status;
}
