// SPDX-License-Identifier: GPL-2.0
#include "hostctr.h"
#include "sdm.h"

enum ident_result hostctr_ident(struct host_abi *h)
{
	struct cpuid_regs r;

	leaf_read(EXITPROBE_LEAF_IDENT, 0, &r);
	h->version = 0;
	h->scope = 0;
	h->counting_on = 0;
	h->max_reason = 0;
	h->raw = r;
	/* Hosts without the leaf echo the highest basic leaf: no signature. */
	if (r.b != EXITPROBE_SIGNATURE)
		return IDENT_ABSENT;
	/* A version below 2 or an unknown scope: do not trust the other
	 * version 2 leaves either (the caller falls back to version 1). */
	if (r.a < EXITPROBE_ABI_VERSION ||
	    (r.c != EXITPROBE_SCOPE_HOST && r.c != EXITPROBE_SCOPE_VM))
		return IDENT_MALFORMED;
	h->version = r.a;
	h->scope = r.c;
	h->counting_on = !!(r.d & EXITPROBE_FLAG_COUNTING);
	h->max_reason = EXITPROBE_IDENT_MAX_REASON(r.d);
	return IDENT_V2;
}

/*
 * Version 1: total and async must describe the same instant, or an async
 * exit landing between the reads would be counted in one and not the
 * other, and "other" (total minus async minus the reason's own) would be
 * off by one. Read total (T1), every async count, total (T2): the reads in
 * between are sdm_async_count + 1 CPUID exits (a read counts the previous
 * reads, not itself), so T2 - T1 is exactly that when no other exit
 * happened between T1 and T2; then the async sum is the one at T1.
 */
static int snap_try_v1(struct snap *s)
{
	struct cpuid_regs r;
	u32 t2, i;

	leaf_read(EXITPROBE_LEAF_TOTAL, 0, &r);
	s->total = r.a;
	for (s->async = 0, i = 0; i < sdm_async_count; i++) {
		leaf_read(EXITPROBE_LEAF_COUNT, sdm_async[i], &r);
		s->async += r.a;
	}
	leaf_read(EXITPROBE_LEAF_TOTAL, 0, &r);
	t2 = r.a;
	return t2 - s->total == sdm_async_count + 1;
}

static int status_valid(u32 status, u32 count)
{
	if (status == EXITPROBE_STATUS_OK)
		return 1;
	/* Not enabled or not defined: the ABI says eax is 0. */
	return (status == EXITPROBE_STATUS_DISABLED ||
		status == EXITPROBE_STATUS_UNDEFINED) && count == 0;
}

/*
 * Version 2: count, total and async come from one exit, consistent by
 * construction. The cycles come from a second read, which must see the
 * same count: plus one when the reason is CPUID (the first read is itself
 * a CPUID exit), anything else means another exit of the reason landed in
 * between (a neighbour VM with scope host) and the cycles would belong to
 * another instant. Both reads must give the same valid status.
 */
static int snap_try_v2(u32 reason, struct snap *s)
{
	struct cpuid_regs r, y;

	leaf_read(EXITPROBE_LEAF_SNAPSHOT, reason, &r);
	leaf_read(EXITPROBE_LEAF_SNAPSHOT_CYCLES, reason, &y);
	s->count = r.a;
	s->total = r.b;
	s->async = r.c;
	s->cycles = join64(y.b, y.c);
	return r.d == y.d && status_valid(r.d, r.a) && status_valid(y.d, y.a) &&
	       y.a - r.a == (reason == REASON_CPUID ? 1u : 0u);
}

void snap_read(const struct host_abi *h, u32 reason, struct snap *s)
{
	int v2 = h->version >= EXITPROBE_ABI_VERSION;
	/* CPUID exits one attempt costs. */
	u32 per_try = v2 ? 2 : sdm_async_count + 2;
	u32 tries;

	for (tries = 0;; tries++) {
		s->ok = v2 ? snap_try_v2(reason, s) : snap_try_v1(s);
		if (s->ok || tries == SNAP_RETRIES)
			break;
	}
	s->retries = tries;
	s->extra = tries * per_try;
	if (!v2) {
		struct cpuid_regs r;

		leaf_read(EXITPROBE_LEAF_COUNT, reason, &r);
		s->count = r.a;
		leaf_read(EXITPROBE_LEAF_REASON_CYCLES, reason, &r);
		s->cycles = join64(r.b, r.c);
	}
}
