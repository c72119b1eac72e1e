/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exitstat's exit codes, the one list (docs/exitstat.md and --help repeat
 * them). With "-- CMD" exitstat exits with CMD's status once CMD has run;
 * the codes below then come only from failures before CMD starts.
 */
#ifndef EXITSTAT_EXITCODES_H
#define EXITSTAT_EXITCODES_H

#define EXITSTAT_OK		0	/* report written */
#define EXITSTAT_ERROR		1	/* the report could not be written */
#define EXITSTAT_USAGE		2	/* bad command line */
#define EXITSTAT_NO_HYPERVISOR	3	/* bare metal or an emulator: no VM exits */
#define EXITSTAT_UNPATCHED	4	/* a hypervisor that does not answer the leaves */
#define EXITSTAT_AMD		5	/* AMD CPU: the host patch is Intel VMX only */

/* Shell conventions for a command that did not run (host.h). */
#define EXITSTAT_CMD_NOT_EXECUTABLE	126
#define EXITSTAT_CMD_NOT_FOUND		127

#endif /* EXITSTAT_EXITCODES_H */
