/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBMSEAL_SHIM_RESOLVE_H
#define LIBMSEAL_SHIM_RESOLVE_H

#include <stddef.h>

/* libc's dlopen (the next definition after the shim's). */
extern void *(*shim_real_dlopen)(const char *file, int mode);

/*
 * The name to pass to the real dlopen, called from the shim, so that ld.so
 * opens the file it would open for @file called from @caller (an address
 * in the calling object): @file itself, or @buf (of @size bytes) holding
 * an absolute path. Never NULL unless @file is.
 */
const char *shim_resolve(const char *file, const void *caller, char *buf,
			 size_t size);

#endif
