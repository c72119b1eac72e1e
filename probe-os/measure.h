/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One sample: a counter snapshot, the instruction loop, a snapshot; and the
 * arithmetic that turns samples into a scenario's figures. Reads the host
 * only through hostctr.c/leaf.h, so tests/probe runs it against a
 * simulated host.
 */
#ifndef PROBE_MEASURE_H
#define PROBE_MEASURE_H

#include "hostctr.h"
#include "cmdline.h"	/* MAX_SAMPLES */

typedef void (*loop_fn)(u32 n, u32 arg);

/* Raw deltas of one sample, query reads not yet subtracted. */
struct sample {
	int valid;	/* both snapshots consistent and the deltas add up */
	u32 retries;	/* snapshot attempts read again, both snapshots */
	s64 exits;	/* of the reason (the retried reads taken out) */
	s64 sync;	/* synchronous exits of every reason, its own included */
	s64 async;	/* exits of the ASYNC reasons */
	s64 cycles;	/* host cycles of the reason */
	s64 tsc;	/* guest TSC cycles around the loop */
};

/*
 * Runs loop(n, arg) between two snapshots of reason. With !counting (no
 * patched host, or counting off) only the TSC is read: no leaf at all.
 */
void measure(const struct host_abi *h, int counting, loop_fn loop, u32 reason,
	     u32 n, u32 arg, struct sample *out);

/* What a before/after pair of snapshots adds by itself (zero iterations). */
struct calibration {
	u32 valid;		/* samples it was computed from */
	s64 exits, sync, cycles, tsc;
};

void calibrate(const struct host_abi *h, int counting, loop_fn cpuid_loop, u32 samples,
	       struct calibration *c);

/*
 * A scenario's figures. Counts are medians over its valid samples, with
 * their range (min, max) beside them: a verdict judges every sample, so one
 * deviating sample cannot hide behind the median. Cycle figures are medians
 * over the clean samples only (valid, no async exit, no retried snapshot):
 * an interrupt or a retry inside the window adds its own cost to the time.
 */
struct summary {
	u32 samples, valid;	/* taken, and usable */
	u32 clean;		/* valid, with no async exit and no retry */
	u32 retries;		/* over every sample */
	s64 exits, other, async, guest_cycles;
	s64 min, max;		/* exits of the reason over the valid samples */
	u64 host_cycles;
	int have_host_cycles;	/* some clean sample had exits of the reason */
	int have_guest_cycles;	/* some sample was clean */
};

/* Enough valid samples for a median that a majority of samples agree on. */
int summary_usable(const struct summary *s);

void summarise(const struct sample *v, u32 n, u32 reason, u32 iters,
	       const struct calibration *cal, struct summary *out);

/* Lower median (always an observed value) of v[0..n), n >= 1; sorts v. */
s64 median_s64(s64 *v, u32 n);

#endif
