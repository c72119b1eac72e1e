// SPDX-License-Identifier: GPL-2.0
#include "verdict.h"

static void append_expect(struct line *l, const struct expect *x, u32 iters)
{
	u32 want = scenario_expected(x, iters);

	switch (x->kind) {
	case EXPECT_EXACT:
		line_str(l, "exact ");
		line_u64(l, x->n);
		line_str(l, " per iteration");
		break;
	case EXPECT_ATLEAST:
		line_str(l, "at least ");
		line_u64(l, want);
		line_str(l, " per sample");
		break;
	case EXPECT_ATMOST:
		line_str(l, "at most ");
		line_u64(l, want);
		line_str(l, " per sample");
		break;
	default:
		line_str(l, "none expected");
	}
}

int expectation_met(const struct expect *x, u32 iters, s64 exits)
{
	s64 want = scenario_expected(x, iters);

	switch (x->kind) {
	case EXPECT_EXACT:
		return exits == want;
	case EXPECT_ATLEAST:
		return exits >= want;
	case EXPECT_ATMOST:
		return exits >= 0 && exits <= want;
	case EXPECT_NONE:
		return exits == 0;
	default:
		return 0;
	}
}

static u64 shown_count(s64 v)
{
	return v < 0 ? 0 : (u64)v;
}

enum check_result count_verdict(const struct scenario *sc, const struct expect *x,
				u32 iters, const struct summary *s,
				const struct calibration *cal, struct line *t)
{
	int ok;

	line_reset(t);
	/* Without a calibration nothing can be subtracted: no figure holds. */
	if (!cal->valid) {
		line_str(t, "the calibration had no consistent counter snapshot (retry bound ");
		line_u64(t, SNAP_RETRIES);
		line_str(t, " hit in every sample): no count can be trusted");
		return CHECK_FAIL;
	}
	/* A median of a minority would hide the noise that spoiled the rest. */
	if (!summary_usable(s)) {
		line_str(t, "only ");
		line_u64(t, s->valid);
		line_str(t, " of ");
		line_u64(t, s->samples);
		line_str(t, " samples had consistent counter snapshots (");
		line_u64(t, s->retries);
		line_str(t, " retries; bound ");
		line_u64(t, SNAP_RETRIES);
		line_str(t, " per snapshot), a majority is needed: not measured");
		return CHECK_FAIL;
	}
	if (x->kind == EXPECT_UNDECIDED) {
		u32 m, unknown = axis_unknown(sc->axis);

		line_str(t, "the expectation depends on the host ");
		line_str(t, axis_noun(sc->axis));
		line_str(t, " mode, unknown here: ");
		/* Every known mode's expectation: "none with EPT, exact:1 with ..." */
		for (m = 0; m < axis_columns(sc->axis); m++) {
			const struct expect *e = scenario_expect(sc, m);

			if (m == unknown)
				continue;
			if (m)
				line_str(t, ", ");
			line_str(t, expect_name(e->kind));
			if (e->kind != EXPECT_NONE) {
				line_char(t, ':');
				line_u64(t, e->kind == EXPECT_EXACT ? e->n : scenario_expected(e, iters));
			}
			line_str(t, " with ");
			line_str(t, axis_column_text(sc->axis, m));
		}
		line_str(t, "; measured ");
		line_u64(t, shown_count(s->exits));
		line_str(t, " exits of reason ");
		line_u64(t, sc->reason);
		return CHECK_SKIP;
	}
	/*
	 * Every valid sample must meet the expectation, not only the median:
	 * the expectations are intervals, so the range's two ends decide.
	 */
	ok = s->min >= 0 && expectation_met(x, iters, s->min) &&
	     expectation_met(x, iters, s->max);
	line_u64(t, shown_count(s->exits));
	line_str(t, " exits of reason ");
	line_u64(t, sc->reason);
	line_str(t, " for ");
	line_u64(t, iters);
	line_str(t, " iterations (");
	/* "none expected" already says what was wanted. */
	if (!ok && x->kind != EXPECT_NONE)
		line_str(t, "expected ");
	append_expect(t, x, iters);
	line_char(t, ')');
	if (s->min != s->max) {
		line_str(t, "; samples ranged ");
		line_u64(t, shown_count(s->min));
		line_str(t, "..");
		line_u64(t, shown_count(s->max));
		if (!ok)
			line_str(t, ", every sample must meet it");
	}
	if (s->min < 0)
		line_str(t, "; the counter went backwards");
	if (s->valid < s->samples) {
		line_str(t, "; ");
		line_u64(t, s->samples - s->valid);
		line_str(t, " of ");
		line_u64(t, s->samples);
		line_str(t, " samples had inconsistent snapshots, not used");
	}
	return ok ? CHECK_PASS : CHECK_FAIL;
}
