// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The exclude rule (image-exclude.h): mseal_image() and the preload shim's
 * dlopen both ask it, so an --exclude pattern means the same at startup
 * and for a plugin.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "image-exclude.h"

/* @name or its basename against every pattern. */
static int matches_one(const char *const *patterns, const char *name)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	for (size_t i = 0; patterns[i]; i++)
		if (fnmatch(patterns[i], name, 0) == 0 ||
		    (base != name && fnmatch(patterns[i], base, 0) == 0))
			return 1;
	return 0;
}

int libmseal_image_excluded(const char *const *patterns, const char *name)
{
	char *real;
	int match = 0;

	if (!patterns || !name || !*name)
		return 0;
	if (matches_one(patterns, name))
		return 1;
	real = realpath(name, NULL);
	if (real && strcmp(real, name) != 0)
		match = matches_one(patterns, real);
	free(real);
	return match;
}
