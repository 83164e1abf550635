/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every `mseal` subcommand shares: exit codes and message helpers. */
#ifndef MSEAL_CLI_H
#define MSEAL_CLI_H

#include <stdarg.h>
#include <stddef.h>

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

/* "<proc_root>/<pid>/<name>" into @buf (truncated to @size): pid 0 is
 * "self", a NULL @proc_root is /proc. */
void cli_proc_path(char *buf, size_t size, const char *proc_root, int pid,
		   const char *name);

/* Check --proc-root @root before anything is read from it: not empty, a
 * directory, and (when @pid >= 0; 0 is self) holding @pid's directory.
 * 0, or -1 after "CMD: --proc-root: empty directory name", "CMD:
 * --proc-root ROOT: why" or "CMD: --proc-root ROOT: no process PID: why". */
int cli_proc_root_check(const char *cmd, const char *root, int pid);

/*
 * Option parsing shared by the table commands (maps, probe, ps, check);
 * @cmd is the subcommand's name, the start of every message.
 */
struct table_column;
struct table_columns;
struct table_opts;

/* Set the -J, -r, -n or -b switch that getopt returned as @c in @o;
 * 0, or -1 when @c is none of them. */
int cli_output_switch(int c, struct table_opts *o);

/* After getopt_long() (opterr 0, optstring starting with ':') returned
 * @c, ':' or '?': "CMD: option 'X' needs an argument" or "CMD: unknown
 * option 'X'", X being argv[optind - 1]. */
void cli_option_error(const char *cmd, int c, char *const *argv);

/* 0 when getopt left no operand, else -1 after "CMD: unexpected
 * argument 'X'". */
int cli_no_operands(const char *cmd, int argc, char *const *argv);

/* Apply -o @list to @cols (table_columns_parse()); 0, or -1 after "CMD:
 * unknown column 'NAME'" followed by @hint, or "CMD: too many columns". */
int cli_columns_parse(const char *cmd, struct table_columns *cols,
		      const char *list, const char *hint);

/* -H/--list-columns (table_columns_list()); returns the exit status, after
 * "CMD: cannot list the columns: why" on failure. */
int cli_list_columns(const char *cmd, const struct table_column *all,
		     size_t n_all, const struct table_opts *o);

/* The subcommands; argv[0] is the subcommand's name. Each returns the
 * process exit status. */
int cmd_run(int argc, char **argv);
int cmd_maps(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_probe(int argc, char **argv);

#endif
