/* SPDX-License-Identifier: GPL-2.0 */
/* The command line, parsed and checked before anything is read or run. */
#ifndef EXITSTAT_ARGS_H
#define EXITSTAT_ARGS_H

#include <stdint.h>

enum mode { MODE_SNAPSHOT, MODE_COMMAND, MODE_INTERVAL };
enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };
enum sort_key { SORT_REASON, SORT_COUNT };

struct args {
	enum mode mode;
	enum format format;
	enum sort_key sort;
	int all_rows;		/* text: show rows without exits in deltas too */
	int help, version;
	uint64_t interval_ns;	/* MODE_INTERVAL */
	uint64_t count;		/* intervals to print; 0 = until interrupted */
	const char *output;	/* NULL: stdout */
	char **command;		/* MODE_COMMAND: NULL-terminated argv */
};

/*
 * Fills *a from argv. Returns 0, or -1 with a one-line reason in err
 * (nothing else is printed).
 */
int args_parse(int argc, char **argv, struct args *a, char *err, unsigned long errlen);

#endif /* EXITSTAT_ARGS_H */
