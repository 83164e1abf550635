/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every `mseal` subcommand shares: exit codes and message helpers. */
#ifndef MSEAL_CLI_H
#define MSEAL_CLI_H

#include <stdarg.h>

/* Exit codes of every command but `run` (which follows env(1)). */
enum {
	MSEAL_EXIT_OK = 0,
	MSEAL_EXIT_FAILURE = 1,
	MSEAL_EXIT_NO_MSEAL = 2, /* the kernel lacks mseal, the command needs it */
};

/* Exit codes of `mseal run`, as env(1). */
enum {
	MSEAL_RUN_EXIT_FAILED = 125,	/* mseal itself failed (or --strict) */
	MSEAL_RUN_EXIT_CANNOT_RUN = 126, /* PROG found but cannot run */
	MSEAL_RUN_EXIT_NOT_FOUND = 127,	/* PROG not found */
};

/* Print "mseal: <message>\n" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "mseal: <message>: <strerror(errnum)>\n"; errnum may be negative. */
void cli_error_errno(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print "mseal: warning: <message>\n" to stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse "self" or a decimal PID into *ret_pid (self is 0); 0 or -EINVAL. */
int cli_parse_pid(const char *text, int *ret_pid);

/* The subcommands; argv[0] is the subcommand's name. Each returns the
 * process exit status. */
int cmd_run(int argc, char **argv);
int cmd_maps(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_probe(int argc, char **argv);

#endif
