/* SPDX-License-Identifier: GPL-2.0 */
/* Who answers the leaves: a version 2 or 1 host, or why nobody does. */
#ifndef EXITSTAT_DETECT_H
#define EXITSTAT_DETECT_H

#include "reader.h"

enum host_kind {
	HOST_ABI2,		/* identification leaf with the signature */
	HOST_ABI1,		/* no signature, version 1 leaves answer plausibly */
	HOST_NO_HYPERVISOR,	/* CPUID.1:ECX[31] clear */
	HOST_AMD,		/* the patch is for Intel VMX only */
	HOST_UNPATCHED,		/* a hypervisor that does not answer the leaves */
};

enum host_scope { SCOPE_UNKNOWN, SCOPE_VM, SCOPE_HOST };

struct host_info {
	enum host_kind kind;
	uint32_t abi_version;		/* 2 (or later) or 1; 0 when unanswered */
	enum host_scope scope;
	int counting;			/* the counters move (ABI 2 flag; 1 on ABI 1) */
	uint32_t host_max_reason;	/* highest reason the host defines (ABI 2) */
	char vendor[13];
	char hypervisor[13];		/* signature of leaf 0x40000000, if any */
	char detail[200];		/* the evidence for kind, one sentence */
};

void host_detect(struct reader *rd, struct host_info *info);
const char *host_scope_name(enum host_scope scope);
/* What the counters cover, in words, for reports. */
const char *host_scope_meaning(enum host_scope scope);

#endif /* EXITSTAT_DETECT_H */
