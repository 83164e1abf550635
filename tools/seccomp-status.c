// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A seal made by the seccomp emulation (issue 6) sets no "sl" flag: the
 * only outside sign of it is that the process runs under seccomp filters,
 * so `mseal maps` says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "seccomp-status.h"

int seccomp_status(const char *proc_root, int pid, int *ret_mode,
		   int *ret_filters)
{
	char path[4096], line[256];
	int mode = -1, filters = -1;
	FILE *f;

	cli_proc_path(path, sizeof(path), proc_root, pid, "status");
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Seccomp:", 8) == 0)
			mode = atoi(line + 8);
		else if (strncmp(line, "Seccomp_filters:", 16) == 0)
			filters = atoi(line + 16);
	}
	fclose(f);
	if (mode < 0)
		return -ENOENT;
	*ret_mode = mode;
	*ret_filters = filters;
	return 0;
}
