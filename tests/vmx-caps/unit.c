// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the vmx-caps decoder and its input readers, on synthetic
 * MSR values whose expected decoding is worked out here by hand from the
 * SDM rules (Vol. 3D, Appendix A.3-A.5), not taken from decode.c. The
 * recorded Bochs values are checked by check-report.py.
 *
 * Usage: unit DATA_DIR TMP_DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "sources.h"

static int failures;

#define CHECK(name, cond, ...)                                     \
	do {                                                       \
		if (cond) {                                        \
			printf("PASS: %s\n", name);               \
		} else {                                           \
			printf("FAIL: %s: ", name);               \
			printf(__VA_ARGS__);                       \
			printf("\n");                              \
			failures++;                                \
		}                                                  \
	} while (0)

static void set(struct vmx_msrs *m, unsigned int msr, uint64_t v)
{
	m->value[msr - VMX_MSR_FIRST] = v;
	m->present |= 1u << (msr - VMX_MSR_FIRST);
}

/* --- field capabilities --------------------------------------------------- */

static void test_true_controls(void)
{
	struct vmx_msrs m = { .present = 0 };
	struct vmx_field_caps c;

	/* Without BASIC[55] the plain MSR counts even if a TRUE one reads. */
	set(&m, 0x480, 0);
	set(&m, 0x482, 0x8000008004006172ull);
	set(&m, 0x48e, 0x8000008004000000ull);
	vmx_field_caps(&m, VMX_FIELD_PROCBASED, &c);
	CHECK("caps-plain-msr", c.present && c.msr == 0x482 &&
	      c.must_be_1 == 0x04006172 && c.may_be_1 == 0x80000080,
	      "msr=0x%x must=0x%llx may=0x%llx", c.msr,
	      (unsigned long long)c.must_be_1, (unsigned long long)c.may_be_1);

	/* With BASIC[55] the TRUE MSR counts. */
	set(&m, 0x480, 1ull << 55);
	vmx_field_caps(&m, VMX_FIELD_PROCBASED, &c);
	CHECK("caps-true-msr", c.msr == 0x48e && c.must_be_1 == 0x04000000,
	      "msr=0x%x must=0x%llx", c.msr, (unsigned long long)c.must_be_1);

	/* Secondary controls exist only if bit 31 may be 1 (it may here). */
	set(&m, 0x48b, 0x0000000200000000ull);
	vmx_field_caps(&m, VMX_FIELD_PROCBASED2, &c);
	CHECK("caps-secondary-present", c.present && c.may_be_1 == 2,
	      "present=%d may=0x%llx", c.present, (unsigned long long)c.may_be_1);

	/* ... and not if it may not, whatever 0x48B reads. */
	set(&m, 0x48e, 0x0000008004000000ull);
	vmx_field_caps(&m, VMX_FIELD_PROCBASED2, &c);
	CHECK("caps-secondary-inactive", !c.present && c.may_be_1 == 0,
	      "present=%d", c.present);

	/* Tertiary: 64-bit allowed-1 mask, only with procbased bit 17. */
	set(&m, 0x48e, 0x0002008004000000ull);
	set(&m, 0x492, 0x8000000000000011ull);
	vmx_field_caps(&m, VMX_FIELD_PROCBASED3, &c);
	CHECK("caps-tertiary-64bit", c.present && c.must_be_1 == 0 &&
	      c.may_be_1 == 0x8000000000000011ull,
	      "present=%d may=0x%llx", c.present, (unsigned long long)c.may_be_1);

	/* An absent MSR (it faulted) means an absent field. */
	m.present &= ~(1u << (0x492 - VMX_MSR_FIRST));
	vmx_field_caps(&m, VMX_FIELD_PROCBASED3, &c);
	CHECK("caps-absent-msr", !c.present, "present=%d", c.present);

	/* Secondary exit controls: 64-bit, only with exit bit 31. */
	set(&m, 0x48f, 0x8000000000000000ull);
	set(&m, 0x493, 0x3ull);
	vmx_field_caps(&m, VMX_FIELD_EXIT2, &c);
	CHECK("caps-exit2", c.present && c.may_be_1 == 3, "present=%d may=0x%llx",
	      c.present, (unsigned long long)c.may_be_1);

	/* No BASIC, nothing. */
	m.present &= ~1u;
	vmx_field_caps(&m, VMX_FIELD_PINBASED, &c);
	CHECK("caps-no-basic", !c.present, "present=%d", c.present);
}

/* --- the table ------------------------------------------------------------ */

/*
 * A few rows checked against the SDM by hand (26.6.1, 26.6.2, Table C-1):
 * an edit that moves a bit or a reason in vmx-controls.def must fail here.
 */
static void test_table(void)
{
	static const struct {
		enum vmx_field field;
		unsigned int bit;
		int reason;
	} sdm[] = {
		{ VMX_FIELD_PINBASED, 0, 1 },	/* external-interrupt exiting */
		{ VMX_FIELD_PINBASED, 6, 52 },	/* VMX-preemption timer */
		{ VMX_FIELD_PROCBASED, 7, 12 },	/* HLT exiting */
		{ VMX_FIELD_PROCBASED, 12, 16 },	/* RDTSC exiting */
		{ VMX_FIELD_PROCBASED, 23, 29 },	/* MOV-DR exiting */
		{ VMX_FIELD_PROCBASED, 28, 31 },	/* use MSR bitmaps: RDMSR */
		{ VMX_FIELD_PROCBASED, 28, 32 },	/* ... and WRMSR */
		{ VMX_FIELD_PROCBASED2, 1, 48 },	/* enable EPT */
		{ VMX_FIELD_PROCBASED2, 6, 54 },	/* WBINVD exiting */
		{ VMX_FIELD_PROCBASED2, 17, 62 },	/* enable PML */
		{ VMX_FIELD_PROCBASED2, 30, 74 },	/* VMM bus-lock detection */
	};
	unsigned int i, j, k, dup = 0;

	for (i = 0; i < sizeof(sdm) / sizeof(sdm[0]); i++) {
		int found = 0;
		char name[64];

		for (j = 0; j < vmx_control_count; j++) {
			const struct vmx_control *c = &vmx_controls[j];

			if (c->field == sdm[i].field && c->bit == sdm[i].bit)
				found = c->reason[0] == sdm[i].reason ||
					c->reason[1] == sdm[i].reason;
		}
		snprintf(name, sizeof(name), "table-%s-bit%u-reason%d",
			 vmx_field_name(sdm[i].field), sdm[i].bit, sdm[i].reason);
		CHECK(name, found, "no such row in vmx-controls.def");
	}
	/* One row per (field, bit); bits within the field's width. */
	for (j = 0; j < vmx_control_count; j++) {
		const struct vmx_control *c = &vmx_controls[j];
		unsigned int width = c->field == VMX_FIELD_PROCBASED3 ||
				     c->field == VMX_FIELD_EXIT2 ? 64 : 32;

		dup += c->bit >= width;
		for (k = j + 1; k < vmx_control_count; k++)
			dup += vmx_controls[k].field == c->field && vmx_controls[k].bit == c->bit;
	}
	CHECK("table-unique-bits", dup == 0, "%u duplicate or out-of-range rows", dup);
	CHECK("table-reason-names", vmx_reason_name(12) && !strcmp(vmx_reason_name(12), "HLT") &&
	      vmx_reason_name(35) == NULL && vmx_reason_name(-1) == NULL &&
	      vmx_reason_name(1000) == NULL, "reason 12/35/-1/1000 names wrong");
}

/* --- the report ----------------------------------------------------------- */

struct capture {
	char text[65536];
	size_t len;
	unsigned int lines;
};

static void capture_line(void *ctx, const char *line)
{
	struct capture *c = ctx;
	size_t n = strlen(line);

	if (c->len + n + 2 < sizeof(c->text)) {
		memcpy(c->text + c->len, line, n);
		c->len += n;
		c->text[c->len++] = '\n';
		c->text[c->len] = '\0';
	}
	c->lines++;
}

static void test_report(void)
{
	static struct capture cap;
	struct vmx_msrs m = { .present = 0 };
	struct vmx_kvm_controls kvm = { .present = 0 };

	/* HLT exiting may be 1, MWAIT exiting may not; bit 1 is default-1. */
	set(&m, 0x480, 0);
	set(&m, 0x481, 0x0000001600000016ull);
	set(&m, 0x482, 0x0000008204000002ull);
	set(&m, 0x483, 0);
	set(&m, 0x484, 0);
	vmx_report(&m, NULL, VMX_FORMAT_TEXT, capture_line, &cap);
	CHECK("report-hlt-may", strstr(cap.text, "control: field=cpu_based bit=7 ident=HLT_EXITING "
		"name=\"HLT exiting\" may_be_1=yes must_be_1=no governs=only reasons=12 reason_names=HLT\n") != NULL,
	      "no HLT line as expected");
	CHECK("report-mwait-not", strstr(cap.text, "bit=10 ident=MWAIT_EXITING name=\"MWAIT exiting\" "
		"may_be_1=no") != NULL, "MWAIT line wrong");
	CHECK("report-unnamed-default1", strstr(cap.text,
		"unnamed_bit: field=cpu_based bit=1 may_be_1=yes must_be_1=yes\n") != NULL,
	      "default-1 bit 1 not reported");
	CHECK("report-reason-hlt", strstr(cap.text,
		"reason: nr=12 name=HLT governed_by=cpu_based.HLT_EXITING gate=governed possible=yes\n") != NULL,
	      "reason 12 line wrong");
	CHECK("report-reason-mwait", strstr(cap.text,
		"reason: nr=36 name=MWAIT governed_by=cpu_based.MWAIT_EXITING gate=governed possible=no\n") != NULL,
	      "reason 36 line wrong");
	CHECK("report-reason-cpuid", strstr(cap.text,
		"reason: nr=10 name=CPUID governed_by=- gate=unconditional possible=-\n") != NULL,
	      "reason 10 line wrong");
	CHECK("report-no-secondary", strstr(cap.text,
		"field: name=secondary present=no") != NULL, "secondary should be absent");

	/* KVM on: HLT exiting set; MWAIT set although not allowed. */
	memset(&cap, 0, sizeof(cap));
	kvm.present = 1u << VMX_FIELD_PROCBASED;
	kvm.value[VMX_FIELD_PROCBASED] = 0x80 | 0x400 | 0x04000002;
	vmx_report(&m, &kvm, VMX_FORMAT_TEXT, capture_line, &cap);
	CHECK("report-kvm-hlt", strstr(cap.text, "reasons=12 reason_names=HLT kvm=yes\n") != NULL,
	      "HLT not kvm=yes");
	CHECK("report-kvm-disallowed", strstr(cap.text, "field: name=cpu_based present=yes msr=0x482 "
		"must_be_1=0x04000002 may_be_1=0x00000082 kvm_value=0x04000482 kvm_allowed=no\n") != NULL,
	      "MWAIT on but not allowed: kvm_allowed should be no");
	CHECK("report-kvm-reason", strstr(cap.text,
		"reason: nr=12 name=HLT governed_by=cpu_based.HLT_EXITING gate=governed possible=yes kvm_enabled=yes\n") != NULL,
	      "reason 12 kvm_enabled wrong");
	CHECK("report-kvm-unknown-field", strstr(cap.text,
		"reason: nr=48 name=EPT_VIOLATION governed_by=secondary.ENABLE_EPT,"
		"secondary.EPT_VIOLATION_VE gate=governed possible=no kvm_enabled=-\n") != NULL,
	      "reason 48 without KVM's secondary controls should be kvm_enabled=-");
	CHECK("report-kvm-unconditional", strstr(cap.text,
		"reason: nr=10 name=CPUID governed_by=- gate=unconditional possible=- kvm_enabled=yes\n") != NULL,
	      "reason 10 (no control) should be gate=unconditional kvm_enabled=yes");
}

/* --- input files ----------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(2);
	}
}

static void test_kvm_file(const char *data, const char *tmp)
{
	static const struct {
		const char *name, *text, *error;
	} bad[] = {
		{ "kvm-unknown-field", "pin_based 0x16\nsecondry 0x2\n", ":2: unknown control field 'secondry'" },
		{ "kvm-duplicate", "cpu_based 0x1\ncpu_based 0x2\n", ":2: cpu_based given twice" },
		{ "kvm-too-wide", "vmexit 0x100000000\n", ":1: vmexit is a 32-bit field" },
		{ "kvm-not-hex", "vmentry 1234\n", ":1: expected \"NAME 0xVALUE\"" },
		{ "kvm-extra-token", "vmentry 0x1 0x2\n", ":1: expected" },
		{ "kvm-empty", "# nothing\n\n", "no control field" },
	};
	struct vmx_kvm_controls k;
	char path[4096], err[VC_ERR_LEN];
	unsigned int i;
	int rc;

	snprintf(path, sizeof(path), "%s/kvm-sample.txt", data);
	rc = vc_read_kvm_file(path, &k, err, sizeof(err));
	CHECK("kvm-sample", rc == 0 &&
	      k.present == ((1u << VMX_FIELD_PINBASED) | (1u << VMX_FIELD_PROCBASED) |
			    (1u << VMX_FIELD_PROCBASED2) | (1u << VMX_FIELD_EXIT) |
			    (1u << VMX_FIELD_ENTRY)) &&
	      k.value[VMX_FIELD_PINBASED] == 0x7f && k.value[VMX_FIELD_PROCBASED] == 0xb5a06dfa &&
	      k.value[VMX_FIELD_PROCBASED2] == 0x235ef && k.value[VMX_FIELD_EXIT] == 0x3fefff &&
	      k.value[VMX_FIELD_ENTRY] == 0xd3ff,
	      "rc=%d present=0x%x err=%s", rc, k.present, rc ? err : "");

	/* The 64-bit fields take 64-bit values; a directory means DIR/vmx_controls. */
	snprintf(path, sizeof(path), "%s/vmx_controls", tmp);
	write_file(path, "tertiary 0x8000000000000010\r\nsecondary_vmexit 0x3 # FRED\n");
	rc = vc_read_kvm_file(tmp, &k, err, sizeof(err));
	CHECK("kvm-dir-64bit", rc == 0 && k.value[VMX_FIELD_PROCBASED3] == 0x8000000000000010ull &&
	      k.value[VMX_FIELD_EXIT2] == 3, "rc=%d err=%s", rc, rc ? err : "");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k.present = 0xdead;
		snprintf(path, sizeof(path), "%s/%s", tmp, bad[i].name);
		write_file(path, bad[i].text);
		rc = vc_read_kvm_file(path, &k, err, sizeof(err));
		/* An error names the file and line, and leaves *k alone. */
		CHECK(bad[i].name, rc == VC_EXIT_BAD_INPUT && strstr(err, bad[i].error) &&
		      strstr(err, path) && k.present == 0xdead, "rc=%d err=%s", rc, err);
	}
	rc = vc_read_kvm_file("/nonexistent/vmx_controls", &k, err, sizeof(err));
	CHECK("kvm-missing", rc == VC_EXIT_BAD_INPUT && strstr(err, "patched KVM"),
	      "rc=%d err=%s", rc, err);
}

static void test_msrs_file(const char *tmp)
{
	static const struct {
		const char *name, *text, *error;
	} bad[] = {
		{ "msrs-out-of-range", "0x480 0x1\n0x494 0x0\n", ":2: MSR 0x494 is not a VMX capability MSR" },
		{ "msrs-twice", "0x480 0x1\n0x480 0x1\n", ":2: MSR 0x480 given twice" },
		{ "msrs-garbage", "0x480 zero\n", ":1: expected" },
		{ "msrs-no-basic", "0x481 0x1\n", "no value for IA32_VMX_BASIC" },
		{ "msrs-overflow", "0x480 0x10000000000000000\n", ":1: expected" },
	};
	struct vmx_msrs m;
	char path[4096], err[VC_ERR_LEN];
	unsigned int i;
	int rc;

	snprintf(path, sizeof(path), "%s/good.msrs", tmp);
	write_file(path, "# c\n0x480 0xffffffffffffffff\n0x492 absent\n\n0x48B 0x5\n");
	rc = vc_read_msrs_file(path, &m, err, sizeof(err));
	CHECK("msrs-good", rc == 0 && m.present == ((1u << 0) | (1u << 0xb)) &&
	      m.value[0] == ~0ull && m.value[0xb] == 5, "rc=%d present=0x%x", rc, m.present);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.present = 0xdead;
		snprintf(path, sizeof(path), "%s/%s", tmp, bad[i].name);
		write_file(path, bad[i].text);
		rc = vc_read_msrs_file(path, &m, err, sizeof(err));
		CHECK(bad[i].name, rc == VC_EXIT_BAD_INPUT && strstr(err, bad[i].error) &&
		      m.present == 0xdead, "rc=%d err=%s", rc, err);
	}
}

/*
 * A regular file read the way /dev/cpu/N/msr is: 8 bytes at offset = MSR
 * index. In a file those windows overlap, so byte j holds j & 0xff and
 * MSR i reads the little-endian bytes i..i+7.
 */
static void test_msr_dev(const char *tmp)
{
	struct vmx_msrs m;
	char path[4096], err[VC_ERR_LEN];
	unsigned int j;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/fake-msr", tmp);
	f = fopen(path, "w");
	if (!f || fseek(f, VMX_MSR_FIRST, SEEK_SET)) {
		perror(path);
		exit(2);
	}
	for (j = VMX_MSR_FIRST; j < VMX_MSR_LAST + 8; j++)
		fputc((int)(j & 0xff), f);
	if (fclose(f)) {
		perror(path);
		exit(2);
	}
	rc = vc_read_msr_dev(path, 0, &m, err, sizeof(err));
	CHECK("dev-read", rc == 0 && m.present == (1u << VMX_MSR_COUNT) - 1 &&
	      m.value[0] == 0x8786858483828180ull && m.value[19] == 0x9a99989796959493ull,
	      "rc=%d present=0x%x v0=0x%llx", rc, m.present, (unsigned long long)m.value[0]);

	/* Cut short: the last MSR cannot be read whole. */
	if (truncate(path, VMX_MSR_LAST + 7)) {
		perror(path);
		exit(2);
	}
	rc = vc_read_msr_dev(path, 0, &m, err, sizeof(err));
	CHECK("dev-short", rc == VC_EXIT_NO_MSR && strstr(err, "MSR 0x493: short read"),
	      "rc=%d err=%s", rc, err);

	rc = vc_read_msr_dev("/nonexistent/msr", 0, &m, err, sizeof(err));
	CHECK("dev-missing", rc == VC_EXIT_NO_MSR && strstr(err, "/nonexistent/msr"),
	      "rc=%d err=%s", rc, err);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: unit DATA_DIR TMP_DIR\n");
		return 2;
	}
	test_true_controls();
	test_table();
	test_report();
	test_kvm_file(argv[1], argv[2]);
	test_msrs_file(argv[2]);
	test_msr_dev(argv[2]);
	return failures ? 1 : 0;
}
