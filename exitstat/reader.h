/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every CPUID exitstat executes goes through here and is counted: inside a
 * VM each one is itself a CPUID exit, which the host counts at the next
 * read. Knowing how many we did lets the reports say how much of the CPUID
 * row is exitstat itself.
 */
#ifndef EXITSTAT_READER_H
#define EXITSTAT_READER_H

#include "host.h"

struct reader {
	const struct host_ops *ops;
	uint64_t cpuids;	/* CPUID instructions executed so far */
};

static inline void reader_cpuid(struct reader *rd, uint32_t leaf, uint32_t subleaf,
				struct cpuid_regs *out)
{
	rd->ops->cpuid(leaf, subleaf, out);
	rd->cpuids++;
}

#endif /* EXITSTAT_READER_H */
