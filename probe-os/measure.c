// SPDX-License-Identifier: GPL-2.0
#include "measure.h"
#include "fmt.h"
#include "sdm.h"

s64 median_s64(s64 *v, u32 n)
{
	u32 i, j;

	for (i = 1; i < n; i++) {
		s64 x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	/* Lower median for even n: always a value that was observed. */
	return v[(n - 1) / 2];
}

static u64 div_s64_u32(s64 num, u32 den)
{
	return num <= 0 ? 0 : udiv64((u64)num, den, NULL);
}

/*
 * The deltas of a sample must add up: the reason's own exits and the
 * async ones are part of the total. A counter that went backwards, a
 * garbage answer, or (version 1, scope host) a neighbour's exit between
 * the total and the count reads breaks that; the sample is then invalid
 * rather than a silently wrong number. Deltas are taken modulo 2^32 (eax
 * carries the low 32 bits of 64-bit counts).
 */
static int deltas_add_up(u32 reason, const struct snap *a, const struct snap *b)
{
	u32 total = b->total - a->total, count = b->count - a->count;
	u32 async = b->async - a->async, own;
	const struct sdm_reason *sr = sdm_lookup(reason);

	/* Backwards shows as 2^31 or more: no sample sees that many exits. */
	if (total >= 0x80000000u)
		return 0;
	/* b's retried reads are CPUID exits inside the window. */
	if (total < b->extra)
		return 0;
	total -= b->extra;
	if (reason == REASON_CPUID) {
		if (count < b->extra)
			return 0;
		count -= b->extra;
	}
	own = sr && sr->async ? 0 : count;	/* an async reason is in async */
	return (u64)own + async <= total;
}

void measure(const struct host_abi *h, int counting, loop_fn loop, u32 reason,
	     u32 n, u32 arg, struct sample *out)
{
	struct snap a, b;
	u64 t0, t1;

	if (counting)
		snap_read(h, reason, &a);
	t0 = tsc_read();
	loop(n, arg);
	t1 = tsc_read();
	out->tsc = (s64)(t1 - t0);
	out->exits = out->sync = out->async = out->cycles = 0;
	out->retries = 0;
	out->valid = 1;
	if (!counting)
		return;
	snap_read(h, reason, &b);
	out->retries = a.retries + b.retries;
	out->valid = a.ok && b.ok && deltas_add_up(reason, &a, &b);
	if (!out->valid)
		return;
	/* b's retried reads (if any) are CPUID exits inside the window; a's
	 * happened before it. */
	out->exits = (u32)(b.count - a.count - (reason == REASON_CPUID ? b.extra : 0));
	out->async = (u32)(b.async - a.async);
	out->sync = (u32)(b.total - a.total - b.extra) - out->async;
	out->cycles = (s64)(b.cycles - a.cycles);
}

void calibrate(const struct host_abi *h, int counting, loop_fn cpuid_loop, u32 samples,
	       struct calibration *c)
{
	s64 e[MAX_SAMPLES], y[MAX_SAMPLES], cy[MAX_SAMPLES], t[MAX_SAMPLES];
	u32 s, n = 0;

	for (s = 0; s < samples && s < MAX_SAMPLES; s++) {
		struct sample x;

		measure(h, counting, cpuid_loop, REASON_CPUID, 0, 0, &x);
		if (!x.valid)
			continue;
		e[n] = x.exits, y[n] = x.sync, cy[n] = x.cycles, t[n] = x.tsc;
		n++;
	}
	c->valid = n;
	c->exits = c->sync = c->cycles = c->tsc = 0;
	if (!n)
		return;
	c->exits = median_s64(e, n);
	c->sync = median_s64(y, n);
	c->cycles = median_s64(cy, n);
	c->tsc = median_s64(t, n);
}

int summary_usable(const struct summary *s)
{
	return s->samples && 2 * s->valid > s->samples;
}

void summarise(const struct sample *v, u32 n, u32 reason, u32 iters,
	       const struct calibration *cal, struct summary *out)
{
	s64 ex[MAX_SAMPLES], ot[MAX_SAMPLES], as[MAX_SAMPLES], hc[MAX_SAMPLES];
	s64 gc[MAX_SAMPLES];
	u32 s, k = 0, n_hc = 0, n_gc = 0;
	int cpuid = reason == REASON_CPUID;
	const struct sdm_reason *sr = sdm_lookup(reason);
	/* A targeted ASYNC reason (the APIC rows' window and preemption-timer
	 * exits) is counted in async, not in sync: other and async then
	 * exclude the reason's own exits. */
	int own_async = sr && sr->async;

	out->samples = n;
	out->retries = 0;
	out->clean = 0;
	out->exits = out->other = out->async = out->guest_cycles = 0;
	out->min = out->max = 0;
	out->host_cycles = 0;
	out->have_host_cycles = out->have_guest_cycles = 0;
	for (s = 0; s < n && s < MAX_SAMPLES; s++) {
		const struct sample *x = &v[s];
		s64 e, cyc;

		out->retries += x->retries;
		if (!x->valid)
			continue;
		/* Only CPUID shares its reason with the query reads. */
		e = x->exits - (cpuid ? cal->exits : 0);
		cyc = x->cycles - (cpuid ? cal->cycles : 0);
		if (!k || e < out->min)
			out->min = e;
		if (!k || e > out->max)
			out->max = e;
		ex[k] = e;
		ot[k] = x->sync - cal->sync - (own_async ? 0 : e);
		as[k] = x->async - (own_async ? e : 0);
		/* Cycles only from samples no interrupt or retry disturbed (a
		 * targeted ASYNC reason's own exits are not a disturbance). */
		if (as[k++] || x->retries)
			continue;
		gc[n_gc++] = (s64)div_s64_u32(x->tsc - cal->tsc, iters);
		if (e > 0)
			hc[n_hc++] = (s64)div_s64_u32(cyc, (u32)e);
	}
	out->valid = k;
	out->clean = n_gc;
	if (!k)
		return;
	out->exits = median_s64(ex, k);
	out->other = median_s64(ot, k);
	out->async = median_s64(as, k);
	if (n_gc) {
		out->guest_cycles = median_s64(gc, n_gc);
		out->have_guest_cycles = 1;
	}
	if (n_hc) {
		out->host_cycles = (u64)median_s64(hc, n_hc);
		out->have_host_cycles = 1;
	}
}
