/* SPDX-License-Identifier: GPL-2.0 */
/* The multiboot command line: "[IMAGE] iters=N samples=N budget=S". Pure, host-tested. */
#ifndef PROBE_CMDLINE_H
#define PROBE_CMDLINE_H

#include "types.h"

/*
 * Defaults: keep a whole run (all scenarios x samples x iterations, plus the
 * queries and the sweep) under ~20,000 VM exits, so it takes seconds even
 * under Bochs-emulated nested KVM (~170 us of wall time per L2 exit: ~3.4 s).
 * The bound was 10,000 until probe 1.0's scenarios (issue 10) doubled the
 * table.
 */
#define DEFAULT_ITERS	50
#define DEFAULT_SAMPLES	5
#define MAX_ITERS	1000000
#define MAX_SAMPLES	31
/*
 * The run budget in seconds of guest TSC time (config: budget=): checked
 * before every sample, so one sample can overrun it by its own length.
 * The default leaves the defaults above far inside it (a default run takes
 * seconds even nested in Bochs) and bounds a mistyped iters=.
 */
#define DEFAULT_BUDGET	300
#define MAX_BUDGET	86400

struct config {
	u32 iters;
	u32 samples;
	u32 budget;	/* seconds */
};

/* Called for each word that is not a valid option; word is not terminated. */
typedef void (*cmdline_bad_fn)(const char *why, const char *word, u32 len);

/*
 * Parses cmdline into cfg (which holds the defaults on entry). The first
 * word is skipped when it has no '=' (QEMU and GRUB both put the image path
 * there). Returns the number of words rejected.
 */
u32 cmdline_parse(const char *cmdline, struct config *cfg, cmdline_bad_fn bad);

#endif
