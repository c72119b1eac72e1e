// SPDX-License-Identifier: GPL-2.0
/* The simulated host of fakehost.h: its answers follow common/exitprobe-abi.h. */
#include <string.h>
#include "fakehost.h"

struct fake_host fh;

/* The .def straight, independently of probe-os/sdm.c. */
static int defined(u32 n)
{
	switch (n) {
#define SDM_EXIT_REASON(nr, ident, cls, desc) case nr:
#include "../../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
		return 1;
	}
	return 0;
}

static int is_async(u32 n)
{
#define SYNC 0
#define ASYNC 1
	switch (n) {
#define SDM_EXIT_REASON(nr, ident, cls, desc) case nr: return cls;
#include "../../common/sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
	}
#undef SYNC
#undef ASYNC
	return 0;
}

void fake_reset(u32 abi, u32 scope)
{
	memset(&fh, 0, sizeof(fh));
	fh.abi = abi;
	fh.scope = scope;
	fh.counting_on = 1;
	fh.rng = 0x9e3779b97f4a7c15ull;
	/* Counters that have run for a while, near the 32-bit wrap: the
	 * probe must take deltas modulo 2^32. */
	for (u32 v = 0; v < 2; v++)
		for (u32 n = 0; n < FAKE_REASONS; n++)
			if (defined(n)) {
				fh.count[v][n] = 0xfffff000u + 7 * n + 1000 * v;
				fh.cycles[v][n] = 0x1fffff000ull + 3000 * n;
			}
}

void fake_exit(enum fake_vm vm, u32 reason, u32 n)
{
	if (!fh.counting_on)
		return;
	fh.count[vm][reason] += n;
	fh.cycles[vm][reason] += (u64)n * (500 + reason);
}

static u64 view(const u64 c[2][FAKE_REASONS], u32 n)
{
	return c[FAKE_SELF][n] + (fh.scope == EXITPROBE_SCOPE_HOST ? c[FAKE_NEIGHBOUR][n] : 0);
}

static u64 total(int async_only)
{
	u64 t = 0;

	for (u32 n = 0; n < FAKE_REASONS; n++)
		if (!async_only || is_async(n))
			t += view(fh.count, n);
	return t;
}

static u32 noise(void)
{
	fh.rng = fh.rng * 6364136223846793005ull + 1442695040888963407ull;
	return (u32)(fh.rng >> 32);
}

static u32 status(u32 n)
{
	if (fh.garbage_status)
		return noise() | 2;	/* never a defined status */
	return defined(n) ? EXITPROBE_STATUS_OK : EXITPROBE_STATUS_UNDEFINED;
}

static void answer(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	int v2 = fh.abi >= 2;
	u64 c;

	memset(r, 0, sizeof(*r));
	/* An unpatched host echoes the highest basic leaf ("GenuineIntel"). */
	if (fh.abi == 0 || (!v2 && leaf >= EXITPROBE_LEAF_SNAPSHOT_CYCLES &&
			    leaf <= EXITPROBE_LEAF_IDENT)) {
		r->a = 0xd, r->b = 0x756e6547, r->c = 0x6c65746e, r->d = 0x49656e69;
		return;
	}
	if (fh.garbage && leaf != EXITPROBE_LEAF_IDENT) {
		r->a = noise(), r->b = noise(), r->c = noise(), r->d = noise();
		return;
	}
	switch (leaf) {
	case EXITPROBE_LEAF_TOTAL:
		fh.reads_v1++;
		r->a = (u32)total(0);
		return;
	case EXITPROBE_LEAF_COUNT:
		fh.reads_v1++;
		if (!defined(sub))
			r->d = EXITPROBE_UNDEFINED;
		else
			r->a = (u32)view(fh.count, sub);
		return;
	case EXITPROBE_LEAF_REASON_CYCLES:
		fh.reads_v1++;
		if (!defined(sub)) {
			r->d = EXITPROBE_UNDEFINED;
		} else {
			c = view(fh.cycles, sub);
			r->b = (u32)(c >> 32), r->c = (u32)c;
		}
		return;
	case EXITPROBE_LEAF_IDENT:
		r->a = fh.ident_version ? fh.ident_version : EXITPROBE_ABI_VERSION;
		r->b = EXITPROBE_SIGNATURE;
		r->c = fh.ident_scope_set ? fh.ident_scope : fh.scope;
		r->d = (fh.counting_on ? EXITPROBE_FLAG_COUNTING : 0) |
		       (SDM_EXIT_REASON_MAX << 16);
		return;
	case EXITPROBE_LEAF_SNAPSHOT:
		fh.reads_v2++;
		r->d = status(sub);
		r->a = defined(sub) ? (u32)view(fh.count, sub) : 0;
		r->b = (u32)total(0);
		r->c = (u32)total(1);
		return;
	case EXITPROBE_LEAF_SNAPSHOT_CYCLES:
		fh.reads_v2++;
		r->d = status(sub);
		if (defined(sub)) {
			r->a = (u32)view(fh.count, sub);
			c = view(fh.cycles, sub);
			r->b = (u32)(c >> 32), r->c = (u32)c;
		}
		return;
	}
}

void leaf_read(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	answer(leaf, sub, r);
	fh.reads++;
	/* The read's own exit: counted once its window closes. */
	fake_exit(FAKE_SELF, 10, 1);
	if (fh.storm_n && (fh.storm_to == 0 ||
			   (fh.reads > fh.storm_from && fh.reads <= fh.storm_to)))
		fake_exit(fh.storm_vm, fh.storm_reason, fh.storm_n);
	for (u32 i = 0; i < fh.nev; i++)
		if (fh.ev[i].after_read == fh.reads)
			fake_exit(fh.ev[i].vm, fh.ev[i].reason, fh.ev[i].n);
	if (fh.after_loop_read && fh.after_loop_read == fh.reads)
		fake_exit(fh.after_loop.vm, fh.after_loop.reason, fh.after_loop.n);
}

u64 tsc_read(void)
{
	return fh.tsc += 10;
}

void fake_loop(u32 n, u32 arg)
{
	(void)arg;
	fake_exit(FAKE_SELF, fh.loop_reason, n * fh.loop_per_iter);
	if (fh.counting_on)
		fh.count[FAKE_SELF][fh.loop_reason] += (u64)fh.loop_self_adjust;
	if (fh.loop_async)
		fake_exit(FAKE_SELF, 1, fh.loop_async);		/* EXTERNAL_INTERRUPT */
	if (fh.loop_neighbour_n)
		fake_exit(FAKE_NEIGHBOUR, fh.loop_neighbour_reason, fh.loop_neighbour_n);
	if (fh.after_loop.n)
		fh.after_loop_read = fh.reads + fh.after_loop.after_read;
	fh.tsc += (u64)n * 100;
}
