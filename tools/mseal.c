// SPDX-License-Identifier: LGPL-2.1-or-later
/* `mseal`: dispatch to one subcommand; each lives in its own cmd-*.c. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "libmseal.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "run a program with its code, rodata and RELRO sealed" },
	{ "maps", cmd_maps, "show a process's mappings with seal and paging state" },
	{ "ps", cmd_ps, "show every process's sealing coverage" },
	{ "check", cmd_check, "tell what an ELF file allows" },
	{ "probe", cmd_probe, "tell what sealing blocks on this kernel" },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: mseal <command> [options]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-6s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\n'mseal <command> --help' tells more; see mseal(1).\n");
}

int main(int argc, char **argv)
{
	/*
	 * The user's character set decides which bytes of a path print as
	 * themselves (libsmartcols asks the locale what is printable), as in
	 * util-linux. Numbers keep the C form: JSON and the Prometheus text
	 * format want "0.5", never "0,5", and tables match them.
	 */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	if (argc < 2) {
		usage(stderr);
		return MSEAL_EXIT_FAILURE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return MSEAL_EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("mseal from libmseal %s\n", mseal_version());
		return MSEAL_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	cli_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return MSEAL_EXIT_FAILURE;
}
