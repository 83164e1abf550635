// SPDX-License-Identifier: LGPL-2.1-or-later
/* Message and argument helpers shared by the subcommands. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
