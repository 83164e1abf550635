// SPDX-License-Identifier: LGPL-2.1-or-later
/* PLACEHOLDER: replaced by the owner of `mseal check`. */
#include "cli.h"

int cmd_check(int argc, char **argv)
{
	cli_error("check: this build lacks the command");
	return MSEAL_EXIT_FAILURE;
}
