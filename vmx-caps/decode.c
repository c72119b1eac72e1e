// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-caps decoder (decode.h). No libc: text goes through a fixed line
 * buffer and the caller's callback, so that the kernel module and the
 * command share every line of it.
 */
#include "decode.h"

/* --- the data: sdm-exit-reasons.def and vmx-controls.def ------------------ */

/* Reason identifiers as enum constants, so that a misspelt reason in
 * vmx-controls.def fails to compile instead of mapping to nothing.
 */
enum vmx_reason_ident {
#define SDM_EXIT_REASON(nr, ident, class, desc) VMX_REASON_##ident = nr,
#include "sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
	VMX_REASON_NONE = -1
};

static const char *const reason_names[] = {
#define SDM_EXIT_REASON(nr, ident, class, desc) [nr] = #ident,
#include "sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};
#define REASON_SLOTS ((int)(sizeof(reason_names) / sizeof(reason_names[0])))

const struct vmx_control vmx_controls[] = {
#define VMX_CONTROL(f, b, id, nm, kind, r1, r2) \
	{ VMX_FIELD_##f, b, #id, nm, VMX_KIND_##kind, { VMX_REASON_##r1, VMX_REASON_##r2 } },
#include "vmx-controls.def"
#undef VMX_CONTROL
};
const unsigned int vmx_control_count = sizeof(vmx_controls) / sizeof(vmx_controls[0]);

/* Field names are also the keys of the --kvm file (docs/vmx-caps.md). */
static const char *const field_names[VMX_FIELD_COUNT] = {
	[VMX_FIELD_PINBASED] = "pin_based",
	[VMX_FIELD_PROCBASED] = "cpu_based",
	[VMX_FIELD_PROCBASED2] = "secondary",
	[VMX_FIELD_PROCBASED3] = "tertiary",
	[VMX_FIELD_EXIT] = "vmexit",
	[VMX_FIELD_EXIT2] = "secondary_vmexit",
	[VMX_FIELD_ENTRY] = "vmentry",
};

static const char *const kind_names[] = {
	[VMX_KIND_NA] = "na", [VMX_KIND_ONLY] = "only", [VMX_KIND_ALSO] = "also",
};

static const char *const msr_names[VMX_MSR_COUNT] = {
	"IA32_VMX_BASIC", "IA32_VMX_PINBASED_CTLS", "IA32_VMX_PROCBASED_CTLS",
	"IA32_VMX_EXIT_CTLS", "IA32_VMX_ENTRY_CTLS", "IA32_VMX_MISC",
	"IA32_VMX_CR0_FIXED0", "IA32_VMX_CR0_FIXED1", "IA32_VMX_CR4_FIXED0",
	"IA32_VMX_CR4_FIXED1", "IA32_VMX_VMCS_ENUM", "IA32_VMX_PROCBASED_CTLS2",
	"IA32_VMX_EPT_VPID_CAP", "IA32_VMX_TRUE_PINBASED_CTLS",
	"IA32_VMX_TRUE_PROCBASED_CTLS", "IA32_VMX_TRUE_EXIT_CTLS",
	"IA32_VMX_TRUE_ENTRY_CTLS", "IA32_VMX_VMFUNC",
	"IA32_VMX_PROCBASED_CTLS3", "IA32_VMX_EXIT_CTLS2",
};

enum {
	MSR_BASIC = 0x480, MSR_PINBASED = 0x481, MSR_PROCBASED = 0x482,
	MSR_EXIT = 0x483, MSR_ENTRY = 0x484, MSR_MISC = 0x485,
	MSR_CR0_FIXED0 = 0x486, MSR_CR0_FIXED1 = 0x487,
	MSR_CR4_FIXED0 = 0x488, MSR_CR4_FIXED1 = 0x489,
	MSR_VMCS_ENUM = 0x48a, MSR_PROCBASED2 = 0x48b, MSR_EPT_VPID = 0x48c,
	MSR_TRUE_PINBASED = 0x48d, MSR_TRUE_PROCBASED = 0x48e,
	MSR_TRUE_EXIT = 0x48f, MSR_TRUE_ENTRY = 0x490, MSR_VMFUNC = 0x491,
	MSR_PROCBASED3 = 0x492, MSR_EXIT2 = 0x493,
};

#define BIT64(n) ((uint64_t)1 << (n))
#define BASIC_TRUE_CTLS		55	/* IA32_VMX_BASIC: TRUE_* MSRs exist */
#define PROCBASED_TERTIARY	17	/* "activate tertiary controls" */
#define PROCBASED_SECONDARY	31	/* "activate secondary controls" */
#define EXIT_SECONDARY		31	/* "activate secondary controls" */

const char *vmx_field_name(enum vmx_field field)
{
	return (unsigned int)field < VMX_FIELD_COUNT ? field_names[field] : NULL;
}

const char *vmx_reason_name(int nr)
{
	return nr >= 0 && nr < REASON_SLOTS ? reason_names[nr] : NULL;
}

static bool msr_present(const struct vmx_msrs *m, unsigned int msr)
{
	return msr >= VMX_MSR_FIRST && msr <= VMX_MSR_LAST &&
	       (m->present & (1u << (msr - VMX_MSR_FIRST)));
}

static uint64_t msr_value(const struct vmx_msrs *m, unsigned int msr)
{
	return msr_present(m, msr) ? m->value[msr - VMX_MSR_FIRST] : 0;
}

/* --- capabilities ---------------------------------------------------------- */

/*
 * The rules, SDM Vol. 3D Appendix A.3-A.5: a 32-bit control field's MSR
 * has the allowed 0-settings in bits 31:0 (1 = must be 1) and the allowed
 * 1-settings in bits 63:32 (1 = may be 1). When IA32_VMX_BASIC[55] is set,
 * the TRUE_* MSR is authoritative for the pin-based, primary
 * processor-based, exit and entry controls (it may allow 0 where the
 * other reports a default-1 bit). The secondary and tertiary
 * processor-based and secondary exit controls exist only if the control
 * that activates them may be 1; the two 64-bit fields have only allowed
 * 1-settings (every bit may be 0).
 */
void vmx_field_caps(const struct vmx_msrs *m, enum vmx_field field,
		    struct vmx_field_caps *caps)
{
	static const unsigned int plain[VMX_FIELD_COUNT] = {
		[VMX_FIELD_PINBASED] = MSR_PINBASED,
		[VMX_FIELD_PROCBASED] = MSR_PROCBASED,
		[VMX_FIELD_PROCBASED2] = MSR_PROCBASED2,
		[VMX_FIELD_PROCBASED3] = MSR_PROCBASED3,
		[VMX_FIELD_EXIT] = MSR_EXIT,
		[VMX_FIELD_EXIT2] = MSR_EXIT2,
		[VMX_FIELD_ENTRY] = MSR_ENTRY,
	};
	static const unsigned int truemsr[VMX_FIELD_COUNT] = {
		[VMX_FIELD_PINBASED] = MSR_TRUE_PINBASED,
		[VMX_FIELD_PROCBASED] = MSR_TRUE_PROCBASED,
		[VMX_FIELD_EXIT] = MSR_TRUE_EXIT,
		[VMX_FIELD_ENTRY] = MSR_TRUE_ENTRY,
	};
	struct vmx_field_caps parent;
	unsigned int msr;
	uint64_t v;

	caps->present = false;
	caps->msr = 0;
	caps->must_be_1 = 0;
	caps->may_be_1 = 0;
	if ((unsigned int)field >= VMX_FIELD_COUNT || !msr_present(m, MSR_BASIC))
		return;

	switch (field) {
	case VMX_FIELD_PROCBASED2:
	case VMX_FIELD_PROCBASED3:
		vmx_field_caps(m, VMX_FIELD_PROCBASED, &parent);
		if (!(parent.may_be_1 & BIT64(field == VMX_FIELD_PROCBASED2 ?
				PROCBASED_SECONDARY : PROCBASED_TERTIARY)))
			return;
		break;
	case VMX_FIELD_EXIT2:
		vmx_field_caps(m, VMX_FIELD_EXIT, &parent);
		if (!(parent.may_be_1 & BIT64(EXIT_SECONDARY)))
			return;
		break;
	default:
		break;
	}

	msr = plain[field];
	if (truemsr[field] && (msr_value(m, MSR_BASIC) & BIT64(BASIC_TRUE_CTLS)) &&
	    msr_present(m, truemsr[field]))
		msr = truemsr[field];
	if (!msr_present(m, msr))
		return;
	v = msr_value(m, msr);
	caps->present = true;
	caps->msr = msr;
	if (field == VMX_FIELD_PROCBASED3 || field == VMX_FIELD_EXIT2) {
		caps->may_be_1 = v;
	} else {
		caps->must_be_1 = v & 0xffffffffu;
		caps->may_be_1 = v >> 32;
	}
}

/* --- output: one line buffer, text or JSON -------------------------------- */

#define LINE_MAX_CHARS 1024

struct out {
	enum vmx_format format;
	vmx_line_fn *emit;
	void *ctx;
	char line[LINE_MAX_CHARS];
	unsigned int len;
	unsigned int records;	/* JSON: a comma before every record but the first */
	unsigned int fields;	/* in the current record */
	unsigned int items;	/* in the current list */
};

static void put_char(struct out *o, char c)
{
	/* Lines are built from our own bounded tables; a full buffer can
	 * only cut a line short, never overrun.
	 */
	if (o->len + 1 < LINE_MAX_CHARS)
		o->line[o->len++] = c;
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put_char(o, *s++);
}

static void put_hex(struct out *o, uint64_t v, unsigned int min_digits)
{
	static const char digits[] = "0123456789abcdef";
	char buf[16];
	unsigned int n = 0;

	do {
		buf[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v && n < sizeof(buf));
	while (n < min_digits && n < sizeof(buf))
		buf[n++] = '0';
	put_str(o, "0x");
	while (n)
		put_char(o, buf[--n]);
}

static void put_dec(struct out *o, uint64_t v)
{
	char buf[20];
	unsigned int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(buf));
	while (n)
		put_char(o, buf[--n]);
}

/* A JSON string; the text format quotes only values with blanks. */
static void put_quoted(struct out *o, const char *s)
{
	bool quote = o->format == VMX_FORMAT_JSON;
	const char *p;

	for (p = s; !quote && *p; p++)
		quote = *p == ' ' || *p == '"' || *p == '\\' || *p == '=';
	if (!*s)
		quote = true;
	if (quote)
		put_char(o, '"');
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (quote && (c == '"' || c == '\\')) {
			put_char(o, '\\');
			put_char(o, (char)c);
		} else if (c < 0x20) {
			put_str(o, quote ? "\\u00" : "?");
			if (quote) {
				put_char(o, "0123456789abcdef"[c >> 4]);
				put_char(o, "0123456789abcdef"[c & 0xf]);
			}
		} else {
			put_char(o, (char)c);
		}
	}
	if (quote)
		put_char(o, '"');
}

static void rec_begin(struct out *o, const char *kind)
{
	o->len = 0;
	o->fields = 0;
	if (o->format == VMX_FORMAT_JSON) {
		put_str(o, o->records ? ",{\"kind\":\"" : "{\"kind\":\"");
		put_str(o, kind);
		put_char(o, '"');
		o->fields = 1;
	} else {
		put_str(o, kind);
		put_char(o, ':');
	}
	o->records++;
}

static void rec_end(struct out *o)
{
	if (o->format == VMX_FORMAT_JSON)
		put_char(o, '}');
	o->line[o->len] = '\0';
	o->emit(o->ctx, o->line);
}

static void key(struct out *o, const char *k)
{
	if (o->format == VMX_FORMAT_JSON) {
		if (o->fields++)
			put_char(o, ',');
		put_char(o, '"');
		put_str(o, k);
		put_str(o, "\":");
	} else {
		put_char(o, ' ');
		put_str(o, k);
		put_char(o, '=');
	}
}

static void f_str(struct out *o, const char *k, const char *v)
{
	key(o, k);
	put_quoted(o, v);
}

/* 64-bit values are hex strings in JSON: its numbers are doubles. */
static void f_hex(struct out *o, const char *k, uint64_t v, unsigned int digits)
{
	key(o, k);
	if (o->format == VMX_FORMAT_JSON)
		put_char(o, '"');
	put_hex(o, v, digits);
	if (o->format == VMX_FORMAT_JSON)
		put_char(o, '"');
}

static void f_dec(struct out *o, const char *k, uint64_t v)
{
	key(o, k);
	put_dec(o, v);
}

static void f_bool(struct out *o, const char *k, bool v)
{
	key(o, k);
	if (o->format == VMX_FORMAT_JSON)
		put_str(o, v ? "true" : "false");
	else
		put_str(o, v ? "yes" : "no");
}

/* Unknown or not applicable: null in JSON, "-" in text. */
static void f_none(struct out *o, const char *k)
{
	key(o, k);
	put_str(o, o->format == VMX_FORMAT_JSON ? "null" : "-");
}

/* Lists: [a,b] in JSON, a,b in text ("-" when empty). */
static void list_begin(struct out *o, const char *k)
{
	key(o, k);
	if (o->format == VMX_FORMAT_JSON)
		put_char(o, '[');
	o->items = 0;
}

static void list_sep(struct out *o)
{
	if (o->items++)
		put_char(o, ',');
}

static void list_end(struct out *o)
{
	if (o->format == VMX_FORMAT_JSON)
		put_char(o, ']');
	else if (!o->items)
		put_char(o, '-');
}

/* --- the report ----------------------------------------------------------- */

static bool bit(uint64_t v, unsigned int n)
{
	return (v >> n) & 1;
}

static uint64_t bits(uint64_t v, unsigned int hi, unsigned int lo)
{
	return (v >> lo) & ((BIT64(hi - lo) << 1) - 1);
}

static void report_msrs(struct out *o, const struct vmx_msrs *m)
{
	unsigned int i;

	for (i = 0; i < VMX_MSR_COUNT; i++) {
		rec_begin(o, "msr");
		f_hex(o, "addr", VMX_MSR_FIRST + i, 3);
		f_str(o, "name", msr_names[i]);
		if (m->present & (1u << i))
			f_hex(o, "value", m->value[i], 16);
		else
			f_none(o, "value");
		rec_end(o);
	}
}

/* SDM Vol. 3D, A.1 (IA32_VMX_BASIC). */
static void report_basic(struct out *o, uint64_t v)
{
	unsigned int memtype = (unsigned int)bits(v, 53, 50);

	rec_begin(o, "basic");
	f_hex(o, "revision_id", bits(v, 30, 0), 1);
	f_dec(o, "vmcs_size", bits(v, 44, 32));
	f_bool(o, "phys_addr_32bit", bit(v, 48));
	f_bool(o, "dual_monitor_smm", bit(v, 49));
	f_dec(o, "vmcs_memory_type", memtype);
	f_str(o, "vmcs_memory_type_name", memtype == 0 ? "UC" : memtype == 6 ? "WB" : "reserved");
	f_bool(o, "ins_outs_exit_info", bit(v, 54));
	f_bool(o, "true_controls", bit(v, BASIC_TRUE_CTLS));
	f_bool(o, "exception_error_code_unchecked", bit(v, 56));
	rec_end(o);
}

/* SDM Vol. 3D, A.6 (IA32_VMX_MISC). */
static void report_misc(struct out *o, uint64_t v)
{
	rec_begin(o, "misc");
	f_dec(o, "preemption_timer_tsc_shift", bits(v, 4, 0));
	f_bool(o, "exit_saves_efer_lma", bit(v, 5));
	f_bool(o, "activity_hlt", bit(v, 6));
	f_bool(o, "activity_shutdown", bit(v, 7));
	f_bool(o, "activity_wait_for_sipi", bit(v, 8));
	f_bool(o, "processor_trace_in_vmx", bit(v, 14));
	f_bool(o, "rdmsr_smbase_in_smm", bit(v, 15));
	f_dec(o, "cr3_targets", bits(v, 24, 16));
	f_dec(o, "max_msr_list", 512 * (bits(v, 27, 25) + 1));
	f_bool(o, "smm_vmxoff_blocks_smi", bit(v, 28));
	f_bool(o, "vmwrite_any_field", bit(v, 29));
	f_bool(o, "zero_length_injection", bit(v, 30));
	f_hex(o, "mseg_revision_id", bits(v, 63, 32), 1);
	rec_end(o);
}

/* SDM Vol. 3D, A.7, A.8: bits fixed in CR0/CR4 during VMX operation. */
static void report_fixed(struct out *o, const struct vmx_msrs *m)
{
	rec_begin(o, "fixed_bits");
	if (msr_present(m, MSR_CR0_FIXED0) && msr_present(m, MSR_CR0_FIXED1)) {
		f_hex(o, "cr0_must_be_1", msr_value(m, MSR_CR0_FIXED0), 8);
		f_hex(o, "cr0_may_be_1", msr_value(m, MSR_CR0_FIXED1), 8);
	} else {
		f_none(o, "cr0_must_be_1");
		f_none(o, "cr0_may_be_1");
	}
	if (msr_present(m, MSR_CR4_FIXED0) && msr_present(m, MSR_CR4_FIXED1)) {
		f_hex(o, "cr4_must_be_1", msr_value(m, MSR_CR4_FIXED0), 8);
		f_hex(o, "cr4_may_be_1", msr_value(m, MSR_CR4_FIXED1), 8);
	} else {
		f_none(o, "cr4_must_be_1");
		f_none(o, "cr4_may_be_1");
	}
	if (msr_present(m, MSR_VMCS_ENUM))
		f_hex(o, "vmcs_highest_index", bits(msr_value(m, MSR_VMCS_ENUM), 9, 1), 2);
	else
		f_none(o, "vmcs_highest_index");
	rec_end(o);
}

/* SDM Vol. 3D, A.10 (IA32_VMX_EPT_VPID_CAP). */
static void report_ept_vpid(struct out *o, uint64_t v)
{
	rec_begin(o, "ept_vpid");
	f_bool(o, "ept_execute_only", bit(v, 0));
	f_bool(o, "page_walk_4", bit(v, 6));
	f_bool(o, "page_walk_5", bit(v, 7));
	f_bool(o, "memory_type_uc", bit(v, 8));
	f_bool(o, "memory_type_wb", bit(v, 14));
	f_bool(o, "pde_2mb_pages", bit(v, 16));
	f_bool(o, "pdpte_1gb_pages", bit(v, 17));
	f_bool(o, "invept", bit(v, 20));
	f_bool(o, "accessed_dirty_flags", bit(v, 21));
	f_bool(o, "advanced_violation_info", bit(v, 22));
	f_bool(o, "supervisor_shadow_stack", bit(v, 23));
	f_bool(o, "invept_single_context", bit(v, 25));
	f_bool(o, "invept_all_context", bit(v, 26));
	f_bool(o, "invvpid", bit(v, 32));
	f_bool(o, "invvpid_individual_address", bit(v, 40));
	f_bool(o, "invvpid_single_context", bit(v, 41));
	f_bool(o, "invvpid_all_context", bit(v, 42));
	f_bool(o, "invvpid_single_context_keep_globals", bit(v, 43));
	rec_end(o);
}

static void report_fields(struct out *o, const struct vmx_field_caps *caps,
			  const struct vmx_kvm_controls *kvm)
{
	unsigned int f;

	for (f = 0; f < VMX_FIELD_COUNT; f++) {
		const struct vmx_field_caps *c = &caps[f];

		rec_begin(o, "field");
		f_str(o, "name", field_names[f]);
		f_bool(o, "present", c->present);
		if (c->present) {
			f_hex(o, "msr", c->msr, 3);
			f_hex(o, "must_be_1", c->must_be_1, 8);
			f_hex(o, "may_be_1", c->may_be_1, 8);
		} else {
			f_none(o, "msr");
			f_none(o, "must_be_1");
			f_none(o, "may_be_1");
		}
		if (kvm && (kvm->present & (1u << f))) {
			uint64_t v = kvm->value[f];

			f_hex(o, "kvm_value", v, 8);
			/* What KVM has on must be a setting this CPU allows. */
			f_bool(o, "kvm_allowed", (v & ~c->may_be_1) == 0 &&
			       (c->must_be_1 & ~v) == 0);
		} else if (kvm) {
			f_none(o, "kvm_value");
			f_none(o, "kvm_allowed");
		}
		rec_end(o);
	}
}

static void put_reasons(struct out *o, const struct vmx_control *c)
{
	unsigned int i;

	list_begin(o, "reasons");
	for (i = 0; i < 2; i++) {
		if (c->reason[i] < 0)
			continue;
		list_sep(o);
		put_dec(o, (uint64_t)c->reason[i]);
	}
	list_end(o);
	list_begin(o, "reason_names");
	for (i = 0; i < 2; i++) {
		if (c->reason[i] < 0)
			continue;
		list_sep(o);
		put_quoted(o, vmx_reason_name(c->reason[i]));
	}
	list_end(o);
}

static bool kvm_has(const struct vmx_kvm_controls *kvm, enum vmx_field f)
{
	return kvm && (kvm->present & (1u << f));
}

static void report_controls(struct out *o, const struct vmx_field_caps *caps,
			    const struct vmx_kvm_controls *kvm)
{
	uint64_t named[VMX_FIELD_COUNT] = { 0 };
	unsigned int i, f, b;

	for (i = 0; i < vmx_control_count; i++) {
		const struct vmx_control *c = &vmx_controls[i];
		const struct vmx_field_caps *fc = &caps[c->field];

		named[c->field] |= BIT64(c->bit);
		rec_begin(o, "control");
		f_str(o, "field", field_names[c->field]);
		f_dec(o, "bit", c->bit);
		f_str(o, "ident", c->ident);
		f_str(o, "name", c->name);
		f_bool(o, "may_be_1", bit(fc->may_be_1, c->bit));
		f_bool(o, "must_be_1", bit(fc->must_be_1, c->bit));
		f_str(o, "governs", kind_names[c->kind]);
		put_reasons(o, c);
		if (kvm_has(kvm, c->field))
			f_bool(o, "kvm", bit(kvm->value[c->field], c->bit));
		else if (kvm)
			f_none(o, "kvm");
		rec_end(o);
	}
	/* Bits this revision of the table does not name, yet the CPU
	 * reports: default-1 bits, or controls newer than the table.
	 */
	for (f = 0; f < VMX_FIELD_COUNT; f++) {
		for (b = 0; b < 64; b++) {
			uint64_t mask = BIT64(b);

			if ((named[f] & mask) ||
			    !((caps[f].may_be_1 | caps[f].must_be_1) & mask))
				continue;
			rec_begin(o, "unnamed_bit");
			f_str(o, "field", field_names[f]);
			f_dec(o, "bit", b);
			f_bool(o, "may_be_1", bit(caps[f].may_be_1, b));
			f_bool(o, "must_be_1", bit(caps[f].must_be_1, b));
			rec_end(o);
		}
	}
}

/*
 * Per exit reason: the controls that govern it; whether it can occur on
 * this CPU ("possible"); with --kvm, whether KVM's controls let it occur
 * ("kvm_enabled"). A reason with an ONLY control is "governed": possible
 * if one of its ONLY controls may be 1 (an upper bound when two must be 1
 * at once), enabled if KVM sets one. The others are "unconditional": no
 * control bit keeps them off (kvm_enabled=yes); with only ALSO controls
 * they occur whatever those are (possible=yes), with no control at all
 * the controls do not decide them (possible=-: CPUID exits always,
 * EXCEPTION_NMI by the exception bitmap).
 */
static void report_reasons(struct out *o, const struct vmx_field_caps *caps,
			   const struct vmx_kvm_controls *kvm)
{
	int nr;

	for (nr = 0; nr < REASON_SLOTS; nr++) {
		bool governed = false, only = false, possible = false;
		bool on = false, kvm_known = true;
		unsigned int i, j;

		if (!reason_names[nr])
			continue;
		rec_begin(o, "reason");
		f_dec(o, "nr", (uint64_t)nr);
		f_str(o, "name", reason_names[nr]);
		list_begin(o, "governed_by");
		for (i = 0; i < vmx_control_count; i++) {
			const struct vmx_control *c = &vmx_controls[i];

			for (j = 0; j < 2; j++) {
				if (c->reason[j] != nr)
					continue;
				governed = true;
				list_sep(o);
				if (o->format == VMX_FORMAT_JSON)
					put_char(o, '"');
				put_str(o, field_names[c->field]);
				put_char(o, '.');
				put_str(o, c->ident);
				if (o->format == VMX_FORMAT_JSON)
					put_char(o, '"');
				if (c->kind != VMX_KIND_ONLY)
					continue;
				only = true;
				possible |= bit(caps[c->field].may_be_1, c->bit);
				if (kvm_has(kvm, c->field))
					on |= bit(kvm->value[c->field], c->bit);
				else
					kvm_known = false;
			}
		}
		list_end(o);
		/* Whether a control bit can keep the reason from occurring. */
		f_str(o, "gate", only ? "governed" : "unconditional");
		if (only)
			f_bool(o, "possible", possible);
		else if (governed)
			f_bool(o, "possible", true);
		else
			f_none(o, "possible");
		if (kvm) {
			/* No control keeps an unconditional reason off. */
			if (!only)
				f_bool(o, "kvm_enabled", true);
			else if (on || kvm_known)
				f_bool(o, "kvm_enabled", on);
			else
				f_none(o, "kvm_enabled");
		}
		rec_end(o);
	}
}

void vmx_report(const struct vmx_msrs *msrs, const struct vmx_kvm_controls *kvm,
		enum vmx_format format, vmx_line_fn *emit, void *ctx)
{
	struct vmx_field_caps caps[VMX_FIELD_COUNT];
	struct out o = { .format = format, .emit = emit, .ctx = ctx };
	unsigned int f;

	for (f = 0; f < VMX_FIELD_COUNT; f++)
		vmx_field_caps(msrs, (enum vmx_field)f, &caps[f]);

	if (format == VMX_FORMAT_JSON)
		emit(ctx, "[");
	report_msrs(&o, msrs);
	if (msr_present(msrs, MSR_BASIC))
		report_basic(&o, msr_value(msrs, MSR_BASIC));
	if (msr_present(msrs, MSR_MISC))
		report_misc(&o, msr_value(msrs, MSR_MISC));
	report_fixed(&o, msrs);
	/* A.10: present if EPT or VPID may be 1 (then the MSR reads). */
	if (msr_present(msrs, MSR_EPT_VPID) &&
	    (caps[VMX_FIELD_PROCBASED2].may_be_1 & (BIT64(1) | BIT64(5))))
		report_ept_vpid(&o, msr_value(msrs, MSR_EPT_VPID));
	/* A.11: present if "enable VM functions" may be 1. */
	if (msr_present(msrs, MSR_VMFUNC) && bit(caps[VMX_FIELD_PROCBASED2].may_be_1, 13)) {
		rec_begin(&o, "vmfunc");
		f_bool(&o, "eptp_switching", bit(msr_value(msrs, MSR_VMFUNC), 0));
		f_hex(&o, "value", msr_value(msrs, MSR_VMFUNC), 16);
		rec_end(&o);
	}
	report_fields(&o, caps, kvm);
	report_controls(&o, caps, kvm);
	report_reasons(&o, caps, kvm);
	if (format == VMX_FORMAT_JSON)
		emit(ctx, "]");
}
