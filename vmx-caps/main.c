// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-caps: what this CPU's VMX can do. Reads the VMX capability MSRs
 * (from /dev/cpu/N/msr, or from a file of recorded values) and prints the
 * decoded report (decode.c) as text or JSON. docs/vmx-caps.md.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources.h"

static const char usage[] =
	"usage: vmx-caps [--json] [--cpu N | --msrs FILE | --dev PATH] [--kvm [PATH]]\n"
	"\n"
	"Decode the VMX capability MSRs (0x480-0x493): every control bit, whether\n"
	"it may or must be 1, and the exit reasons it governs.\n"
	"\n"
	"  --json        one JSON array of records instead of text lines\n"
	"  --cpu N       read CPU N's MSRs through /dev/cpu/N/msr (default 0;\n"
	"                loads the msr module when needed; needs root)\n"
	"  --msrs FILE   decode recorded values instead (\"0xADDR 0xVALUE\" or\n"
	"                \"0xADDR absent\" per line; tests/vmx-caps/msrs/)\n"
	"  --dev PATH    read a file laid out like /dev/cpu/N/msr (no CPUID check)\n"
	"  --kvm [PATH]  also say which controls KVM has on, from PATH (a file of\n"
	"                \"NAME 0xVALUE\" lines, or the directory holding\n"
	"                vmx_controls); default " VC_KVM_DEFAULT "\n"
	"  -h, --help    this text\n"
	"\n"
	"Exit status: 0 report printed; 1 bad arguments or input file; 2 this CPU\n"
	"has no VMX (CPUID.1:ECX.VMX = 0); 3 the msr driver/device is unavailable;\n"
	"4 the msr device is there but access is denied (not root).\n";

struct options {
	enum vmx_format format;
	const char *cpu;
	const char *msrs_file;
	const char *dev;
	const char *kvm;
};

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	puts(line);
}

static int bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "vmx-caps: %s%s\n%s", msg, arg ? arg : "", usage);
	return VC_EXIT_BAD_INPUT;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int i, sources = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			exit(VC_EXIT_OK);
		} else if (!strcmp(a, "--json")) {
			o->format = VMX_FORMAT_JSON;
		} else if (!strcmp(a, "--cpu") || !strcmp(a, "--msrs") || !strcmp(a, "--dev")) {
			if (i + 1 >= argc)
				return bad_usage("missing argument to ", a);
			sources++;
			if (!strcmp(a, "--cpu")) {
				const char *n = argv[++i];

				if (!*n || strspn(n, "0123456789") != strlen(n) || strlen(n) > 6)
					return bad_usage("--cpu takes a CPU number, not ", n);
				o->cpu = n;
			} else if (!strcmp(a, "--msrs")) {
				o->msrs_file = argv[++i];
			} else {
				o->dev = argv[++i];
			}
		} else if (!strcmp(a, "--kvm")) {
			/* The path is optional: take the next word unless it is an option. */
			if (i + 1 < argc && argv[i + 1][0] != '-')
				o->kvm = argv[++i];
			else
				o->kvm = VC_KVM_DEFAULT;
		} else if (!strncmp(a, "--kvm=", 6) && a[6]) {
			o->kvm = a + 6;
		} else {
			return bad_usage("unknown argument ", a);
		}
	}
	if (sources > 1)
		return bad_usage("give one of --cpu, --msrs, --dev", NULL);
	return VC_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct options o = { .format = VMX_FORMAT_TEXT, .cpu = "0" };
	struct vmx_kvm_controls kvm;
	struct vmx_msrs msrs;
	char err[VC_ERR_LEN] = "";
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;

	if (o.msrs_file) {
		rc = vc_read_msrs_file(o.msrs_file, &msrs, err, sizeof(err));
	} else if (o.dev) {
		rc = vc_read_msr_dev(o.dev, 0, &msrs, err, sizeof(err));
	} else {
		char path[64];

		/* No VMX, no capability MSRs: say so before asking for root. */
		rc = vc_check_vmx(err, sizeof(err));
		if (!rc) {
			snprintf(path, sizeof(path), "/dev/cpu/%s/msr", o.cpu);
			rc = vc_read_msr_dev(path, 1, &msrs, err, sizeof(err));
		}
	}
	if (!rc && o.kvm)
		rc = vc_read_kvm_file(o.kvm, &kvm, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "vmx-caps: %s\n", err);
		return rc;
	}

	vmx_report(&msrs, o.kvm ? &kvm : NULL, o.format, print_line, NULL);
	if (fflush(stdout) || ferror(stdout)) {
		perror("vmx-caps: writing the report");
		return VC_EXIT_BAD_INPUT;
	}
	return VC_EXIT_OK;
}
