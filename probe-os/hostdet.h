/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine as the probe found it before measuring (hostdet.c), shared
 * with main.c, which runs the scenarios against it.
 */
#ifndef PROBE_HOSTDET_H
#define PROBE_HOSTDET_H

#include "types.h"
#include "scenarios.h"
#include "hostctr.h"

extern struct probe_env env;
/* What the identification leaf said; version 0 without one. */
extern struct host_abi abi;
/* A patched host whose counters move: the scenarios read the leaves. */
extern int counting;
/* What every count-based SKIP says; the host: line has the full detail. */
extern const char *host_skip_text;
/* CPUID 0x40000000 eax; 0 without a hypervisor. */
extern u32 hv_max_leaf;

/* The cpu: record, and the CPUID words struct probe_env keeps. */
void report_cpu(void);
/* The hypervisor: and host: records: who answers the leaves, and the host
 * settings observed with one try each (needs the PIT and the IDT set up). */
void detect_host(void);

#endif
