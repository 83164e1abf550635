// SPDX-License-Identifier: LGPL-2.1-or-later
/* PLACEHOLDER: replaced by the owner of `mseal maps`. */
#include "cli.h"

int cmd_maps(int argc, char **argv)
{
	cli_error("maps: this build lacks the command");
	return MSEAL_EXIT_FAILURE;
}
