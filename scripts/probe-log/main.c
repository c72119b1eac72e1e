// SPDX-License-Identifier: GPL-2.0
/*
 * probe-log: check, diff, tabulate and plot exitprobe serial logs
 * (docs/serial-log.md). See usage() or docs/probe-log.md.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "parse.h"
#include "report.h"

#define PROBE_LOG_VERSION	"1.0"

extern char **environ;

/* Exit statuses, the same for every command. */
enum {
	EX_OK = 0,		/* pass / same / done */
	EX_FAILED = 1,		/* check: a check failed; diff: logs differ */
	EX_BAD_INPUT = 2,	/* malformed or truncated log, unreadable file, bad usage */
	EX_GNUPLOT = 3,		/* plot: gnuplot missing or failed */
	EX_SKIPPED = 77,	/* check --require-patched: no patched host (kvm-unit-tests' SKIP) */
};

static const char usage_text[] =
"NAME\n"
"    probe-log - check, diff, tabulate and plot exitprobe serial logs\n"
"\n"
"SYNOPSIS\n"
"    probe-log check [--format=text|tap|junit|json] [--require-patched] LOG\n"
"    probe-log diff [--cycles-tolerance=PCT] [--cycles-min=N]\n"
"                   [--ignore=FIELD,...]... [--format=text|json] A B\n"
"    probe-log table [--csv | --json] [--all] [--label=NAME]... LOG...\n"
"    probe-log plot [--label=NAME]... [--data=FILE.tsv] -o FILE.png LOG...\n"
"    probe-log --help | --version\n"
"\n"
"DESCRIPTION\n"
"    Reads the serial log written by probe.elf, format versions 1 and 2\n"
"    (docs/serial-log.md). The log runs from the exitprobe-begin record to the\n"
"    exitprobe-end record; lines before and after it (firmware, boot loader,\n"
"    an L1 console) are ignored, CRLF line ends are accepted. Inside the log\n"
"    every line must be a valid record: an unknown or malformed record, a\n"
"    number beyond 64 bits, a non-printable byte, a sweep name or class that\n"
"    disagrees with common/sdm-exit-reasons.def, a SUMMARY: that disagrees\n"
"    with the check lines, or a missing exitprobe-end makes the log bad input\n"
"    (exit status 2), reported as FILE:LINE: reason. A last line without its\n"
"    newline counts when it is a complete record. LOG may be - for stdin.\n"
"    Options may come before or after the logs; --opt VALUE and --opt=VALUE\n"
"    are the same.\n"
"\n"
"COMMANDS\n"
"    check LOG\n"
"        Validate LOG and print its verdict: patched host or not, and the\n"
"        passed/failed/skipped counts, with every FAIL: line. The verdict is\n"
"        re-derived, not copied: every scenario check is judged again from\n"
"        its record's exits and expect= (and the host: line's counting and\n"
"        paging modes), every sweep check from its record's edx; a check line\n"
"        its record contradicts, or a record without its check line, makes\n"
"        the verdict FAIL (exit status 1) with FILE:LINE: contradiction: why.\n"
"        A log with result=skip (no patched host, so the count checks were\n"
"        skipped and nothing failed) is not a failure: its verdict reads\n"
"        SKIPPED and the exit status is 0, or 77 with --require-patched. A log\n"
"        that stops early after a failed check (the probe's panic path:\n"
"        FAIL:, SUMMARY:, exitprobe-end without the sweep) is a failure, exit\n"
"        status 1.\n"
"\n"
"    diff A B\n"
"        Compare log B with the reference log A record by record and print\n"
"        only what differs, as a table. Counts and every other stable field\n"
"        must match exactly. Fields whose key ends in \"cycles\" match when B\n"
"        is within PCT percent of A or within N cycles of A. Volatile fields\n"
"        are not compared: the abs_* fields, and the count and cycles of\n"
"        class=async sweep records.\n"
"        Check lines are compared by result only. Values are shown whole.\n"
"\n"
"    table LOG...\n"
"        The per-reason sweep table: reason, SDM name, then count and cycles\n"
"        of each LOG as columns; Markdown by default. Only reasons counted at\n"
"        least once in some log are shown unless --all is given.\n"
"\n"
"    plot -o FILE.png LOG...\n"
"        A PNG bar chart through gnuplot: per scenario, the host cycles per\n"
"        exit (top) and the guest round trip per iteration (bottom), one bar\n"
"        colour per log in each scenario's group; a panel switches to a log\n"
"        scale when its values span a factor of 100 or more.\n"
"\n"
"OPTIONS\n"
"    --cycles-tolerance=PCT\n"
"        diff: allowed relative difference of cycle fields, in percent of A\n"
"        (default 50: emulator cycle figures vary run to run; see\n"
"        docs/probe-log.md).\n"
"    --cycles-min=N\n"
"        diff: cycle fields at most N cycles apart always match (default 16:\n"
"        TSC-read jitter on tiny figures). --cycles-tolerance=0\n"
"        --cycles-min=0 demands equal cycles.\n"
"    --format=text|tap|junit|json\n"
"        check: text for people (default), TAP version 13 (as kvm-unit-tests'\n"
"        run_tests.sh -t), JUnit XML or JSON. Each check line is one test\n"
"        case with the record it judges as detail; contradictions are failed\n"
"        cases (and are also said on stderr).\n"
"    --format=text|json\n"
"        diff: the table (default) or JSON.\n"
"    --require-patched\n"
"        check: a log without a patched host (counting=unpatched or none)\n"
"        exits 77 instead of 0, and the machine formats gain a failed case\n"
"        host.patched. For CI jobs that must not pass on a stock runner.\n"
"    --ignore=FIELD,...\n"
"        diff: do not compare FIELD (any record: brand) or RECORD.FIELD\n"
"        (cpu.model, scenario.host_cycles, check.result); repeatable. Names\n"
"        are checked against the log format's fields.\n"
"    --data=FILE.tsv\n"
"        plot: also write the plotted values, one row per scenario.\n"
"    --csv, --json\n"
"        table: CSV (RFC 4180, not measured = empty) or JSON (null).\n"
"    --all\n"
"        table: every sweep record, counted or not.\n"
"    --label=NAME\n"
"        table, plot: the column heading / legend of the next LOG, in order\n"
"        (default: the log's file name without .log).\n"
"    -o FILE, --output=FILE\n"
"        plot: the PNG to write.\n"
"\n"
"EXIT STATUS\n"
"    0   check: passed or skipped; diff: same; table, plot: done\n"
"    1   check: a check failed or the log contradicts itself;\n"
"        diff: the logs differ\n"
"    2   a log is malformed or truncated, a file is unreadable, bad usage\n"
"    3   plot: gnuplot is missing or failed (install: scripts/ensure-deps\n"
"        gnuplot-nox)\n"
"    77  check --require-patched: no patched host, nothing failed (the\n"
"        \"skipped\" status of kvm-unit-tests and automake)\n"
"\n"
"SEE ALSO\n"
"    docs/probe-log.md, docs/serial-log.md, common/sdm-exit-reasons.def\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("probe-log: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nprobe-log: see probe-log --help\n", stderr);
	return EX_BAD_INPUT;
}

/* Whole file (or stdin for "-") into memory; NULL after a message. */
static char *read_input(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, n = 0;
	char *buf;

	if (!f) {
		fprintf(stderr, "probe-log: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n > PL_MAX_INPUT) {
			fprintf(stderr, "probe-log: %s: larger than %u MiB: not a probe log\n",
				path, PL_MAX_INPUT >> 20);
			goto fail;
		}
		if (got == 0)
			break;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf) {
		fprintf(stderr, "probe-log: %s: out of memory\n", path);
		goto out;
	}
	if (ferror(f)) {
		fprintf(stderr, "probe-log: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	buf = NULL;
out:
	if (f != stdin)
		fclose(f);
	return NULL;
}

static int load(struct pl_input *in)
{
	struct pl_error err;
	size_t len;
	char *buf = read_input(in->path, &len);
	int r;

	memset(&in->log, 0, sizeof(in->log));
	if (!buf)
		return -1;
	r = pl_parse(buf, len, &in->log, &err);
	free(buf);
	if (r) {
		if (err.line)
			fprintf(stderr, "probe-log: %s:%u: %s\n", in->path, err.line, err.msg);
		else
			fprintf(stderr, "probe-log: %s: %s\n", in->path, err.msg);
	}
	return r;
}

/* Default label: the file name without directory and ".log". */
static char *default_label(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;
	char *s;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && !strcmp(b + n - 4, ".log"))
		n -= 4;
	if (n == 0) {
		b = path;
		n = strlen(path);
	}
	s = malloc(n + 1);
	if (!s)
		exit(EX_BAD_INPUT);
	memcpy(s, b, n);
	s[n] = '\0';
	return s;
}

/* ---- plot ---- */

/* A gnuplot single-quoted string: '' stands for '; control chars dropped. */
static void gp_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			continue;
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

struct panel {
	const char *title, *ylabel;
	size_t col;		/* 0: host_cycles, 1: guest_cycles */
	bool log, empty;
};

static void plot_panel(FILE *gp, const struct panel *p, const struct pl_input *in,
		       size_t n, const char *data)
{
	size_t i;

	fprintf(gp, "set title ");
	gp_quote(gp, p->title);
	fprintf(gp, "\nset ylabel ");
	gp_quote(gp, p->ylabel);
	fputc('\n', gp);
	if (p->empty) {
		/* Nothing to draw: say so instead of an empty or failed plot. */
		fprintf(gp, "unset logscale y\nset yrange [0:1]\nset format y '%%g'\nunset key\n"
			"set label 1 'not measured in these logs (no patched host?)' at graph 0.5,0.5 center\n"
			"plot ");
		gp_quote(gp, data);
		fputs(" using 0:(NaN):xtic(1) with points notitle\nunset label 1\nset key\n", gp);
		return;
	}
	/* Log scale: 1k, 10k, 1M rather than 1e+06. */
	fprintf(gp, p->log ? "set logscale y 10\nset yrange [*:*]\nset format y '%%.0s%%c'\n" :
		"unset logscale y\nset yrange [0:*]\nset format y '%%g'\n");
	fprintf(gp, "plot ");
	for (i = 0; i < n; i++) {
		fputs(i ? ", " : "", gp);
		gp_quote(gp, data);
		fprintf(gp, " using %zu%s title ", 2 + 2 * i + p->col, i ? "" : ":xtic(1)");
		gp_quote(gp, in[i].label);
	}
	fputc('\n', gp);
}

static int run_gnuplot(const char *script)
{
	char *argv[] = { "gnuplot", (char *)script, NULL };
	int status, e;
	pid_t pid;

	e = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
	if (e) {
		fprintf(stderr, "probe-log: cannot run gnuplot: %s (install it: scripts/ensure-deps gnuplot-nox)\n",
			strerror(e));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "probe-log: gnuplot failed (status 0x%x)\n", status);
		return -1;
	}
	return 0;
}

/*
 * The values drawn, one row per scenario: its id, then host and guest cycles
 * per log; "?" where a bar is missing. gnuplot reads it; --data keeps it.
 */
static void write_plot_data(FILE *df, const struct pl_input *in, size_t n, const char **ids,
			    size_t nids, const struct panel *panels)
{
	size_t i, k, p;

	fputs("# scenario", df);
	for (i = 0; i < n; i++)
		fprintf(df, "\t%s host_cycles\t%s guest_cycles", in[i].label, in[i].label);
	fputc('\n', df);
	for (k = 0; k < nids; k++) {
		fputs(ids[k], df);
		for (i = 0; i < n; i++) {
			const struct pl_scenario *s = pl_find_scenario(&in[i].log, ids[k]);

			for (p = 0; p < 2; p++) {
				struct pl_num v = { false, 0 };

				if (s)
					v = p ? s->guest_cycles : s->host_cycles;
				/* 0 has no place on a log scale; "-" is missing anyway. */
				if (v.set && (v.v || !panels[p].log))
					fprintf(df, "\t%" PRIu64, v.v);
				else
					fputs("\t?", df);
			}
		}
		fputc('\n', df);
	}
}

static int cmd_plot(struct pl_input *in, size_t n, const char *out, const char *data_out)
{
	struct panel panels[2] = {
		{ "host cycles per exit of the scenario's reason (host_cycles)",
		  "host TSC cycles", 0, false, true },
		{ "guest round trip per iteration: exit + host handling + entry (guest_cycles)",
		  "guest TSC cycles", 1, false, true },
	};
	const char *tmp = getenv("TMPDIR");
	char dir[4096], data[4200], script[4200];
	const char **ids;
	size_t nids, i, k, p;
	int ret = EX_GNUPLOT;
	struct stat st;
	FILE *df, *gp;

	nids = pl_scenario_union(in, n, &ids);
	if (!nids) {
		fprintf(stderr, "probe-log: plot: no scenario: records in these logs\n");
		free(ids);
		return EX_BAD_INPUT;
	}
	for (p = 0; p < 2; p++) {
		double lo = INFINITY, hi = 0;

		for (i = 0; i < n; i++)
			for (k = 0; k < in[i].log.nscen; k++) {
				const struct pl_scenario *s = &in[i].log.scen[k];
				struct pl_num v = p ? s->guest_cycles : s->host_cycles;

				if (v.set && v.v) {
					lo = fmin(lo, (double)v.v);
					hi = fmax(hi, (double)v.v);
					panels[p].empty = false;
				}
			}
		panels[p].log = !panels[p].empty && hi / lo >= 100.0;
	}

	snprintf(dir, sizeof(dir), "%s/probe-log.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "probe-log: plot: mkdtemp %s: %s\n", dir, strerror(errno));
		free(ids);
		return EX_GNUPLOT;
	}
	snprintf(data, sizeof(data), "%s/data.tsv", dir);
	snprintf(script, sizeof(script), "%s/plot.gp", dir);
	df = fopen(data, "w");
	gp = fopen(script, "w");
	if (!df || !gp) {
		fprintf(stderr, "probe-log: plot: cannot write in %s: %s\n", dir, strerror(errno));
		goto out;
	}
	write_plot_data(df, in, n, ids, nids, panels);
	if (data_out) {
		FILE *keep = fopen(data_out, "w");

		if (!keep) {
			fprintf(stderr, "probe-log: plot: cannot write %s: %s\n", data_out, strerror(errno));
			ret = EX_BAD_INPUT;
			goto out;
		}
		write_plot_data(keep, in, n, ids, nids, panels);
		if (fclose(keep)) {
			fprintf(stderr, "probe-log: plot: write error on %s\n", data_out);
			ret = EX_BAD_INPUT;
			goto out;
		}
	}

	fprintf(gp, "set terminal pngcairo size %zu,900 font 'DejaVu Sans,10' noenhanced\n",
		nids * (40 + 14 * n) + 300 > 1000 ? nids * (40 + 14 * n) + 300 : 1000);
	fputs("set output ", gp);
	gp_quote(gp, out);
	fputs("\nset datafile separator '\\t'\nset datafile missing '?'\n"
	      "set style data histograms\nset style histogram clustered gap 1\n"
	      "set style fill solid 0.85 border rgb 'black'\n"
	      "set key outside right top vertical box\n"
	      "set grid ytics mytics\nset xtics rotate by 30 right nomirror\n"
	      "set ytics nomirror\nset bmargin 6\nset lmargin 12\nset rmargin 22\n", gp);
	/* Same scenario slots in both panels, even where one has no bars. */
	fprintf(gp, "set xrange [-0.5:%zu.5]\n", nids - 1);
	fputs("set multiplot layout 2,1 title 'exitprobe: per-scenario cycles (one bar per log in each scenario group)'\n", gp);
	for (p = 0; p < 2; p++) {
		char ylabel[128];

		snprintf(ylabel, sizeof(ylabel), "%s%s", panels[p].ylabel,
			 panels[p].log ? " (log scale)" : "");
		panels[p].ylabel = ylabel;
		plot_panel(gp, &panels[p], in, n, data);
	}
	fputs("unset multiplot\nset output\n", gp);
	if (fclose(df) | fclose(gp)) {
		df = gp = NULL;
		fprintf(stderr, "probe-log: plot: write error in %s\n", dir);
		goto out;
	}
	df = gp = NULL;
	if (run_gnuplot(script))
		goto out;
	if (stat(out, &st) || st.st_size == 0) {
		fprintf(stderr, "probe-log: plot: gnuplot wrote no %s\n", out);
		goto out;
	}
	ret = EX_OK;
out:
	if (df)
		fclose(df);
	if (gp)
		fclose(gp);
	unlink(data);
	unlink(script);
	rmdir(dir);
	free(ids);
	return ret;
}

/* ---- main ---- */

enum opt {
	OPT_TOLERANCE = 256, OPT_MIN_CYCLES, OPT_CSV, OPT_JSON, OPT_ALL, OPT_LABEL,
	OPT_FORMAT, OPT_REQUIRE_PATCHED, OPT_IGNORE, OPT_DATA, OPT_OUTPUT = 'o',
	OPT_HELP = 'h',
};

static const struct option long_opts[] = {
	{ "cycles-tolerance", required_argument, NULL, OPT_TOLERANCE },
	{ "cycles-min", required_argument, NULL, OPT_MIN_CYCLES },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "require-patched", no_argument, NULL, OPT_REQUIRE_PATCHED },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Which command takes which option (the rest are usage errors). */
static const struct {
	int opt;
	const char *cmds;	/* space-separated */
} opt_cmds[] = {
	{ OPT_TOLERANCE, "diff" }, { OPT_MIN_CYCLES, "diff" }, { OPT_IGNORE, "diff" },
	{ OPT_FORMAT, "check diff" }, { OPT_REQUIRE_PATCHED, "check" },
	{ OPT_CSV, "table" }, { OPT_JSON, "table" }, { OPT_ALL, "table" },
	{ OPT_LABEL, "table plot" }, { OPT_OUTPUT, "plot" }, { OPT_DATA, "plot" },
};

/* "--name" of a long option, "-x" of a short one, for messages. */
static const char *opt_name(int c)
{
	static char buf[64];
	size_t i;

	for (i = 0; long_opts[i].name; i++)
		if (long_opts[i].val == c) {
			snprintf(buf, sizeof(buf), "--%s", long_opts[i].name);
			return buf;
		}
	snprintf(buf, sizeof(buf), "-%c", c > 0 && c < 127 ? c : '?');
	return buf;
}

static bool takes(const char *cmd, int opt)
{
	size_t i, n = strlen(cmd);

	for (i = 0; i < sizeof(opt_cmds) / sizeof(opt_cmds[0]); i++) {
		const char *c = opt_cmds[i].cmds;

		if (opt_cmds[i].opt != opt)
			continue;
		while ((c = strstr(c, cmd)))
			if ((c == opt_cmds[i].cmds || c[-1] == ' ') && (c[n] == ' ' || !c[n]))
				return true;
			else
				c += n;
	}
	return false;
}

/* --ignore=FIELD,... : each FIELD or TAG.FIELD must name a real field. */
static int add_ignores(char *list, const char ***ignore, size_t *n)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dot = strchr(tok, '.');
		bool ok;

		if (dot) {
			*dot = '\0';
			ok = (pl_known_record(tok) && pl_known_field(tok, dot + 1)) ||
			     (!strcmp(tok, "check") && !strcmp(dot + 1, "result"));
			*dot = '.';
		} else {
			ok = pl_known_field(NULL, tok);
		}
		if (!ok)
			return usage_error("--ignore: '%s' is not a field of the log (FIELD or RECORD.FIELD, e.g. brand or cpu.model; see docs/serial-log.md)",
					   tok);
		*ignore = realloc(*ignore, (*n + 1) * sizeof(**ignore));
		if (!*ignore)
			exit(EX_BAD_INPUT);
		(*ignore)[(*n)++] = tok;
	}
	if (!*n)
		return usage_error("%s", "--ignore needs a field name");
	return 0;
}

static int parse_format(const char *cmd, const char *arg, struct pl_check_opts *co,
			struct pl_diff_opts *dopts)
{
	static const char *const check_words[] = { "text", "tap", "junit", "json", NULL };
	static const enum pl_check_format check_formats[] = {
		PL_CHECK_TEXT, PL_CHECK_TAP, PL_CHECK_JUNIT, PL_CHECK_JSON,
	};
	size_t i;

	if (!strcmp(cmd, "diff")) {
		if (strcmp(arg, "text") && strcmp(arg, "json"))
			return usage_error("diff --format is text or json, not '%s'", arg);
		dopts->json = !strcmp(arg, "json");
		return 0;
	}
	for (i = 0; check_words[i]; i++)
		if (!strcmp(arg, check_words[i])) {
			co->format = check_formats[i];
			return 0;
		}
	return usage_error("check --format is text, tap, junit or json, not '%s'", arg);
}

int main(int argc, char **argv)
{
	enum pl_table_format fmt = PL_TABLE_MARKDOWN;
	struct pl_diff_opts dopts = { { PL_DEFAULT_TOLERANCE, PL_DEFAULT_MIN_CYCLES }, NULL, 0, false };
	struct pl_check_opts copts = { PL_CHECK_TEXT, false };
	const char *cmd, *out = NULL, *data_out = NULL;
	const char **labels, **files, **ignore = NULL;
	size_t nlabels = 0, nfiles = 0, nignore = 0, i, j;
	bool all = false;
	struct pl_input *in;
	bool *dup;
	int ret = EX_BAD_INPUT, c;

	if (argc < 2)
		return usage_error("%s", "no command given");
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_text, stdout);
		return EX_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("probe-log %s (serial log format %d)\n", PROBE_LOG_VERSION, PL_FORMAT);
		return EX_OK;
	}
	if (strcmp(cmd, "check") && strcmp(cmd, "diff") && strcmp(cmd, "table") &&
	    strcmp(cmd, "plot"))
		return usage_error("unknown command '%s'", cmd);

	labels = calloc((size_t)argc, sizeof(*labels));
	files = calloc((size_t)argc, sizeof(*files));
	if (!labels || !files)
		return EX_BAD_INPUT;
	/* argv[1], the command, stands where getopt expects the program name. */
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":ho:", long_opts, NULL)) != -1) {
		const char *opt = opt_name(c == '?' || c == ':' ? optopt : c);
		char *e;

		if (c == '?') {
			/* An unknown long option is the argument just read. */
			usage_error("unknown option '%s'", optopt ? opt : argv[optind]);
			goto out_args;
		}
		if (c == ':') {
			usage_error("option '%s' needs a value", opt);
			goto out_args;
		}
		if (c == OPT_HELP) {
			fputs(usage_text, stdout);
			ret = EX_OK;
			goto out_args;
		}
		if (!takes(cmd, c)) {
			usage_error("option '%s' is not one of this command's (see probe-log --help)", opt);
			goto out_args;
		}
		switch (c) {
		case OPT_TOLERANCE:
			errno = 0;
			dopts.tol.pct = strtod(optarg, &e);
			if (e == optarg || *e || errno || !(dopts.tol.pct >= 0) ||
			    !isfinite(dopts.tol.pct)) {
				usage_error("--cycles-tolerance needs a percentage >= 0, not '%s'", optarg);
				goto out_args;
			}
			break;
		case OPT_MIN_CYCLES:
			errno = 0;
			dopts.tol.min_cycles = strtoull(optarg, &e, 10);
			if (e == optarg || *e || errno || optarg[0] == '-') {
				usage_error("--cycles-min needs a number of cycles >= 0, not '%s'", optarg);
				goto out_args;
			}
			break;
		case OPT_IGNORE:
			if (add_ignores(optarg, &ignore, &nignore))
				goto out_args;
			break;
		case OPT_FORMAT:
			if (parse_format(cmd, optarg, &copts, &dopts))
				goto out_args;
			break;
		case OPT_REQUIRE_PATCHED:
			copts.require_patched = true;
			break;
		case OPT_CSV:
			fmt = PL_TABLE_CSV;
			break;
		case OPT_JSON:
			fmt = PL_TABLE_JSON;
			break;
		case OPT_ALL:
			all = true;
			break;
		case OPT_LABEL:
			labels[nlabels++] = optarg;
			break;
		case OPT_OUTPUT:
			out = optarg;
			break;
		case OPT_DATA:
			data_out = optarg;
			break;
		}
	}
	for (int a = optind + 1; a < argc; a++)
		files[nfiles++] = argv[a];
	dopts.ignore = ignore;
	dopts.nignore = nignore;

	if (!strcmp(cmd, "check") && nfiles != 1) {
		usage_error("%s", "check takes exactly one LOG");
		goto out_args;
	}
	if (!strcmp(cmd, "diff") && nfiles != 2) {
		usage_error("%s", "diff takes exactly two logs, A (the reference) and B");
		goto out_args;
	}
	if (nfiles == 0) {
		usage_error("%s needs at least one LOG", cmd);
		goto out_args;
	}
	if (nlabels > nfiles) {
		usage_error("%s", "more --label options than logs");
		goto out_args;
	}
	if (!strcmp(cmd, "plot") && (!out || !*out)) {
		usage_error("%s", "plot needs -o FILE.png");
		goto out_args;
	}

	in = calloc(nfiles, sizeof(*in));
	if (!in)
		goto out_args;
	for (i = 0; i < nfiles; i++) {
		in[i].path = files[i];
		in[i].label = i < nlabels ? labels[i] : NULL;
	}
	ret = EX_OK;
	for (i = 0; i < nfiles; i++)
		if (load(&in[i]))
			ret = EX_BAD_INPUT;	/* report every bad log, not just the first */
	if (ret != EX_OK)
		goto out_logs;

	/*
	 * Labels: given, else file names; where a default name repeats, every
	 * log of that name is labelled by its path instead.
	 */
	for (i = 0; i < nfiles; i++)
		if (!in[i].label)
			in[i].label = default_label(in[i].path);
	dup = calloc(nfiles, sizeof(*dup));
	if (!dup)
		goto out_logs;
	for (i = nlabels; i < nfiles; i++)
		for (j = 0; j < nfiles; j++)
			if (i != j && !strcmp(in[i].label, in[j].label))
				dup[i] = true;
	for (i = nlabels; i < nfiles; i++)
		if (dup[i]) {
			free((char *)in[i].label);
			in[i].label = strdup(in[i].path);
			if (!in[i].label)
				exit(EX_BAD_INPUT);
		}
	free(dup);

	if (!strcmp(cmd, "check")) {
		switch (pl_check(stdout, stderr, in[0].path, &in[0].log, &copts)) {
		case PL_OUTCOME_PASS:
			ret = EX_OK;
			break;
		case PL_OUTCOME_SKIPPED:
			ret = copts.require_patched ? EX_SKIPPED : EX_OK;
			break;
		case PL_OUTCOME_FAILED:
		case PL_OUTCOME_CONTRADICTED:
			ret = EX_FAILED;
			break;
		}
	} else if (!strcmp(cmd, "diff")) {
		ret = pl_diff(stdout, &in[0], &in[1], &dopts) ? EX_FAILED : EX_OK;
	} else if (!strcmp(cmd, "table")) {
		if (!pl_table(stdout, in, nfiles, fmt, all) && !all)
			fputs("probe-log: no reason was counted in these logs (no patched host?); --all lists every reason\n",
			      stderr);
	} else {
		ret = cmd_plot(in, nfiles, out, data_out);
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "probe-log: write error on stdout\n");
		ret = EX_BAD_INPUT;
	}
	for (i = nlabels; i < nfiles; i++)
		free((char *)in[i].label);
out_logs:
	for (i = 0; i < nfiles; i++)
		pl_free(&in[i].log);
	free(in);
out_args:
	free(labels);
	free(files);
	free(ignore);
	return ret;
}
