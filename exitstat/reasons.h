/* SPDX-License-Identifier: GPL-2.0 */
/* Names and classes of the SDM basic exit reasons (common/sdm-exit-reasons.def). */
#ifndef EXITSTAT_REASONS_H
#define EXITSTAT_REASONS_H

#include <stdint.h>

enum reason_class { REASON_UNDEFINED, REASON_SYNC, REASON_ASYNC };

/* SDM_REASON_CPUID etc.: numbers by name, from the table itself. */
enum sdm_reason_nr {
#define SDM_EXIT_REASON(nr, ident, cls, desc) SDM_REASON_##ident = nr,
#include "sdm-exit-reasons.def"
#undef SDM_EXIT_REASON
};

/* The name of reason nr, or NULL when the SDM does not define nr. */
const char *reason_name(uint32_t nr);
enum reason_class reason_class(uint32_t nr);
const char *reason_class_name(enum reason_class cls);
/* The lowest number up to SDM_EXIT_REASON_MAX that the SDM leaves undefined. */
uint32_t reason_first_undefined(void);

#endif /* EXITSTAT_REASONS_H */
