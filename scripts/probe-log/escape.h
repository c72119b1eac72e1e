/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe-log: one place for quoting text into each output format, so that a
 * label, path or record with quotes, commas or control bytes cannot break
 * the document around it.
 */
#ifndef PROBE_LOG_ESCAPE_H
#define PROBE_LOG_ESCAPE_H

#include <stdio.h>

void pl_md_text(FILE *out, const char *s);	/* Markdown table cell */
void pl_csv_text(FILE *out, const char *s);	/* RFC 4180 field, quoted if needed */
void pl_json_text(FILE *out, const char *s);	/* JSON string, with its quotes */
void pl_xml_text(FILE *out, const char *s);	/* XML 1.0 text or attribute value */
void pl_yaml_text(FILE *out, const char *s);	/* YAML double-quoted scalar (TAP13) */

#endif /* PROBE_LOG_ESCAPE_H */
