// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "detect.h"
#include "exitprobe-abi.h"
#include "reasons.h"

/* CPUID.1:ECX bit 31: set by hypervisors, reserved (0) on bare metal. */
#define CPUID1_ECX_HYPERVISOR	(1u << 31)
#define CPUID_HYPERVISOR_BASE	0x40000000u

/*
 * A version 1 host counts every exit in leaf 0x4FFFFFFF, so two reads in a
 * row differ by at least the first read's own exit; anything up to this is
 * other activity in the scope between the reads, more is not a counter.
 */
#define ABI1_PLAUSIBLE_GROWTH	0x10000u

static void regs_to_str(char out[13], uint32_t a, uint32_t b, uint32_t c)
{
	size_t i;

	memcpy(out, &a, 4);
	memcpy(out + 4, &b, 4);
	memcpy(out + 8, &c, 4);
	out[12] = '\0';
	/* Shown in messages: keep them printable. */
	for (i = 0; i < 12; i++)
		if (out[i] && (out[i] < 0x20 || out[i] > 0x7e))
			out[i] = '?';
}

static int regs_equal(const struct cpuid_regs *x, const struct cpuid_regs *y)
{
	return x->eax == y->eax && x->ebx == y->ebx && x->ecx == y->ecx && x->edx == y->edx;
}

static int detect_abi2(struct reader *rd, struct host_info *info)
{
	struct cpuid_regs id;

	reader_cpuid(rd, EXITPROBE_LEAF_IDENT, 0, &id);
	if (id.ebx != EXITPROBE_SIGNATURE || id.eax < EXITPROBE_ABI_VERSION)
		return 0;
	info->kind = HOST_ABI2;
	info->abi_version = id.eax;
	info->scope = id.ecx == EXITPROBE_SCOPE_VM ? SCOPE_VM :
		      id.ecx == EXITPROBE_SCOPE_HOST ? SCOPE_HOST : SCOPE_UNKNOWN;
	info->counting = !!(id.edx & EXITPROBE_FLAG_COUNTING);
	info->host_max_reason = EXITPROBE_IDENT_MAX_REASON(id.edx);
	snprintf(info->detail, sizeof(info->detail),
		 "leaf 0x%08x answers the exitprobe signature, ABI version %u, scope %s",
		 EXITPROBE_LEAF_IDENT, id.eax, host_scope_name(info->scope));
	return 1;
}

/*
 * No signature: the original patch answers only the version 1 leaves. The
 * same test as the probe's (probe-os/main.c): an unpatched KVM (or QEMU)
 * answers a leaf above its range with the highest basic leaf, and its
 * answers do not grow; a patched one counts, so 0x4FFFFFFF grows between
 * two reads and has edx = 0. Added here: 0x4FFFFFFD must give
 * edx = 0xFFFFFFFF for a reason the SDM leaves undefined, as the ABI says.
 */
static int detect_abi1(struct reader *rd, struct host_info *info, uint32_t max_basic)
{
	struct cpuid_regs top, t1, t2, undef;
	uint32_t undefined_nr = reason_first_undefined();
	uint32_t grew;
	int echoes;

	reader_cpuid(rd, max_basic, 0, &top);
	reader_cpuid(rd, EXITPROBE_LEAF_TOTAL, 0, &t1);
	reader_cpuid(rd, EXITPROBE_LEAF_TOTAL, 0, &t2);
	reader_cpuid(rd, EXITPROBE_LEAF_COUNT, undefined_nr, &undef);
	grew = t2.eax - t1.eax;
	echoes = regs_equal(&t1, &top);
	if (grew >= 1 && grew < ABI1_PLAUSIBLE_GROWTH && !echoes && t1.edx == 0 &&
	    undef.edx == EXITPROBE_UNDEFINED) {
		info->kind = HOST_ABI1;
		info->abi_version = 1;
		info->scope = SCOPE_UNKNOWN;
		info->counting = 1;
		snprintf(info->detail, sizeof(info->detail),
			 "no signature in leaf 0x%08x; leaf 0x%08x grew by %u between two reads "
			 "and leaf 0x%08x calls reason %u undefined: ABI version 1",
			 EXITPROBE_LEAF_IDENT, EXITPROBE_LEAF_TOTAL, grew,
			 EXITPROBE_LEAF_COUNT, undefined_nr);
		return 1;
	}
	snprintf(info->detail, sizeof(info->detail),
		 "no signature in leaf 0x%08x, and leaf 0x%08x %s",
		 EXITPROBE_LEAF_IDENT, EXITPROBE_LEAF_TOTAL,
		 echoes ? "echoes the highest basic leaf" :
		 grew == 0 ? "does not grow between two reads" :
		 grew >= ABI1_PLAUSIBLE_GROWTH || t1.edx ? "answers values that are not counters" :
		 "grows, but leaf 0x4ffffffd does not call an undefined reason undefined");
	return 0;
}

void host_detect(struct reader *rd, struct host_info *info)
{
	struct cpuid_regs r;
	uint32_t max_basic;
	int hypervisor;
	char why[sizeof(info->detail)];

	memset(info, 0, sizeof(*info));
	reader_cpuid(rd, 0, 0, &r);
	max_basic = r.eax;
	regs_to_str(info->vendor, r.ebx, r.edx, r.ecx);
	reader_cpuid(rd, 1, 0, &r);
	hypervisor = !!(r.ecx & CPUID1_ECX_HYPERVISOR);
	if (hypervisor) {
		reader_cpuid(rd, CPUID_HYPERVISOR_BASE, 0, &r);
		regs_to_str(info->hypervisor, r.ebx, r.ecx, r.edx);
	}

	/* An answer with the signature settles it, whatever the CPU says. */
	if (detect_abi2(rd, info) || detect_abi1(rd, info, max_basic))
		return;

	/* Nobody answers: say why, most fundamental reason first. */
	memcpy(why, info->detail, sizeof(why));
	if (!hypervisor) {
		info->kind = HOST_NO_HYPERVISOR;
		snprintf(info->detail, sizeof(info->detail),
			 "CPUID.1:ECX[31] (hypervisor present) is clear: bare metal or an emulator, no VM exits to count");
	} else if (!strcmp(info->vendor, "AuthenticAMD") || !strcmp(info->vendor, "HygonGenuine")) {
		info->kind = HOST_AMD;
		snprintf(info->detail, sizeof(info->detail),
			 "the CPU is %s (hypervisor \"%s\"): the exitprobe host patch is for Intel VMX only",
			 info->vendor, info->hypervisor);
	} else {
		info->kind = HOST_UNPATCHED;
		snprintf(info->detail, sizeof(info->detail), "hypervisor \"%s\": %.160s",
			 info->hypervisor, why);
	}
}

const char *host_scope_name(enum host_scope scope)
{
	switch (scope) {
	case SCOPE_VM:
		return "vm";
	case SCOPE_HOST:
		return "host";
	default:
		return "unknown";
	}
}

const char *host_scope_meaning(enum host_scope scope)
{
	switch (scope) {
	case SCOPE_VM:
		return "the exits of this whole VM (all its vCPUs, every process), not of exitstat alone";
	case SCOPE_HOST:
		return "the exits of every VM on the host, not of this VM alone";
	default:
		return "a version 1 host does not say; host-wide (every VM) on the original patch";
	}
}
