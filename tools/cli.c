// SPDX-License-Identifier: LGPL-2.1-or-later
/* Message and argument helpers shared by the subcommands. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "table.h"

static void vsay(const char *prefix, int errnum, const char *fmt, va_list ap)
{
	fprintf(stderr, "mseal: %s", prefix);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum < 0 ? -errnum : errnum));
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", 0, fmt, ap);
	va_end(ap);
}

void cli_error_errno(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", errnum ? errnum : EIO, fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("warning: ", 0, fmt, ap);
	va_end(ap);
}

int cli_parse_pid(const char *text, int *ret_pid)
{
	char *end;
	long value;

	if (strcmp(text, "self") == 0) {
		*ret_pid = 0;
		return 0;
	}
	/* Digits only: strtol would also take " 1" and "+1". */
	if (*text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno || end == text || *end || value <= 0 || value > INT_MAX)
		return -EINVAL;
	*ret_pid = (int)value;
	return 0;
}

void cli_proc_path(char *buf, size_t size, const char *proc_root, int pid,
		   const char *name)
{
	if (!proc_root)
		proc_root = "/proc";
	if (pid)
		snprintf(buf, size, "%s/%d/%s", proc_root, pid, name);
	else
		snprintf(buf, size, "%s/self/%s", proc_root, name);
}

int cli_proc_root_check(const char *cmd, const char *root, int pid)
{
	char path[PATH_MAX];
	struct stat st;

	/* "" would read "/PID/smaps" or fail with a misleading error */
	if (!*root) {
		cli_error("%s: --proc-root: empty directory name", cmd);
		return -1;
	}
	if (stat(root, &st) < 0 || (!S_ISDIR(st.st_mode) && (errno = ENOTDIR))) {
		cli_error_errno(errno, "%s: --proc-root %s", cmd, root);
		return -1;
	}
	if (pid < 0)
		return 0;
	/* the trailing '/' makes stat() insist on a directory */
	cli_proc_path(path, sizeof(path), root, pid, "");
	if (stat(path, &st) == 0)
		return 0;
	if (pid)
		cli_error_errno(errno, "%s: --proc-root %s: no process %d",
				cmd, root, pid);
	else
		cli_error_errno(errno, "%s: --proc-root %s: no process self",
				cmd, root);
	return -1;
}

int cli_output_switch(int c, struct table_opts *o)
{
	switch (c) {
	case 'J':
		o->json = 1;
		return 0;
	case 'r':
		o->raw = 1;
		return 0;
	case 'n':
		o->noheadings = 1;
		return 0;
	case 'b':
		o->bytes = 1;
		return 0;
	}
	return -1;
}

void cli_option_error(const char *cmd, int c, char *const *argv)
{
	if (c == ':')
		cli_error("%s: option '%s' needs an argument", cmd,
			  argv[optind - 1]);
	else if (optopt)
		/* A letter, perhaps inside a group such as -zJ, where
		 * argv[optind - 1] is still the word before the group. */
		cli_error("%s: unknown option '-%c'", cmd, optopt);
	else
		cli_error("%s: unknown option '%s'", cmd, argv[optind - 1]);
}

int cli_no_operands(const char *cmd, int argc, char *const *argv)
{
	if (optind >= argc)
		return 0;
	cli_error("%s: unexpected argument '%s'", cmd, argv[optind]);
	return -1;
}

int cli_columns_parse(const char *cmd, struct table_columns *cols,
		      const char *list, const char *hint)
{
	const char *bad;
	size_t badlen;
	int rc = table_columns_parse(cols, list, &bad, &badlen);

	if (rc == -E2BIG)
		cli_error("%s: too many columns", cmd);
	else if (rc)
		cli_error("%s: unknown column '%.*s'%s", cmd, (int)badlen, bad,
			  hint);
	return rc ? -1 : 0;
}

int cli_list_columns(const char *cmd, const struct table_column *all,
		     size_t n_all, const struct table_opts *o)
{
	int rc = table_columns_list(all, n_all, o);

	if (rc)
		cli_error_errno(rc, "%s: cannot list the columns", cmd);
	return rc ? MSEAL_EXIT_FAILURE : MSEAL_EXIT_OK;
}
