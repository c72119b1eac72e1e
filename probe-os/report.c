// SPDX-License-Identifier: GPL-2.0
#include "report.h"
#include "serial.h"
#include "cpu.h"

#define ISA_DEBUG_EXIT	0xf4
#define BOCHS_SHUTDOWN	0x8900

u32 checks_passed, checks_failed, checks_skipped;
static struct line cur;

struct line *rec(const char *tag)
{
	line_reset(&cur);
	line_str(&cur, tag);
	return &cur;
}

struct line *check(enum check_result r, const char *name)
{
	static const char *const tags[] = { "PASS: ", "FAIL: ", "SKIP: " };

	if (r == CHECK_PASS)
		checks_passed++;
	else if (r == CHECK_FAIL)
		checks_failed++;
	else
		checks_skipped++;
	line_reset(&cur);
	line_str(&cur, tags[r]);
	line_str(&cur, name);
	line_str(&cur, ": ");
	return &cur;
}

void emit(void)
{
	/* A cut line must not look complete: mark it, the checker rejects it. */
	if (cur.overflow) {
		cur.len = LINE_MAX - 8;
		line_str(&cur, " <cut>");
	}
	cur.buf[cur.len] = '\n';
	log_write(cur.buf, cur.len + 1);
}

static void __attribute__((noreturn)) finish(const char *result, u8 code)
{
	static const char bochs[] = "Shutdown";
	struct line *l;
	u32 i;

	l = rec("SUMMARY:");
	line_char(l, ' ');
	line_u64(l, checks_passed);
	line_str(l, " passed, ");
	line_u64(l, checks_failed);
	line_str(l, " failed, ");
	line_u64(l, checks_skipped);
	line_str(l, " skipped");
	emit();
	l = rec("exitprobe-end");
	kv_str(l, "result", result);
	/* Two hex digits, as documented (0x10, 0x11, 0x12): not a register. */
	line_str(l, " exit_code=0x");
	line_char(l, "0123456789abcdef"[code >> 4]);
	line_char(l, "0123456789abcdef"[code & 15]);
	emit();
	serial_drain();

	outb(ISA_DEBUG_EXIT, code);		/* QEMU exits: status 2 * code + 1 */
	for (i = 0; bochs[i]; i++)		/* Bochs exits */
		outb(BOCHS_SHUTDOWN, (u8)bochs[i]);
	halt_forever();
}

void report_finish(int patched)
{
	if (checks_failed)
		finish("fail", 0x11);
	if (!patched)
		finish("skip", 0x12);
	finish("pass", 0x10);
}

void report_panic(u32 vector, u32 eip, u32 error)
{
	struct line *l;

	l = check(CHECK_FAIL, "panic");
	line_str(l, "unexpected exception vector ");
	line_u64(l, vector);
	line_str(l, " at eip=");
	line_hex32(l, eip);
	line_str(l, " error=");
	line_hex32(l, error);
	line_str(l, " outside any scenario");
	emit();
	finish("fail", 0x11);
}
