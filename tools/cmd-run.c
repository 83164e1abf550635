// SPDX-License-Identifier: LGPL-2.1-or-later
/* PLACEHOLDER: replaced by the owner of `mseal run`. */
#include "cli.h"

int cmd_run(int argc, char **argv)
{
	cli_error("run: this build lacks the command");
	return MSEAL_EXIT_FAILURE;
}
