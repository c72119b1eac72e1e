// SPDX-License-Identifier: GPL-2.0
/* --help: the modes, what is counted, and the usual questions, one command each. */
#include "exitcodes.h"
#include "help.h"

void help_print(FILE *out)
{
	fputs(
"Usage: exitstat [--json|--csv] [-s count|reason] [-a] [-o FILE]\n"
"       exitstat [OPTIONS] -i SECONDS [-n COUNT]\n"
"       exitstat [OPTIONS] [--] CMD [ARGS...]\n"
"\n"
"Reads the VM-exit counters of the exitprobe-patched KVM (Intel VMX) from\n"
"inside a Linux guest, through CPUID leaves. Needs no privilege.\n"
"\n"
"Modes:\n"
"  (none)               one snapshot: every SDM exit reason with count, cycles\n"
"                       and cycles per exit, and the totals, since the scope began\n"
"  [--] CMD [ARGS...]   run CMD; print the exits per reason between a snapshot\n"
"                       before and one after it, and its wall time\n"
"  -i, --interval=SECONDS  the exits per reason of each interval (0.001 to 86400)\n"
"  -n, --count=COUNT    with -i: stop after COUNT intervals (default: until ^C)\n"
"\n"
"Output:\n"
"  (default)            aligned text; a delta lists only reasons with exits\n"
"  --json               one JSON object (with -i: one per line, per interval)\n"
"  --csv                CSV with a header line, one row per reason and a total\n"
"  -s, --sort=KEY       \"reason\" (number, the default) or \"count\" (most first)\n"
"  -a, --all            list every reason in a delta too\n"
"  -o, --output=FILE    write the report to FILE, apart from CMD's own output\n"
"  -h, --help           this text        -V, --version   the version\n"
"\n"
"What is counted is the host's scope, read from its identification leaf:\n"
"  vm       the whole VM (every vCPU, every process): not exitstat or CMD alone\n"
"  host     every VM on the host\n"
"  unknown  a version 1 host (host-wide on the original patch)\n"
"Every CPUID exitstat executes is itself a CPUID exit, counted by the host: the\n"
"report says how many of the CPUID row and of the total are exitstat's own.\n"
"Counts are the low 32 bits of the host's counters, cycles host TSC cycles of\n"
"the exit handling. \"undefined\": the SDM defines no such reason; \"not\n"
"enabled\": KVM has no handler for it (told apart from 0 on ABI 2 hosts only).\n"
"\n"
"Questions, one command each:\n"
"  How many exits did this VM's boot take (by reason)?\n"
"      exitstat              (first thing in init, or as soon as you log in:\n"
"                             counters since the VM was created, scope vm)\n"
"  Which reasons are the most and the least frequent?\n"
"      exitstat --sort=count\n"
"  Is the exit rate stable when the guest is idle?\n"
"      exitstat -i 1 -n 10\n"
"  How many exits does one command cost?\n"
"      exitstat -- cp /tmp/big /tmp/copy\n"
"  EPT versus shadow paging? The guest cannot switch it: run the same command\n"
"  once on a host with kvm_intel.ept=1 and once with kvm_intel.ept=0, and\n"
"  compare the EPT_VIOLATION, EXCEPTION_NMI, INVLPG and CR_ACCESS rows:\n"
"      exitstat --csv -o ept.csv -- CMD        (then -o shadow.csv on the other)\n"
"\n", out);
	fprintf(out,
"Exit status: %d report written; %d the report could not be written;\n"
"%d bad command line; %d no hypervisor (bare metal or an emulator);\n"
"%d a hypervisor that does not answer the leaves (not the patched KVM);\n"
"%d an AMD CPU (the patch is for Intel VMX). With CMD, once CMD has run:\n"
"CMD's status (%d: not executable, %d: not found, 128+N: killed by signal N).\n",
		EXITSTAT_OK, EXITSTAT_ERROR, EXITSTAT_USAGE, EXITSTAT_NO_HYPERVISOR,
		EXITSTAT_UNPATCHED, EXITSTAT_AMD, EXITSTAT_CMD_NOT_EXECUTABLE,
		EXITSTAT_CMD_NOT_FOUND);
}
