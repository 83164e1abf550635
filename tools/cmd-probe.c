// SPDX-License-Identifier: LGPL-2.1-or-later
/* PLACEHOLDER: replaced by the owner of `mseal probe`. */
#include "cli.h"

int cmd_probe(int argc, char **argv)
{
	cli_error("probe: this build lacks the command");
	return MSEAL_EXIT_FAILURE;
}
