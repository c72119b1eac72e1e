// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-caps: the two text inputs, recorded MSR values (--msrs) and the
 * controls KVM uses (--kvm). Both are "KEY VALUE" lines with # comments;
 * every error names FILE:LINE and nothing is half-read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sources.h"

#define LINE_LEN 256

/* A hexadecimal number with 0x, the whole token, at most 64 bits. */
static int parse_hex(const char *s, uint64_t *v)
{
	char *end;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return -1;
	errno = 0;
	*v = strtoull(s + 2, &end, 16);
	if (errno || *end || s[2] == '-' || s[2] == '+')
		return -1;
	return 0;
}

/*
 * Split a line into exactly two blank-separated tokens. Returns 0 for a
 * blank or comment line, 2 for two tokens, -1 otherwise.
 */
static int split2(char *line, char **a, char **b)
{
	char *rest, *extra;

	line[strcspn(line, "#\r\n")] = '\0';
	*a = strtok_r(line, " \t", &rest);
	if (!*a)
		return 0;
	*b = strtok_r(NULL, " \t", &rest);
	extra = strtok_r(NULL, " \t", &rest);
	return *b && !extra ? 2 : -1;
}

/* fgets that notices a line longer than the buffer. */
static int read_line(FILE *f, char *buf, size_t len, int *too_long)
{
	if (!fgets(buf, (int)len, f))
		return 0;
	*too_long = !strchr(buf, '\n') && !feof(f);
	return 1;
}

int vc_read_msrs_file(const char *path, struct vmx_msrs *out, char *err, size_t len)
{
	struct vmx_msrs m = { .present = 0 };
	uint32_t seen = 0;
	char buf[LINE_LEN], *k, *v;
	int lineno = 0, too_long;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return VC_EXIT_BAD_INPUT;
	}
	while (read_line(f, buf, sizeof(buf), &too_long)) {
		uint64_t addr, value;
		unsigned int i;
		int n;

		lineno++;
		if (too_long) {
			snprintf(err, len, "%s:%d: line too long", path, lineno);
			goto bad;
		}
		n = split2(buf, &k, &v);
		if (n == 0)
			continue;
		if (n < 0 || parse_hex(k, &addr) ||
		    (strcmp(v, "absent") && parse_hex(v, &value))) {
			snprintf(err, len,
				 "%s:%d: expected \"0xADDR 0xVALUE\" or \"0xADDR absent\"",
				 path, lineno);
			goto bad;
		}
		if (addr < VMX_MSR_FIRST || addr > VMX_MSR_LAST) {
			snprintf(err, len, "%s:%d: MSR 0x%" PRIx64
				 " is not a VMX capability MSR (0x%x-0x%x)",
				 path, lineno, addr, VMX_MSR_FIRST, VMX_MSR_LAST);
			goto bad;
		}
		i = (unsigned int)(addr - VMX_MSR_FIRST);
		if (seen & (1u << i)) {
			snprintf(err, len, "%s:%d: MSR 0x%" PRIx64 " given twice",
				 path, lineno, addr);
			goto bad;
		}
		seen |= 1u << i;
		if (strcmp(v, "absent")) {
			m.value[i] = value;
			m.present |= 1u << i;
		}
	}
	if (ferror(f)) {
		snprintf(err, len, "%s: read error", path);
		goto bad;
	}
	fclose(f);
	if (!(m.present & 1u)) {
		snprintf(err, len, "%s: no value for IA32_VMX_BASIC (0x480)", path);
		return VC_EXIT_BAD_INPUT;
	}
	*out = m;
	return VC_EXIT_OK;
bad:
	fclose(f);
	return VC_EXIT_BAD_INPUT;
}

int vc_read_kvm_file(const char *path, struct vmx_kvm_controls *out, char *err, size_t len)
{
	struct vmx_kvm_controls k = { .present = 0 };
	char file[4096], buf[LINE_LEN], *name, *v;
	int lineno = 0, too_long;
	struct stat st;
	FILE *f;

	/* A directory is KVM's debugfs directory: the file is in it. */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(file, sizeof(file), "%s/vmx_controls", path);
	else
		snprintf(file, sizeof(file), "%s", path);
	f = fopen(file, "r");
	if (!f) {
		snprintf(err, len, "%s: %s%s", file, strerror(errno),
			 errno == ENOENT ? " (is the patched KVM loaded and debugfs mounted?)" : "");
		return VC_EXIT_BAD_INPUT;
	}
	while (read_line(f, buf, sizeof(buf), &too_long)) {
		unsigned int fi;
		uint64_t value;
		int n;

		lineno++;
		if (too_long) {
			snprintf(err, len, "%s:%d: line too long", file, lineno);
			goto bad;
		}
		n = split2(buf, &name, &v);
		if (n == 0)
			continue;
		if (n < 0 || parse_hex(v, &value)) {
			snprintf(err, len, "%s:%d: expected \"NAME 0xVALUE\"", file, lineno);
			goto bad;
		}
		for (fi = 0; fi < VMX_FIELD_COUNT; fi++)
			if (!strcmp(name, vmx_field_name((enum vmx_field)fi)))
				break;
		if (fi == VMX_FIELD_COUNT) {
			char known[160] = "";

			for (fi = 0; fi < VMX_FIELD_COUNT; fi++) {
				strncat(known, " ", sizeof(known) - strlen(known) - 1);
				strncat(known, vmx_field_name((enum vmx_field)fi),
					sizeof(known) - strlen(known) - 1);
			}
			snprintf(err, len, "%s:%d: unknown control field '%s' (known:%s)",
				 file, lineno, name, known);
			goto bad;
		}
		if (k.present & (1u << fi)) {
			snprintf(err, len, "%s:%d: %s given twice", file, lineno, name);
			goto bad;
		}
		/* Only the tertiary and secondary exit controls are 64-bit. */
		if (fi != VMX_FIELD_PROCBASED3 && fi != VMX_FIELD_EXIT2 && value >> 32) {
			snprintf(err, len, "%s:%d: %s is a 32-bit field, 0x%" PRIx64
				 " does not fit", file, lineno, name, value);
			goto bad;
		}
		k.present |= 1u << fi;
		k.value[fi] = value;
	}
	if (ferror(f)) {
		snprintf(err, len, "%s: read error", file);
		goto bad;
	}
	fclose(f);
	if (!k.present) {
		snprintf(err, len, "%s: no control field in the file", file);
		return VC_EXIT_BAD_INPUT;
	}
	*out = k;
	return VC_EXIT_OK;
bad:
	fclose(f);
	return VC_EXIT_BAD_INPUT;
}
