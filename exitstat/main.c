// SPDX-License-Identifier: GPL-2.0
#include "exitstat.h"

int main(int argc, char **argv)
{
	return exitstat_main(argc, argv, &host_linux);
}
