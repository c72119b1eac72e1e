// SPDX-License-Identifier: GPL-2.0
/* probe-log: quoting for Markdown, CSV, JSON, XML and YAML (see escape.h). */
#include "escape.h"

#include <string.h>

void pl_md_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\')
			fputc('\\', out);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, out);
	}
}

void pl_csv_text(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* JSON and YAML double-quoted strings share their escapes. */
static void c_style(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

void pl_json_text(FILE *out, const char *s)
{
	c_style(out, s);
}

void pl_yaml_text(FILE *out, const char *s)
{
	c_style(out, s);
}

/* XML 1.0 cannot carry most control characters even as references. */
void pl_xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		case '\n': fputs("&#10;", out); break;
		default:
			fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, out);
		}
	}
}
