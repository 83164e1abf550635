// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run-env.h"

#ifndef LIBMSEAL_PRELOAD_INSTALLED
#error "tools/meson.build defines LIBMSEAL_PRELOAD_INSTALLED"
#endif

static int usable(const char *path, char *buf, size_t size)
{
	char real[PATH_MAX];

	if (!realpath(path, real) || access(real, R_OK) != 0)
		return 0;
	return (size_t)snprintf(buf, size, "%s", real) < size;
}

int run_find_shim(char *buf, size_t size)
{
	const char *env = getenv("LIBMSEAL_PRELOAD");
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	ssize_t n;

	if (env && *env)
		return usable(env, buf, size) ? 0 : -ENOENT;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(cand, sizeof(cand),
				 "%s/../preload/libmseal-preload.so", exe);
			if (usable(cand, buf, size))
				return 0;
		}
	}
	return usable(LIBMSEAL_PRELOAD_INSTALLED, buf, size) ? 0 : -ENOENT;
}

static int present(const char *list, const char *entry)
{
	size_t len = strlen(entry);

	for (const char *p = list; *p; ) {
		size_t n = strcspn(p, ": ");

		if (n == len && strncmp(p, entry, len) == 0)
			return 1;
		p += n;
		p += strspn(p, ": ");
	}
	return 0;
}

int run_add_preload(const char *shim)
{
	const char *old = getenv("LD_PRELOAD");
	char *value;
	int rc;

	if (!old || !*old)
		return setenv("LD_PRELOAD", shim, 1) ? -errno : 0;
	if (present(old, shim))
		return 0;
	if (asprintf(&value, "%s:%s", old, shim) < 0)
		return -ENOMEM;
	rc = setenv("LD_PRELOAD", value, 1) ? -errno : 0;
	free(value);
	return rc;
}
