/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated patched KVM behind probe-os/leaf.h, for the measurement unit
 * tests: per-reason counters of this VM and of a neighbour VM, the leaves
 * of common/exitprobe-abi.h answered from them (version 1, or version 2
 * with a scope), and exits injected between two given leaf reads. Every
 * leaf read is itself a CPUID exit of this VM, counted after it is
 * answered, as the ABI says ("a read reports every earlier exit").
 */
#ifndef PROBE_TEST_FAKEHOST_H
#define PROBE_TEST_FAKEHOST_H

#include "../../probe-os/leaf.h"
#include "../../common/exitprobe-abi.h"

#define FAKE_REASONS	(SDM_EXIT_REASON_MAX + 1)
#define FAKE_EVENTS	64

enum fake_vm { FAKE_SELF, FAKE_NEIGHBOUR };

struct fake_event {
	u32 after_read;		/* inject after this read (1-based) */
	enum fake_vm vm;
	u32 reason, n;
};

struct fake_host {
	u32 abi;		/* 0: unpatched (leaves echo); 1; 2 */
	u32 scope;		/* EXITPROBE_SCOPE_*: HOST adds the neighbour */
	int counting_on;	/* 0: counters stand still */
	/* Identification answer overrides (0: the honest values). */
	u32 ident_version, ident_scope;
	int ident_scope_set;
	int garbage;		/* every counter leaf answers noise */
	int garbage_status;	/* version 2 status words are noise */

	u64 count[2][FAKE_REASONS], cycles[2][FAKE_REASONS];

	/* Exits after every read: a storm (async) or a busy neighbour. */
	enum fake_vm storm_vm;
	u32 storm_reason, storm_n;
	/* Only for reads in (storm_from, storm_to]; 0,0: always. */
	u32 storm_from, storm_to;
	struct fake_event ev[FAKE_EVENTS];
	u32 nev;

	/* What the fake loop does per call: n * per_iter exits of reason,
	 * plus neighbour and async exits landing while it runs, and an event
	 * after_loop reads after it returns (0: none). */
	u32 loop_reason, loop_per_iter;
	u32 loop_async, loop_neighbour_reason, loop_neighbour_n;
	s64 loop_self_adjust;		/* added to the reason's count: < 0 goes backwards */
	u32 after_loop_read;
	struct fake_event after_loop;

	u32 reads, reads_v1, reads_v2;
	u64 tsc;
	u64 rng;
};

extern struct fake_host fh;

void fake_reset(u32 abi, u32 scope);
void fake_exit(enum fake_vm vm, u32 reason, u32 n);
/* The scenario loop under test: see struct fake_host's loop_ fields. */
void fake_loop(u32 n, u32 arg);

#endif
