/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe-log parser: reads an exitprobe serial log (docs/serial-log.md,
 * format versions 1 and 2) into a structured log, or fails with one error naming
 * the line and the reason. The commands (check, diff, table, plot) only ever
 * see a fully validated struct pl_log.
 */
#ifndef PROBE_LOG_PARSE_H
#define PROBE_LOG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "exitprobe-abi.h"	/* SDM_EXIT_REASON_MAX */

#define PL_FORMAT	2		/* the newest log format version we read */
#define PL_FORMAT_MIN	1		/* the oldest */
#define PL_MAX_LINE	4096		/* longest record line accepted */
#define PL_MAX_INPUT	(64u << 20)	/* largest log file accepted */

/* A measured number: set=false for "-" (not measured). */
struct pl_num {
	bool set;
	uint64_t v;
};

enum pl_counting { PL_COUNTING_PATCHED, PL_COUNTING_UNPATCHED, PL_COUNTING_NONE };
enum pl_class { PL_CLASS_SYNC, PL_CLASS_ASYNC, PL_CLASS_UNDEFINED };
enum pl_result { PL_PASS, PL_FAIL, PL_SKIP };
/* host: paging= (docs/serial-log.md); ABSENT: a log from before the field. */
enum pl_paging { PL_PAGING_ABSENT, PL_PAGING_EPT, PL_PAGING_SHADOW, PL_PAGING_UNKNOWN,
		 PL_PAGING_NA };
enum pl_expect { PL_EXPECT_EXACT, PL_EXPECT_ATLEAST, PL_EXPECT_ATMOST, PL_EXPECT_NONE };

struct pl_scenario {
	unsigned line;
	char *id;
	uint64_t reason;
	char *name;
	char *insn;
	uint64_t iters;
	char *expect;			/* as written, e.g. "exact:1" */
	enum pl_expect expect_kind;
	uint64_t expect_n;
	struct pl_num exits;
	struct pl_num per_iter;		/* thousandths */
	struct pl_num other;
	struct pl_num host_cycles;
	struct pl_num guest_cycles;
	/* added within format 1: volatile; absent in logs of probe < 0.3 */
	bool has_async;
	struct pl_num async;
	/* added within format 1: volatile; absent in logs of probe < 0.4 */
	bool has_retries;
	struct pl_num retries;
	/* format 2: the range of the valid samples' counts, and the samples
	 * the cycle figures come from; has_range false in format 1 */
	bool has_range;
	struct pl_num min, max, clean;
	char *raw;			/* the whole record line */
};

struct pl_check {
	unsigned line;
	enum pl_result result;
	char *name;
	char *text;			/* everything after "NAME: " */
};

struct pl_sweep {
	unsigned line;
	uint64_t reason;
	char *name;
	char *class_word;
	enum pl_class cls;
	struct pl_num count;
	struct pl_num cycles;
	struct pl_num abs_count;
	struct pl_num abs_cycles;
	struct pl_num edx;		/* "-" without a patched host */
	/* format 2: the probe's own exits of the reason in the window, taken
	 * out of count (its UART accesses, reason 30); has_own false in 1 */
	bool has_own;
	struct pl_num own;
	char *raw;			/* the whole record line */
};

struct pl_log {
	unsigned begin_line, end_line, summary_line;
	unsigned header_line[5];	/* cpu, hypervisor, host, config, calibration */
	/* exitprobe-begin */
	uint64_t format;
	char *probe;
	/* cpu: */
	char *vendor;
	uint64_t family, model, stepping;
	char *brand;			/* NULL for "-" */
	/* hypervisor: */
	char *hv_signature;
	struct pl_num hv_max_leaf;
	/* host: */
	char *counting_word;
	enum pl_counting counting;
	char *host_detail;
	/* paging, paging_detail: added within format 1, NULL in older logs */
	char *paging_word;
	enum pl_paging paging;
	char *paging_detail;
	/* abi, scope, exit_stats: added within format 1 (probe 0.4), NULL
	 * in older logs; exit_stats=off: patched, but the counters stand still */
	char *abi_word, *scope_word, *exit_stats_word;
	bool counting_off;
	/* format 2: host settings observed before measuring (NULL in format 1) */
	char *hlt_exits_word, *mwait_exits_word, *pause_exits_word, *pmu_word, *nested_word;
	struct pl_num max_reason;
	/* config: budget, format 2 (0 in format 1) */
	uint64_t budget;
	/* calibration: tsc_hz, tsc_source, format 2 (NULL source in format 1) */
	struct pl_num tsc_hz;
	char *tsc_source;
	/* host: apic= (issue 10), NULL when absent: flexpriority, apicv,
	 * none, unknown or - */
	char *apic_word;
	/* host: umip_exits= (format 2, issue 10), NULL when absent */
	char *umip_exits_word;
	/* host: rdrand_exits=, rdseed_exits= (with umip_exits) */
	char *rdrand_exits_word, *rdseed_exits_word;
	/* config: */
	uint64_t iters, samples;
	/* coverage: (format 2): the reasons the probe caused and checked */
	unsigned coverage_line;
	uint64_t coverage_reasons;
	char *coverage_list;
	bool covered[SDM_EXIT_REASON_MAX + 1];
	/* calibration: */
	struct pl_num cal_query_exits, cal_query_cycles, cal_guest_cycles;

	struct pl_scenario *scen;
	size_t nscen, scen_cap;
	struct pl_check *checks;
	size_t nchecks, checks_cap;
	struct pl_sweep *sweep;
	size_t nsweep, sweep_cap;

	/*
	 * The probe stopped early (a panic: FAIL: then SUMMARY:): header
	 * records or the sweep are missing. Only valid with failed checks.
	 */
	bool early;
	/* SUMMARY: (validated against the check lines) */
	uint64_t passed, failed, skipped;
	/* exitprobe-end */
	char *result_word;
	enum pl_result result;
	uint64_t exit_code;
};

struct pl_error {
	unsigned line;		/* 0: not about one line */
	bool truncated;		/* the log ends before exitprobe-end */
	char msg[320];
};

/*
 * Parse LEN bytes at BUF (need not be NUL-terminated, may hold any bytes).
 * Returns 0 and fills LOG, or -1 and fills ERR. Either way the caller owns
 * LOG and must pl_free() it.
 */
int pl_parse(const char *buf, size_t len, struct pl_log *log, struct pl_error *err);
void pl_free(struct pl_log *log);

/* The SDM table (common/sdm-exit-reasons.def). */
struct pl_sdm_reason {
	unsigned nr;
	const char *ident;
	bool async;
	const char *desc;
};
const struct pl_sdm_reason *pl_sdm_lookup(uint64_t nr);

const char *pl_result_word(enum pl_result r);	/* "PASS", "FAIL", "SKIP" */

/*
 * Whether KEY is a field of the record TAG ("cpu", "scenario", "sweep"...,
 * without the colon; NULL: of any record), and whether TAG names a record
 * with fields. From the parser's own field tables.
 */
bool pl_known_field(const char *tag, const char *key);
bool pl_known_record(const char *tag);

#endif /* PROBE_LOG_PARSE_H */
