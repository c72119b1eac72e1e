/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EXITSTAT_H
#define EXITSTAT_H

#include "host.h"

#define EXITSTAT_VERSION "1.0"

/* The whole program on a given host: main.c passes the real one, tests a fake. */
int exitstat_main(int argc, char **argv, const struct host_ops *host);

#endif /* EXITSTAT_H */
