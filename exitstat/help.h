/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EXITSTAT_HELP_H
#define EXITSTAT_HELP_H

#include <stdio.h>

void help_print(FILE *out);

#endif /* EXITSTAT_HELP_H */
