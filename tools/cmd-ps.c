// SPDX-License-Identifier: LGPL-2.1-or-later
/* PLACEHOLDER: replaced by the owner of `mseal ps`. */
#include "cli.h"

int cmd_ps(int argc, char **argv)
{
	cli_error("ps: this build lacks the command");
	return MSEAL_EXIT_FAILURE;
}
