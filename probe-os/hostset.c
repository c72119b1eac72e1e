// SPDX-License-Identifier: GPL-2.0
#include "hostset.h"
#include "fmt.h"

enum gate_state gate_decide(u32 exits, u32 tries)
{
	if (!tries)
		return GATE_NA;
	return exits ? GATE_EXITS : GATE_OFF;
}

const char *gate_name(enum gate_state g)
{
	switch (g) {
	case GATE_EXITS: return "yes";
	case GATE_OFF: return "no";
	default: return "-";
	}
}

const struct expect *host_expect(const struct scenario *sc, const struct probe_env *e)
{
	static const struct expect none = { EXPECT_NONE, 0 };

	if (sc->gate != GATE_ALWAYS && sc->gate < EXIT_GATES &&
	    e->gate[sc->gate] == GATE_OFF)
		return &none;
	return scenario_expect(sc, scenario_mode(sc, e));
}

void pmu_describe(u32 max_basic, u32 l0a_eax, char *out, u32 size)
{
	struct line l;

	line_reset(&l);
	if (max_basic < 0xa || !(l0a_eax & 0xff)) {
		line_str(&l, "none");
	} else {
		line_char(&l, 'v');
		line_u64(&l, l0a_eax & 0xff);
		line_char(&l, ':');
		line_u64(&l, (l0a_eax >> 8) & 0xff);
	}
	line_copy(&l, out, size);
}
